"""A database of OFAC SDN + UN (the evaluation's lists) and slices of the customer file."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from corridor.matching import Matcher
from corridor.sources.update import update_lists
from corridor.store import Store

BATCH = "eval/batch/customers_200k.csv.gz"
LABELS = "eval/batch/customers_200k.labels.jsonl.gz"


@pytest.fixture(scope="session")
def batch_db(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('batch') / 'corridor.db'}"
    store = Store(url)
    # exactly the lists the evaluation labels were made from: the 2021 OFAC set and the UN list
    for folder in ("ofac", "un"):
        updates = update_lists(store, from_dir=lists_dir / folder)
        assert updates and not any(u.failed for u in updates)
    Matcher.from_store(store)  # write the index cache, as `corridor lists update` users have
    store.close()
    return url


@pytest.fixture(scope="session")
def labels(shared_dir: Path) -> dict[str, dict]:
    with gzip.open(shared_dir / LABELS, "rt", encoding="utf-8") as fh:
        return {row["id"]: row for row in map(json.loads, fh)}


@pytest.fixture(scope="session")
def sample_csv(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path, labels) -> Path:
    """1,500 unlisted customers and the first 60 listed ones of the batch file, in file order."""
    out = tmp_path_factory.mktemp("sample") / "customers.csv"
    negatives = positives = 0
    with (
        gzip.open(shared_dir / BATCH, "rt", encoding="utf-8", newline="") as fh,
        out.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(fh)
        writer = csv.writer(dst)
        writer.writerow(next(reader))
        for row in reader:
            positive = labels[row[0]]["kind"] == "positive"
            if positive and positives < 60:
                positives += 1
                writer.writerow(row)
            elif not positive and negatives < 1500:
                negatives += 1
                writer.writerow(row)
            if positives >= 60 and negatives >= 1500:
                break
    return out
