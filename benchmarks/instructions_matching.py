"""Instructions `corridor match` executes, now and at an earlier commit: a count, not a clock.

    python benchmarks/instructions_matching.py --db benchmarks/out/eval.db --baseline 472e953
    python benchmarks/instructions_matching.py --db benchmarks/out/eval.db --baseline 472e953 \\
        --limit 2000

On a shared host one timed run moves by a tenth, so a change of one or two per cent needs
many timed pairs (``ab_matching.py``) and still may not stand out. The number of
instructions a run executes barely moves from one run to the next: this runs
``corridor match`` on the first ``--limit`` batch rows, end to end (process start, the
index mapped from its cache, matching, output), once per engine under Valgrind's callgrind,
with hash randomisation fixed, after a first run of each engine that builds its index cache
(not counted). It reports each engine's instructions, their ratio and, per engine, the
instructions spent in the main stages (inclusive: a stage counts what it calls). Fewer
instructions is not the same as less time (memory stalls, branch misses, the processor's
parallelism weigh too), but a change that removes work shows here at once and exactly.
Needs ``valgrind`` (Debian package ``valgrind``); a run takes about a minute per engine
for 5,000 rows. Writes the "Party matching: instructions side by side with an earlier
engine" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from baseline import checkout_src, engine_options
from doc_sections import git_commit, machine_line, publish_section, utc_now
from profile_matching import batch_queries

SECTION = "Party matching: instructions side by side with an earlier engine"
#: ``corridor match`` as its console script runs it, with the engine on ``PYTHONPATH``.
CLI = "import sys; sys.argv[0] = 'corridor'; from corridor.cli import main; main()"
#: Stages reported, each the compiled function (Cython's name for it) whose inclusive
#: count it is.
STAGES = {
    "prepare a block (normalise, split, blocking look-ups of new parts)": (
        r"7matcher_7Matcher_\d+prepare_block$"
    ),
    "  normalise a name (names/tokens.py)": r"6tokens_\d+name_tokens$",
    "    ICU transliteration (normalize.py)": r"9normalize_\d+_transliterate$",
    "  similar tokens of a new part (index.py)": r"5index_9NameIndex_\d+similar_tokens$",
    "  postings of a new part (matcher.py)": r"7matcher_7Matcher_\d+_postings_uncached$",
    "match the names (matcher.py `_best_names`)": r"7matcher_7Matcher_\d+_best_names$",
    "  blocking: candidates (matcher.py)": r"7matcher_7Matcher_\d+_candidates$",
    "  name alignment (compare/names.py)": r"7compare_5names_\d+align_names$",
    "    part similarities (compare/names.py)": r"7compare_5names_\d+part_similarity$",
    "qualifiers (matcher.py `_feature_values`)": r"7matcher_7Matcher_\d+_feature_values$",
}
_PW = re.compile(r"^\s*([\d,]+) \([^)]*\)\s+\S*:__pyx_pw_8corridor_\d+(\w+?) ")


def counted_run(engine: Path | None, queries: Path, db: str, out: Path) -> int:
    """Instructions of one ``corridor match`` run of ``engine`` (None: the working tree)
    under callgrind, its profile written to ``out``."""
    # An absolute path: engines before ff28067 stopped on a relative one.
    env = dict(os.environ, CORRIDOR_DB=str(Path(db).resolve()), PYTHONHASHSEED="0")
    if engine is not None:
        env["PYTHONPATH"] = str(engine)
    command = [sys.executable, "-c", CLI, "match", "--queries", str(queries)]
    first = queries.with_name("first.jsonl")
    first.write_text(queries.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
    # The index cache of this engine's code, built outside the count.
    subprocess.run([*command[:-1], str(first)], env=env, check=True, capture_output=True)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{engine or 'the working tree'} failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def stage_counts(profile: Path) -> dict[str, int]:
    """Inclusive instructions of each stage's function (``callgrind_annotate``)."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(profile)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in text.splitlines():
        found = _PW.match(line)
        if not found or "'" in line:  # a function's own line, not a recursion's
            continue
        count, name = int(found.group(1).replace(",", "")), found.group(2)
        for stage, pattern in STAGES.items():
            if stage not in counts and re.search(pattern, name):
                counts[stage] = count
    return counts


#: One engine's count: the whole run's instructions and each stage's.
Counted = tuple[int, dict[str, int]]


def render(now: Counted, before: Counted, rev: str, rows: int, command: str) -> str:
    (n_total, n_stages), (b_total, b_stages) = now, before
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` on {machine_line()}.",
        "",
        f"Command: `{command}`. `corridor match` on the first {rows:,} batch rows, end to end "
        "(process start, the index mapped from its cache, matching, output), each engine run "
        "once under Valgrind's callgrind with `PYTHONHASHSEED=0`, after a first run that "
        "builds its index cache; instructions executed, in millions (a stage counts what "
        "it calls).",
        "",
        f"| | now | before (`{rev}`) | now / before |",
        "|---|---|---|---|",
        f"| whole run | {n_total / 1e6:,.0f} | {b_total / 1e6:,.0f} | {n_total / b_total:.3f} |",
    ]
    for stage in STAGES:
        n, b = n_stages.get(stage), b_stages.get(stage)
        if n is None and b is None:
            continue
        ratio = f"{n / b:.3f}" if n and b else ""
        label = stage.replace("  ", "&nbsp;&nbsp;")
        n_text = f"{n / 1e6:,.0f}" if n is not None else ""
        b_text = f"{b / 1e6:,.0f}" if b is not None else ""
        lines.append(f"| {label} | {n_text} | {b_text} | {ratio} |")
    lines += [
        "",
        f"Now executes **{n_total / b_total:.3f}×** the earlier engine's instructions "
        f"({abs(1 - n_total / b_total) * 100:.1f} % "
        f"{'fewer' if n_total <= b_total else 'more'}).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    engine_options(ap, limit=5000)
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    command = (
        f"python benchmarks/instructions_matching.py --db benchmarks/out/eval.db "
        f"--baseline {args.baseline} --limit {args.limit}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        queries = batch_queries(args.limit, Path(tmp))
        before_src = checkout_src(args.baseline, Path(tmp))
        counted = {}
        for side, engine in (("now", None), ("before", before_src)):
            profile = Path(tmp) / f"callgrind.{side}"
            total = counted_run(engine, queries, args.db, profile)
            counted[side] = (total, stage_counts(profile))
            print(f"{side}: {total / 1e6:,.0f} million instructions", flush=True)
    publish_section(
        SECTION,
        render(counted["now"], counted["before"], args.baseline, args.limit, command),
        write=not args.no_doc,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
