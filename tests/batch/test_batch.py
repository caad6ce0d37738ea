"""corridor batch on a slice of the evaluation's customer file: every format in and out,
the same alerts as the matcher gives row by row, bad rows, mappings, and resumption after
the process is killed."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corridor.batch import BatchOptions, ColumnMapping, run_batch
from corridor.errors import InputError
from corridor.matching import Matcher
from corridor.store import Store


def read_output(path: Path) -> list[dict]:
    """Output records as (id, line, [(score, source ids)], error), whatever the format."""
    name = path.name
    if name.endswith(".parquet"):
        rows = pq.read_table(path).to_pylist()
        return [_from_flat(r) for r in rows]
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        if ".csv" in name:
            return [_from_flat(r) for r in csv.DictReader(fh)]
        out = []
        for line in fh:
            r = json.loads(line)
            out.append(
                {
                    "id": r["id"],
                    "line": r["line"],
                    "error": r["error"],
                    "alerts": [(a["score"], a["source_ids"]) for a in r["alerts"]],
                }
            )
        return out


def _from_flat(r: dict) -> dict:
    alerts = json.loads(r["alerts"]) if r["alerts"] else []
    return {
        "id": r["id"],
        "line": int(r["line"]),
        "error": r["error"] or None,
        "alerts": [(a["score"], a["source_ids"]) for a in alerts],
    }


def run(db: str, src: Path, out: Path, **kw) -> object:
    return run_batch(BatchOptions(input=src, output=out, **kw), Store(db))


def to_jsonl(src: Path, dst: Path) -> None:
    with src.open(encoding="utf-8", newline="") as fh, dst.open("w", encoding="utf-8") as out:
        for row in csv.DictReader(fh):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def test_alerts_are_the_matchers_and_score_like_corridor_match(
    batch_db, sample_csv, labels, tmp_path
) -> None:
    out = tmp_path / "alerts.jsonl"
    summary = run(batch_db, sample_csv, out, workers=2)
    records = read_output(out)
    assert summary.records == len(records) == 1560 and summary.bad_rows == 0
    # row by row, the alerts are the matcher's own matches (what `corridor match` prints)
    matcher = Matcher.from_store(Store(batch_db))
    mapping = ColumnMapping()
    with sample_csv.open(encoding="utf-8", newline="") as fh:
        for line, (row, rec) in enumerate(zip(csv.DictReader(fh), records, strict=True), 2):
            _, _, query = mapping.row(line, row)
            expected = [
                (r["score"], r["source_ids"])
                for r in matcher.match_protocol(query, limit=10)
                if r["match"]
            ]
            assert rec["id"] == row["id"] and rec["line"] == line
            assert rec["alerts"] == expected
    # and so recall and false-positive rate on the labels are those of the matcher
    pos = [r for r in records if labels[r["id"]]["kind"] == "positive"]
    neg = [r for r in records if labels[r["id"]]["kind"] == "negative"]
    hits = sum(any(set(s) & set(labels[r["id"]]["expected"]) for _, s in r["alerts"]) for r in pos)
    assert hits / len(pos) >= 0.95
    assert sum(bool(r["alerts"]) for r in neg) / len(neg) <= 0.005
    full = json.loads(
        out.read_text().splitlines()[[bool(r["alerts"]) for r in records].index(True)]
    )
    alert = full["alerts"][0]
    assert alert["explanation"]["name"]["pairs"] and alert["source_ids"] and alert["caption"]


@pytest.mark.parametrize("out_name", ["a.csv", "a.csv.gz", "a.parquet", "a.jsonl.gz"])
@pytest.mark.parametrize("in_kind", ["csv", "csv.gz", "parquet", "jsonl"])
def test_every_format_in_and_out_gives_the_same_alerts(
    batch_db, sample_csv, tmp_path, in_kind, out_name, request
) -> None:
    src = tmp_path / f"in.{in_kind}"
    if in_kind == "csv":
        src.write_bytes(sample_csv.read_bytes())
    elif in_kind == "csv.gz":
        src.write_bytes(gzip.compress(sample_csv.read_bytes()))
    elif in_kind == "jsonl":
        to_jsonl(sample_csv, src)
    else:
        with sample_csv.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        pq.write_table(pa.Table.from_pylist(rows), src)
    out = tmp_path / out_name
    run(batch_db, src, out, workers=1)
    got = read_output(out)
    reference = tmp_path / "ref.jsonl"
    if not reference.exists():
        run(batch_db, sample_csv, reference, workers=1)
    ref = read_output(reference)
    assert [r["id"] for r in got] == [r["id"] for r in ref]
    assert [r["alerts"] for r in got] == [r["alerts"] for r in ref]
    if in_kind != "parquet":  # Parquet rows are numbered from 1, text lines after the header
        assert [r["line"] for r in got] == [r["line"] for r in ref] or in_kind == "jsonl"


def test_bad_rows_are_reported_with_their_line_and_the_run_goes_on(batch_db, tmp_path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(
        "id,name,schema,country,birth_date\n"
        "r1,Ali Akbar Ahmadian,Person,ir,\n"
        "r2,,Person,ir,\n"
        'r3,"two\nlines",Spaceship,,\n'
        "r4,only,three\n"
        f"r5,{'x' * 600},Person,,\n"
        "r6,Jane Average,Person,gb,1980\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    bad: list[tuple[int, str, str]] = []

    from corridor.batch import BatchProgress

    class Watch(BatchProgress):
        def bad_row(self, line, row_id, message):
            bad.append((line, row_id, message))

    summary = run_batch(BatchOptions(input=src, output=out, workers=1), Store(batch_db), Watch())
    assert summary.records == 6 and summary.bad_rows == 4 and summary.screened == 2
    assert bad == [
        (3, "r2", "no name"),
        (
            4,
            "r3",
            "schema 'Spaceship': use one of Airplane, Company, LegalEntity, Organization, "
            "Person, PublicBody, Vehicle, Vessel",
        ),
        (6, "line-6", "3 fields where the header has 5"),
        (7, "r5", "name of 600 characters, above 500"),
    ]
    records = read_output(out)
    assert records[0]["alerts"] and not records[5]["alerts"]

    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text(
        '{"id": "a", "name": "Ali Akbar Ahmadian"}\n{not json\n[1, 2]\n'
        '{"id": "b", "name": "Jane Average"}\n',
        encoding="utf-8",
    )
    bad.clear()
    summary = run_batch(BatchOptions(input=jsonl, output=out, workers=1), Store(batch_db), Watch())
    assert summary.records == 4 and [b[0] for b in bad] == [2, 3]
    assert "not valid JSON" in bad[0][2] and "JSON object" in bad[1][2]


def test_columns_are_mapped_by_flags_or_a_file(batch_db, tmp_path) -> None:
    src = tmp_path / "erp.csv"
    src.write_text(
        "cust_no,full_name,kind,nat,dob\nk1,Ali Akbar Ahmadian,Person,ir,\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match=r"no column for name \('name'\); the columns are cust_no"):
        run(batch_db, src, out)
    flags = ColumnMapping.build(
        ["id=cust_no", "name=full_name", "schema=kind", "country=nat", "birth_date=dob"]
    )
    run(batch_db, src, out, mapping=flags)
    assert read_output(out)[0]["alerts"]
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text(
        "id: cust_no\nname: full_name\nschema: kind\ncountry: nat\nbirth_date: dob\n",
        encoding="utf-8",
    )
    assert ColumnMapping.build([], mapping_file) == flags
    with pytest.raises(InputError, match="unknown field 'nme'"):
        ColumnMapping.build(["nme=full_name"])


def corridor(*args: str, db: str) -> list[str]:
    return [sys.executable, "-m", "corridor", "batch", *args, "--db", db]


@pytest.mark.parametrize("out_name", ["alerts.jsonl", "alerts.csv.gz", "alerts.parquet"])
def test_resume_after_a_kill_screens_no_row_twice_and_loses_none(
    batch_db, shared_dir, tmp_path, out_name
) -> None:
    src = tmp_path / "customers.csv"
    with gzip.open(shared_dir / "eval/batch/customers_200k.csv.gz", "rt", encoding="utf-8") as fh:
        src.write_text("".join(next(fh) for _ in range(6001)), encoding="utf-8")
    db = batch_db.removeprefix("sqlite:///")
    whole = tmp_path / f"whole-{out_name}"
    subprocess.run(
        corridor(str(src), "-o", str(whole), "-w", "1", "-q", "--chunk-rows", "250", db=db),
        check=True,
        capture_output=True,
    )

    out = tmp_path / out_name
    checkpoint = Path(str(out) + ".checkpoint.json")
    proc = subprocess.Popen(
        corridor(str(src), "-o", str(out), "-w", "2", "-q", "--chunk-rows", "250", db=db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (
            checkpoint.exists()
            and json.loads(checkpoint.read_text() or "{}").get("records", 0) >= 1000
        ):
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes, mid-way
    proc.wait()
    stopped_at = json.loads(checkpoint.read_text())["records"]
    assert 1000 <= stopped_at < 6000

    done = subprocess.run(
        corridor(
            str(src), "-o", str(out), "-w", "2", "--resume", "-q", "--chunk-rows", "250", db=db
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    assert f"{stopped_at:,} before resuming" in done.stderr
    assert not checkpoint.exists()
    assert read_output(out) == read_output(whole)
    ids = [r["id"] for r in read_output(out)]
    assert len(ids) == len(set(ids)) == 6000


def test_resume_refuses_another_input(batch_db, sample_csv, tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match="nothing to resume"):
        run(batch_db, sample_csv, out, resume=True)
