"""Where party matching spends its time: a profile of ``corridor match`` by stage.

    python benchmarks/profile_matching.py --db benchmarks/out/eval.db                 # now
    python benchmarks/profile_matching.py --db benchmarks/out/eval.db --baseline f891fee

Profiles, with cProfile, ``Matcher.match_protocol`` over the first 20,000 rows of the batch
file (every query new to the process, as in ``corridor match``) after the index is loaded,
and sums the time spent in each stage: preparing the query, normalising its names
(``names/``), blocking (the per-part look-ups of similar vocabulary tokens and their
postings, the candidate selection), the name alignment (``compare/names.py``), and the
qualifiers and ranking. ``--baseline REV`` profiles the code of an earlier commit the same
way (its ``src/`` checked out to a temporary folder), so the two profiles come from one run.
Process start and index loading are not in the profile; ``eval_matching.py`` times the
whole command. Writes the "Party matching: where the time goes" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from doc_sections import git_commit, machine_line, publish_section, utc_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared"))
SECTION = "Party matching: where the time goes"

#: Stages, and the functions whose cumulative time is the stage's (outermost first: a
#: function inside another stage's function is counted once, in the first stage listed
#: that it appears under).
STAGES = {
    "prepare the query": ("query.py:prepare_query",),
    "normalise names (names/)": ("tokens.py:name_tokens",),
    "blocking: similar tokens of each new part": ("matcher.py:_similar_uncached",),
    "blocking: postings of each new part": ("matcher.py:_postings_uncached",),
    "blocking: candidates (accumulate, rank, top 30)": ("matcher.py:_candidates",),
    "name alignment (compare/names.py)": ("names.py:compare_names", "names.py:align_names"),
    "qualifiers and ranking": ("matcher.py:_feature_values", "matcher.py:_score_entities"),
}

PROFILE = textwrap.dedent(
    """
    import cProfile, json, pstats, sys, time, orjson
    from corridor.matching import Matcher
    from corridor.settings import database_url
    from corridor.store import Store
    matcher = Matcher.from_store(Store(database_url(sys.argv[1])))
    queries = [orjson.loads(line) for line in open(sys.argv[2], "rb")]
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    for q in queries:
        matcher.match_protocol(q, 10)
    profile.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(profile).stats
    out = {"wall_profiled": wall, "queries": len(queries), "functions": {}}
    for (path, line, name), (cc, nc, tt, ct, callers) in stats.items():
        key = path.rsplit("/", 1)[-1] + ":" + name
        f = out["functions"].setdefault(key, {"calls": 0, "tottime": 0.0, "cumtime": 0.0})
        f["calls"] += nc
        f["tottime"] += tt
        f["cumtime"] = max(f["cumtime"], ct)
    t0 = time.perf_counter()
    matcher = Matcher(matcher.entities, matcher.index)  # fresh caches: every query new again
    for q in queries:
        matcher.match_protocol(q, 10)
    out["wall"] = time.perf_counter() - t0
    print(json.dumps(out))
    """
)


def batch_queries(limit: int, into: Path) -> Path:
    """The first ``limit`` batch rows as query JSON Lines (score.py's own mapping)."""
    path = into / "batch.jsonl"
    out = subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            "--csv2jsonl",
            str(SHARED / "eval" / "batch" / "customers_200k.csv.gz"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path.write_text("".join(out.splitlines(keepends=True)[:limit]), encoding="utf-8")
    return path


def checkout_src(rev: str, into: Path) -> Path:
    """``src/`` of an earlier commit."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def profile(db: str, queries: Path, src: Path | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    run = subprocess.run(
        [sys.executable, "-c", PROFILE, db, str(queries)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def stages(result: dict) -> dict[str, float]:
    """Seconds per stage (cumulative time of the stage's functions, profiled)."""
    funcs = result["functions"]
    out = {}
    for stage, names in STAGES.items():
        out[stage] = sum(funcs.get(n, {}).get("cumtime", 0.0) for n in names)
    out["blocking: candidates (accumulate, rank, top 30)"] = max(
        0.0,
        out["blocking: candidates (accumulate, rank, top 30)"]
        - out["blocking: postings of each new part"],
    )
    total = funcs.get("matcher.py:match_protocol", {}).get("cumtime", result["wall_profiled"])
    qualifiers = funcs.get("matcher.py:_score_entities", {}).get("cumtime", 0.0)
    best = funcs.get("matcher.py:_best_names", {}).get("cumtime", 0.0)
    out["qualifiers and ranking"] = max(0.0, qualifiers - best)
    out["total (profiled)"] = total
    return out


def top_functions(result: dict, n: int = 12) -> list[tuple[str, dict]]:
    funcs = result["functions"]
    return sorted(funcs.items(), key=lambda kv: -kv[1]["tottime"])[:n]


def render(now: dict, before: dict | None, rev: str | None, command: str) -> str:
    s_now = stages(now)
    s_before = stages(before) if before else None
    q = now["queries"]
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` on {machine_line()}; load average "
        f"(1 min) {os.getloadavg()[0]:.1f}.",
        "",
        f"Command: `{command}`. cProfile of `Matcher.match_protocol` over the first {q:,} "
        "batch rows after the index is loaded (every query new to the process, as in "
        "`corridor match`); seconds are profiled time (cProfile roughly doubles Python-heavy "
        "code), shares are what counts. Unprofiled in the same process, with fresh caches: "
        f"{now['wall']:.2f} s now"
        + (f", {before['wall']:.2f} s before (`{rev}`)" if before else "")
        + ".",
        "",
    ]
    head = "| stage | now s | now share |"
    rule = "|---|---|---|"
    if s_before:
        head += f" before (`{rev}`) s | before share |"
        rule += "---|---|"
    lines += [head, rule]
    total_now = s_now["total (profiled)"]
    total_before = s_before["total (profiled)"] if s_before else 1.0
    for stage in [*STAGES, "total (profiled)"]:
        row = f"| {stage} | {s_now[stage]:.2f} | {s_now[stage] / total_now:.0%} |"
        if s_before:
            row += f" {s_before[stage]:.2f} | {s_before[stage] / total_before:.0%} |"
        lines.append(row)
    ranked = sorted(STAGES, key=lambda k: -s_now[k])
    lines += [
        "",
        "Where the time goes: "
        + ", ".join(f"{k} {s_now[k] / total_now:.0%}" for k in ranked[:3])
        + "; the rest is small. No single stage dominates enough for one fix to give a "
        "large factor: the alignment is spread over a few candidate names per query, and "
        "blocking over the keys of each part seen for the first time.",
    ]
    for label, result in (("now", now), (f"before (`{rev}`)", before)):
        if result is None:
            continue
        lines += [
            "",
            f"Most time of its own, {label}:",
            "",
            "| function | calls | own s | with callees s |",
            "|---|---|---|---|",
        ]
        for name, f in top_functions(result):
            lines.append(f"| `{name}` | {f['calls']:,} | {f['tottime']:.2f} | {f['cumtime']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True, help="database holding OFAC SDN + UN")
    ap.add_argument("--baseline", help="an earlier commit to profile the same way")
    ap.add_argument("--limit", type=int, default=20000, help="batch rows profiled")
    ap.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = ap.parse_args(argv)
    command = "python benchmarks/profile_matching.py --db benchmarks/out/eval.db" + (
        f" --baseline {args.baseline}" if args.baseline else ""
    )
    with tempfile.TemporaryDirectory() as tmp:
        queries = batch_queries(args.limit, Path(tmp))
        now = profile(args.db, queries, None)
        before = None
        if args.baseline:
            before = profile(args.db, queries, checkout_src(args.baseline, Path(tmp)))
    publish_section(SECTION, render(now, before, args.baseline, command), write=not args.no_doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
