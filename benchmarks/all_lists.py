"""Matching with every list of the mirror loaded: index build, memory, and the alert rate of
the batch set's unlisted customers.

    python benchmarks/all_lists.py                  # all 199,000 negatives, writes the section
    python benchmarks/all_lists.py --limit 20000 --no-doc

The evaluation protocol stays on the lists its queries were generated from (UN + OFAC 2021,
``eval_matching.py``); this measures what a user who loads everything gets:

1. a fresh SQLite store filled by ``corridor lists update --from ../shared/data/lists`` with
   the mirror README's dates (every release: the newest of each list is active);
2. ``index_build.py`` on it, in its own process: build time and peak memory;
3. the batch set's negatives (customers who are on no list the queries were drawn from)
   matched against all active lists and against UN + OFAC 2021 alone, in this process;
   the alert rate of each, which datasets the new alerts come from, and a seeded sample of
   the new alerts (query, top hit, score, source ids) printed for reading and kept in
   ``benchmarks/out/all_lists_alerts.jsonl``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import shlex
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from doc_sections import git_commit, machine_line, publish_section, utc_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")).resolve()
LISTS = SHARED / "data" / "lists"
BATCH = SHARED / "eval" / "batch"
DATES = ["--list-date", "ofac=2021-07-07", "--list-date", "ofac_sdn_2024=2024-05-03"]
EVAL_DATASETS = ("un_sc_sanctions", "us_ofac_sdn")


def corridor() -> str:
    return str(Path(sys.executable).with_name("corridor"))


def build_store(db: Path) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    cmd = [corridor(), "lists", "update", "--from", str(LISTS), *DATES, "--db", str(db)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return {"seconds": time.perf_counter() - t0, "command": shlex.join(cmd)}


def shown_command(info: dict) -> str:
    """The import command as a reader would type it from the repository root."""
    text = info["command"].replace(str(SHARED), "../shared").replace(str(ROOT) + "/", "")
    return text.replace(".venv/bin/corridor", "corridor")


def negatives(limit: int | None) -> list[dict]:
    with gzip.open(BATCH / "customers_200k.labels.jsonl.gz", "rt", encoding="utf-8") as fh:
        negative = {d["id"] for d in map(json.loads, fh) if d["kind"] == "negative"}
    out = []
    with gzip.open(BATCH / "customers_200k.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["id"] not in negative:
                continue
            props: dict[str, list[str]] = {"name": [row["name"]]}
            if row["country"]:
                props["nationality" if row["schema"] == "Person" else "country"] = [row["country"]]
            if row["birth_date"]:
                props["birthDate"] = [row["birth_date"]]
            out.append({"id": row["id"], "schema": row["schema"], "properties": props})
            if limit and len(out) >= limit:
                break
    return out


def alerts(matcher, queries: list[dict]) -> tuple[dict[str, object], float]:
    """Per query id, its top alerting result (or nothing); and the seconds it took."""
    found: dict[str, object] = {}
    t0 = time.perf_counter()
    for query, results in zip(queries, matcher.match_many(queries, limit=3), strict=True):
        hits = [r for r in results if r.match]
        if hits:
            found[query["id"]] = hits[0]
    return found, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="negatives to match (default all)")
    ap.add_argument("--sample", type=int, default=40, help="new alerts to print for reading")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md")
    args = ap.parse_args(argv)

    db = args.out / "all_lists.db"
    store_info = build_store(db)
    index = json.loads(
        subprocess.run(
            [sys.executable, str(HERE / "index_build.py"), "--db", str(db), "--repeat", "1"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    from corridor.matching import Matcher
    from corridor.store import Store

    queries = negatives(args.limit)
    with Store(f"sqlite:///{db}") as store:
        snapshots = store.active_snapshots()
        everything = Matcher.from_store(store)
        all_hits, all_seconds = alerts(everything, queries)
        del everything
        # UN + the 2021 SDN set: the evaluated lists, taken as they stood in July 2021
        eval_only = Matcher.from_store(store, datasets=EVAL_DATASETS, as_of="2021-07-07")
        eval_hits, eval_seconds = alerts(eval_only, queries)
    new = {q: r for q, r in all_hits.items() if q not in eval_hits}
    by_dataset = Counter(d for r in new.values() for d in set(r.datasets))
    by_query = {q["id"]: q for q in queries}
    rng = random.Random(5150)
    sample_ids = sorted(rng.sample(sorted(new), min(args.sample, len(new))))
    sample = [
        {
            "query": by_query[q]["properties"]["name"][0],
            "schema": by_query[q]["schema"],
            "query_country": (
                by_query[q]["properties"].get("nationality")
                or by_query[q]["properties"].get("country")
                or [""]
            )[0],
            "hit": new[q].caption,
            "score": new[q].score,
            "source_ids": new[q].source_ids,
        }
        for q in sample_ids
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "all_lists_alerts.jsonl", "w", encoding="utf-8") as fh:
        for row in sample:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    n = len(queries)
    limit = f" --limit {args.limit}" if args.limit else ""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` by "
        f"`python benchmarks/all_lists.py{limit}` on {machine_line()}; load average (1/5/15 "
        f"min) {load} at the end: above ~1, other work shared the cores, so times are "
        "indicative.",
        "",
        f"Store: every release of `../shared/data/lists` (`{shown_command(store_info)}`), "
        f"{store_info['seconds']:.0f} s; {len(snapshots)} active datasets, "
        f"{sum(s.entity_count for s in snapshots):,} entities.",
        "",
        "| measure | all lists | UN + OFAC 2021 (evaluated lists) |",
        "|---|---|---|",
        f"| index build (fresh process, no cache) | {index['build_seconds']:.1f} s, "
        f"{index['entities']:,} entities | see Party matching |",
        f"| peak memory of the build process | {index['peak_rss_mb']:.0f} MB "
        "| see Party matching |",
        "| peak memory of a linking worker (forked: its RSS counts the pages it shares "
        f"with the build process) | {index.get('peak_rss_worker_mb', 0.0):.0f} MB "
        "| see Party matching |",
        f"| unlisted batch customers matched | {n:,} | {n:,} |",
        f"| customers with an alert | {len(all_hits):,} ({100 * len(all_hits) / n:.2f} %) | "
        f"{len(eval_hits):,} ({100 * len(eval_hits) / n:.2f} %) |",
        f"| matching time | {all_seconds:.0f} s ({n / all_seconds:.0f} queries/s) | "
        f"{eval_seconds:.0f} s ({n / eval_seconds:.0f} queries/s) |",
        "",
        f"Alerts only the added lists raise: {len(new):,}; their top hit's datasets: "
        + ", ".join(f"{d} {c:,}" for d, c in by_dataset.most_common()),
        "",
        f"A seeded sample of {len(sample)} of them (`benchmarks/out/all_lists_alerts.jsonl`):",
        "",
        "| query | schema, country | top hit | score | source ids |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['query']} | {r['schema']}, {r['query_country']} | {r['hit']} | {r['score']:.2f} | "
        f"{', '.join(r['source_ids'][:3])} |"
        for r in sample
    ]
    publish_section("Matching with every list loaded", "\n".join(lines), write=not args.no_doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
