"""Matching side by side with an earlier engine, in process, alternating runs.

    python benchmarks/ab_matching.py --db benchmarks/out/eval.db --baseline 43984c2
    python benchmarks/ab_matching.py --db benchmarks/out/eval.db --baseline 43984c2 --pairs 10

On a shared machine one run of the 20,000 batch rows moves by a tenth or more with the other
work on the host, so a change of a few per cent cannot be seen in one run of each engine.
This runs the two engines in turn, each in a fresh process (``Matcher``'s ``match_protocol``
over the rows after the index is loaded, a block of 256 prepared at a time and the collector
frozen as ``corridor match`` does it), ``--pairs`` times, the first of each pair
alternating, and reports each engine's median and each pair's ratio: a difference smaller
than the spread of the pairs' ratios is not one. With the baseline at the commit of the
working tree's engine it measures the noise itself. ``--baseline REV``'s ``src/`` is checked
out and compiled as ``eval_matching.py`` does it. Writes the "Party matching: side by side
with an earlier engine" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from baseline import checkout_src, engine_options, run_program
from doc_sections import git_commit, machine_line, publish_section, utc_now
from profile_matching import MATCH_ALL, batch_queries

SECTION = "Party matching: side by side with an earlier engine"
ROOT = Path(__file__).resolve().parent.parent
#: The code a query runs through and what is compiled of it: where it is the same, the two
#: sides measure the noise.
ENGINE = ("src/corridor/matching", "src/corridor/names", "setup.py")
#: Fewer pairs than this agree by chance too often to say anything.
MIN_PAIRS = 3

RUN = MATCH_ALL + textwrap.dedent(
    """
    import gc, json, sys, time, orjson
    from corridor.matching import Matcher
    from corridor.settings import database_url
    from corridor.store import Store
    matcher = Matcher.from_store(Store(database_url(sys.argv[1])))
    queries = [orjson.loads(line) for line in open(sys.argv[2], "rb")]
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    cpu, wall = time.process_time(), time.perf_counter()
    match_all(matcher, queries)
    print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}))
    """
)


def run_once(db: str, queries: Path, src: Path | None) -> dict[str, float]:
    """One fresh process matching every query once: its CPU and wall seconds."""
    return run_program(RUN, [db, str(queries)], src)


def side_by_side(db: str, queries: Path, before: Path, pairs: int) -> list[tuple[dict, dict]]:
    """``pairs`` (now, before) runs; odd pairs start with the earlier engine, so a drift of
    the host over the run weighs on both alike."""
    out = []
    for k in range(pairs):
        if k % 2:
            then = run_once(db, queries, before)
            now = run_once(db, queries, None)
        else:
            now = run_once(db, queries, None)
            then = run_once(db, queries, before)
        print(f"pair {k + 1}: now {now['cpu']:.2f} s, before {then['cpu']:.2f} s CPU", flush=True)
        out.append((now, then))
    return out


def same_engine(rev: str) -> bool:
    """The working tree's matching and names code is ``rev``'s."""
    return (
        subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", rev, "--", *ENGINE]).returncode
        == 0
    )


def render(results: list[tuple[dict, dict]], rev: str, rows: int, command: str, same: bool) -> str:
    now = [n["cpu"] for n, _ in results]
    before = [b["cpu"] for _, b in results]
    ratios = sorted(b["cpu"] / n["cpu"] for n, b in results)
    speed = statistics.median(before) / statistics.median(now)
    agree = all(r > 1 for r in ratios) or all(r < 1 for r in ratios)
    if len(ratios) < MIN_PAIRS:
        verdict = "there are too few pairs to tell a difference from the noise"
    elif agree:
        verdict = "every pair agrees on which is faster"
    else:
        verdict = "the pairs disagree on which is faster: the difference is within the noise"
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` on {machine_line()}; load average "
        f"(1 min) {os.getloadavg()[0]:.1f}.",
        "",
        f"Command: `{command}`. `Matcher.match_protocol` over the first {rows:,} batch rows "
        "after the index is loaded (a block of 256 prepared at a time where the engine has "
        "`prepare_block`, as `corridor match` does), each run in a fresh process, the two "
        "engines in turn "
        f"({len(results)} pairs, the first of each pair alternating); CPU seconds of the "
        "matching loop.",
        "",
        "| | median s | runs s |",
        "|---|---|---|",
        f"| now | {statistics.median(now):.2f} | {', '.join(f'{x:.2f}' for x in now)} |",
        f"| before (`{rev}`) | {statistics.median(before):.2f} | "
        f"{', '.join(f'{x:.2f}' for x in before)} |",
        "",
        f"Now runs at **{speed:.2f}×** the earlier engine's speed (ratio of the medians); the "
        f"pairs' ratios span {ratios[0]:.2f}–{ratios[-1]:.2f}, so {verdict}."
        + (
            f" The code a query runs through ({', '.join(f'`{p}`' for p in ENGINE)}) is the "
            f"same at `{rev}` as now: this run measures the host's noise."
            if same
            else ""
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    engine_options(ap, limit=20000)
    ap.add_argument("--pairs", type=int, default=6, help="runs of each engine")
    args = ap.parse_args(argv)
    if args.pairs < 1:
        ap.error("--pairs must be at least 1")
    command = (
        f"python benchmarks/ab_matching.py --db benchmarks/out/eval.db "
        f"--baseline {args.baseline} --pairs {args.pairs}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        queries = batch_queries(args.limit, Path(tmp))
        before = checkout_src(args.baseline, Path(tmp))
        results = side_by_side(args.db, queries, before, args.pairs)
    publish_section(
        SECTION,
        render(results, args.baseline, args.limit, command, same_engine(args.baseline)),
        write=not args.no_doc,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
