"""List import benchmark: OFAC SDN + UN into a fresh SQLite store, and the bulk read back.

    python benchmarks/import_lists.py           # 5 runs; updates docs/benchmarks.md
    python benchmarks/import_lists.py --no-doc  # print only

What is timed, each on a fresh database file in a temporary directory:

* parse only: the registry parsers over ``../shared/data/lists`` (entities consumed, not stored);
* import: hash + parse + ``Store.import_list`` for both datasets (one transaction each),
  the way ``corridor lists update --from`` does it;
* read: ``Store.iter_entities()`` over every active entity, which is what the matching
  index build starts with;
* the first parse in a new process: the parsers' imports and first-use tables (the
  country lookup, the FtM property names read from their cache) on top of the parse;
* the CLI end to end (``corridor lists update --from``, a new process, so Python start-up and
  imports are included).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corridor.model import Entity, ParsedList
from corridor.sources import registry
from corridor.store import Store, dataset_hash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doc_sections import git_commit, machine_line, publish_section, utc_now  # noqa: E402

DATASETS = ("us_ofac_sdn", "un_sc_sanctions")
ROOT = Path(__file__).resolve().parents[1]
LISTS = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")) / "data" / "lists"


def time_parse(lists: Path) -> tuple[float, int]:
    found = registry.detect(lists)
    started = time.perf_counter()
    count = sum(
        sum(1 for _ in registry.parse_dataset(name, found[name]).entities) for name in DATASETS
    )
    return time.perf_counter() - started, count


def time_import(lists: Path, url: str) -> tuple[float, int]:
    store = Store(url)
    started = time.perf_counter()
    found = registry.detect(lists)
    count = 0
    for name in DATASETS:
        paths = found[name]
        snap = store.import_list(
            registry.parse_dataset(name, paths), file_hash=dataset_hash(paths), source=str(lists)
        )
        count += snap.entity_count
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, count


def time_read(url: str) -> tuple[float, int]:
    store = Store(url)
    started = time.perf_counter()
    count = sum(1 for _ in store.iter_entities())
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed, count


#: Figures from before the first-use costs were cut, kept so the section shows the change.
HISTORY = (
    "Before the quick country table and the cached FtM property names (commit 42ded17, same "
    "machine, 2026-11-27): first parse in a new process 1.89 s (median of 5), "
    "`corridor lists update --from ../shared/data/lists` with all four datasets 2.3 s "
    "(`time`, 3 runs; now 1.1 s), because the first country lookup built rigour's "
    "28,000-name territory table (~1.3 s) and the parsers loaded the FtM model (~0.45 s)."
)


def time_scale(lists: Path, url: str, copies: int) -> tuple[float, float, int]:
    """Store writes and reads alone at ``copies`` × the SDN list (new ids), as for big FtM sets."""
    sdn = list(
        registry.parse_dataset("us_ofac_sdn", registry.detect(lists)["us_ofac_sdn"]).entities
    )

    def clones() -> Iterator[Entity]:
        for i in range(copies):
            for e in sdn:
                yield Entity(f"{e.id}-{i}", e.schema, e.dataset, f"{e.source_id}-{i}", e.properties)

    store = Store(url)
    started = time.perf_counter()
    snap = store.import_list(
        ParsedList("us_ofac_sdn", None, clones()), file_hash="0" * 64, source=""
    )
    write = time.perf_counter() - started
    started = time.perf_counter()
    read = sum(1 for _ in store.iter_entities())
    assert read == snap.entity_count
    store.close()
    return write, time.perf_counter() - started, snap.entity_count


COLD_PARSE = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from corridor.sources import registry
found = registry.detect(Path(sys.argv[1]))
count = sum(sum(1 for _ in registry.parse_dataset(n, found[n]).entities) for n in sys.argv[2:])
print(time.perf_counter() - started, count)
"""


def time_cold_parse(lists: Path) -> float:
    """Import and parse in a fresh interpreter, as the first update of a session does."""
    done = subprocess.run(
        [sys.executable, "-c", COLD_PARSE, str(lists), *DATASETS],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[0])


def time_cli(lists: Path, db: Path) -> float:
    corridor = Path(sys.executable).with_name("corridor")
    command = [str(corridor), "lists", "update", "--from", str(lists), "--db", str(db)]
    for name in DATASETS:
        command += ["--dataset", name]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20, help="SDN copies for the scale run")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    time_parse(args.lists)  # warm-up: module imports and OS file cache are not the subject
    parse_s, import_s, read_s, cold_s, cli_s = [], [], [], [], []
    entities = 0
    db_bytes = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "corridor.db"
            url = f"sqlite:///{db}"
            seconds, parsed = time_parse(args.lists)
            parse_s.append(seconds)
            seconds, entities = time_import(args.lists, url)
            import_s.append(seconds)
            assert entities == parsed, (entities, parsed)
            seconds, read = time_read(url)
            read_s.append(seconds)
            assert read == entities
            db_bytes = db.stat().st_size + sum(
                p.stat().st_size for p in Path(tmp).glob("corridor.db-*")
            )
            cold_s.append(time_cold_parse(args.lists))
            cli_s.append(time_cli(args.lists, Path(tmp) / "cli.db"))

    with tempfile.TemporaryDirectory() as tmp:
        scale_write, scale_read, scale_n = time_scale(
            args.lists, f"sqlite:///{tmp}/s.db", args.copies
        )

    med = statistics.median
    lines = [
        f"Command: `.venv/bin/python benchmarks/import_lists.py --repeat {args.repeat}` "
        f"(median of {args.repeat} runs, each on a fresh SQLite file; "
        f"commit {git_commit()}, {utc_now()}).",
        "",
        f"Machine: {machine_line()}; load average at the start {load:.2f} (other work on the "
        "same cores inflates the median; the min is the undisturbed figure).",
        "",
        f"Data: OFAC SDN CSV set + UN consolidated XML from `../shared/data/lists`: "
        f"{entities:,} entities, database {db_bytes / 1e6:.1f} MB.",
        "",
        "| step | median | min | rate |",
        "|---|---|---|---|",
        f"| parse only (registry parsers) | {med(parse_s):.2f} s | {min(parse_s):.2f} s "
        f"| {entities / med(parse_s):,.0f} entities/s |",
        f"| import (hash + parse + store, one transaction per dataset) | {med(import_s):.2f} s "
        f"| {min(import_s):.2f} s | {entities / med(import_s):,.0f} entities/s |",
        f"| of which store writes (import − parse) | {med(import_s) - med(parse_s):.2f} s | | |",
        f"| `Store.iter_entities()` read of all active entities | {med(read_s):.3f} s "
        f"| {min(read_s):.3f} s | {entities / med(read_s):,.0f} entities/s |",
        f"| first parse in a new process (imports, country table, FtM property names) "
        f"| {med(cold_s):.2f} s | {min(cold_s):.2f} s | |",
        f"| `corridor lists update --from … --dataset us_ofac_sdn --dataset un_sc_sanctions` "
        f"(new process: start-up, imports, cold parsers) | {med(cli_s):.2f} s "
        f"| {min(cli_s):.2f} s | |",
        f"| scale: store writes of {scale_n:,} entities (SDN × {args.copies}, one run) "
        f"| {scale_write:.2f} s | | {scale_n / scale_write:,.0f} entities/s |",
        f"| scale: `iter_entities()` over those {scale_n:,} | {scale_read:.2f} s | "
        f"| {scale_n / scale_read:,.0f} entities/s |",
        "",
        HISTORY,
    ]
    publish_section("List import", "\n".join(lines), write=not args.no_doc)


if __name__ == "__main__":
    main()
