"""The Dask engines give the local engine's output byte for byte: on a LocalCluster by
address (``--engine dask --scheduler``), and one started for the run (``dask-local``)."""

from __future__ import annotations

import pytest
from distributed import Client, LocalCluster

from corridor.batch import BatchOptions, run_batch
from corridor.errors import CorridorError
from corridor.store import Store


@pytest.fixture(scope="module")
def local_output(batch_db, sample_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "alerts.jsonl"
    run_batch(BatchOptions(input=sample_csv, output=out, workers=2), Store(batch_db))
    return out.read_bytes()


def test_dask_cluster_by_address_matches_the_local_engine(
    batch_db, sample_csv, tmp_path, local_output
) -> None:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        out = tmp_path / "alerts.jsonl"
        summary = run_batch(
            BatchOptions(
                input=sample_csv,
                output=out,
                engine="dask",
                scheduler=cluster.scheduler_address,
                chunk_rows=300,
            ),
            Store(batch_db),
        )
        assert out.read_bytes() == local_output
        assert summary.records == 1560
        # the index went to each worker once, as data the tasks named
        assert len(client.scheduler_info()["workers"]) == 2


def test_dask_local_matches_the_local_engine(batch_db, sample_csv, tmp_path, local_output) -> None:
    out = tmp_path / "alerts.jsonl"
    run_batch(
        BatchOptions(input=sample_csv, output=out, engine="dask-local", workers=2), Store(batch_db)
    )
    assert out.read_bytes() == local_output


def test_dask_without_a_scheduler_or_unreachable_says_so(batch_db, sample_csv, tmp_path) -> None:
    with pytest.raises(CorridorError, match="needs --scheduler"):
        run_batch(
            BatchOptions(input=sample_csv, output=tmp_path / "o.jsonl", engine="dask"),
            Store(batch_db),
        )
    with pytest.raises(CorridorError, match="cannot reach the Dask scheduler"):
        run_batch(
            BatchOptions(
                input=sample_csv,
                output=tmp_path / "o.jsonl",
                engine="dask",
                scheduler="tcp://127.0.0.1:9",
            ),
            Store(batch_db),
        )
