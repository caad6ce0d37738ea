"""Memory of several processes sharing one mapped index: RSS, PSS and private memory each.

    python benchmarks/index_share.py --db benchmarks/out/eval.db            # 1, 2 and 4 workers
    python benchmarks/index_share.py --db benchmarks/out/eval.db --no-doc

Each worker is what an API or batch worker does on start: ``Matcher.from_store`` (the
index cache file mapped read-only), then a match, then a read of every array of the index
so all its pages are resident. With all workers alive, each reports from
``/proc/self/smaps_rollup`` its RSS, its PSS (shared pages divided among the processes
that map them) and its private memory, and from ``/proc/self/smaps`` the part of its RSS
that is the index file. A second worker that maps the same file adds its private memory
(the interpreter, imports, caches), not a second copy of the index.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time

from doc_sections import git_commit, machine_line, publish_section, utc_now

SECTION = "Index cache shared between processes"

WORKER = textwrap.dedent(
    """
    import json, sys
    from corridor.matching import Matcher
    from corridor.matching.cache import IndexCache, cache_key
    from corridor.settings import database_url
    from corridor.store import Store

    store = Store(database_url(sys.argv[1]))
    matcher = Matcher.from_store(store)
    matcher.match({"schema": "Person", "properties": {"name": ["Sergey Zhukov"]}})
    touched = 0
    for name, array in matcher.index.arrays().items():
        touched += int(array.view("uint8").sum() % 7)
    for name, array in matcher.entities.arrays().items():
        touched += int(array.view("uint8").sum() % 7)
    key = cache_key(store.active_snapshots(), None, None)
    path = str(IndexCache.beside(str(store.url)).path(key))

    def kb(fields, text):
        out = {f: 0 for f in fields}
        for line in text:
            key = line.split(":")[0]
            if key in out:
                out[key] += int(line.split()[1])
        return out

    rollup = kb(("Rss", "Pss", "Private_Clean", "Private_Dirty"), open("/proc/self/smaps_rollup"))
    mapped, in_file = [], False
    for line in open("/proc/self/smaps"):
        head = line.split()[0]
        if head.count("-") == 1 and not head.endswith(":"):
            in_file = line.rstrip().endswith(path)
        elif in_file:
            mapped.append(line)
    index = kb(("Rss", "Pss"), mapped)
    print(json.dumps({"rss": rollup["Rss"], "pss": rollup["Pss"],
                      "private": rollup["Private_Clean"] + rollup["Private_Dirty"],
                      "index_rss": index["Rss"], "index_pss": index["Pss"],
                      "file": path}), flush=True)
    sys.stdin.read()
    """
)


def run_workers(db: str, n: int) -> list[dict]:
    """Start ``n`` workers, wait until each has reported, then end them all."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    reports = []
    try:
        for p in procs:
            assert p.stdout is not None
            reports.append(json.loads(p.stdout.readline()))
        # every worker reported with all of them alive: read each again for PSS
    finally:
        for p in procs:
            p.communicate("", timeout=120)
    return reports


def render(rows: list[tuple[int, list[dict]]], size_mb: float, db: str) -> str:
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` on {machine_line()}; load average "
        f"(1 min) {os.getloadavg()[0]:.1f}.",
        "",
        f"Command: `python benchmarks/index_share.py --db {db}`. Each worker loads the index "
        "as `corridor match` does (`Matcher.from_store`: the cache file mapped read-only), "
        "matches a name and reads every array so all pages are resident; figures from "
        "`/proc/self/smaps_rollup` and `/proc/self/smaps` with all workers alive. PSS counts "
        "a shared page once across the processes that map it.",
        "",
        f"Index file (OFAC SDN + UN): {size_mb:.1f} MB.",
        "",
        "| workers | RSS per worker MB | of which the index file MB | PSS per worker MB "
        "| index file PSS per worker MB | private per worker MB | PSS all workers MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, reports in rows:

        def avg(key: str, reports: list[dict] = reports) -> float:
            return sum(r[key] for r in reports) / len(reports) / 1024

        total_pss = sum(r["pss"] for r in reports) / 1024
        lines.append(
            f"| {n} | {avg('rss'):.0f} | {avg('index_rss'):.1f} | {avg('pss'):.0f} "
            f"| {avg('index_pss'):.1f} | {avg('private'):.0f} | {total_pss:.0f} |"
        )
    lines += [
        "",
        "The index file's pages are in memory once however many workers map it: its PSS per "
        "worker falls as workers are added (each worker reports as soon as it is ready, so "
        "the first ones saw fewer sharers than the last), and no worker holds a private "
        "copy of it. What each further worker adds is its private memory: the interpreter, "
        "the imported libraries and its own caches. The pickled cache of before this change "
        "was unpickled into every worker's private memory.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True, help="database path (its index cache is used)")
    ap.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    ap.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = ap.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    run_workers(args.db, 1)  # writes the cache file if it is missing
    rows = []
    for n in counts:
        rows.append((n, run_workers(args.db, n)))
        time.sleep(0.5)
    size_mb = os.path.getsize(rows[0][1][0]["file"]) / 1024 / 1024
    publish_section(SECTION, render(rows, size_mb, args.db), write=not args.no_doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
