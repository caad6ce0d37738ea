"""Where party matching spends its time: a profile of ``corridor match`` by stage.

    python benchmarks/profile_matching.py --db benchmarks/out/eval.db                 # now
    python benchmarks/profile_matching.py --db benchmarks/out/eval.db --baseline b65022a

Runs ``Matcher.match_protocol`` over the first 20,000 rows of the batch file (every query
new to the process and a block of 256 prepared at a time, as in ``corridor match``) after
the index is loaded, and clocks each stage by wall time, each function's time without the
stages it calls: preparing the query, normalising its names (``names/``), blocking (the
per-part look-ups of similar vocabulary tokens and their postings, the candidate selection), the
name alignment (``compare/names.py``, compiled), the qualifiers and ranking, and the
matcher's own loop around them. Wall clocks, not cProfile, because cProfile sees nothing
inside compiled code and doubles the cost of Python-heavy code; a cProfile run adds the
functions with the most time of their own (compiled functions count in their Python caller).
``--baseline REV`` measures the code of an earlier commit the same way (its ``src/`` checked
out to a temporary folder), so both profiles come from one run. Process start and index
loading are not in the profile; ``eval_matching.py`` times the whole command.
Writes the "Party matching: where the time goes" section of docs/benchmarks.md.
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

from baseline import checkout_src, run_program
from doc_sections import git_commit, machine_line, publish_section, utc_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared"))
SECTION = "Party matching: where the time goes"

#: Stages and the functions clocked for each: ``module:name`` (a module-level function as
#: the matcher calls it) or ``Matcher.name`` (a method, wrapped before the matcher is made).
STAGES = {
    "prepare the query": ("matcher:prepare_query",),
    "normalise names (names/)": ("matcher:name_tokens",),
    "blocking: similar tokens of each new part": ("Matcher._similar_uncached",),
    "blocking: postings of each new part": (
        "Matcher._postings_uncached",
        "Matcher._glued_postings_uncached",
    ),
    "blocking: candidates (accumulate, rank, top 30)": ("Matcher._candidates",),
    # (``compare_names`` in engines from before the alignment as plain tuples)
    "name alignment (compare/names.py)": ("matcher:align_names", "matcher:compare_names"),
    "the loop over candidates (matcher.py)": ("Matcher._best_names",),
    "qualifiers and ranking": ("Matcher._feature_values", "Matcher._score_entities"),
}
OTHER = "the rest (the loops over blocks and queries, results)"

#: Every query matched as ``corridor match`` does it, a block at a time where the engine has
#: ``prepare_block`` (one by one for an engine from before blocks): a function of the
#: scripts run in the measured process (here and in ``ab_matching.py``).
MATCH_ALL = textwrap.dedent(
    """
    def match_all(matcher, queries):
        if not hasattr(matcher, "prepare_block"):
            for query in queries:
                matcher.match_protocol(query, 10)
            return
        for start in range(0, len(queries), 256):
            for prepared in matcher.prepare_block(queries[start : start + 256]):
                matcher.match_protocol(prepared, 10)
    """
)

PROFILE = MATCH_ALL + textwrap.dedent(
    """
    import copy, cProfile, json, pstats, sys, time, orjson
    from corridor.matching import Matcher, matcher as module
    from corridor.settings import database_url
    from corridor.store import Store
    stages = json.loads(sys.argv[3])
    spent = {stage: 0.0 for stage in stages}
    stack = [0.0]  # time spent in clocked callees of each open clocked call
    clock = time.perf_counter

    def clocked(stage, func):
        def run(*args, **kwargs):
            stack.append(0.0)
            t0 = clock()
            try:
                return func(*args, **kwargs)
            finally:
                took = clock() - t0
                inner = stack.pop()
                spent[stage] += took - inner
                stack[-1] += took
        return run

    originals, owner_stage = {}, {}
    for stage, names in stages.items():
        for name in names:
            owner, attr = (Matcher, name.split(".", 1)[1]) if name.startswith("Matcher.") else (
                module, name.split(":", 1)[1])
            if hasattr(owner, attr):
                originals[(owner, attr)] = getattr(owner, attr)
                owner_stage[(owner, attr)] = stage
    def cold():  # a matcher with every cache empty: each query new, as in a fresh process
        for name, mod in list(sys.modules.items()):
            if name.startswith("corridor."):
                for value in list(vars(mod).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear) and not isinstance(value, type):  # not Memo itself
                        clear()
        pairs = getattr(sys.modules.get("corridor.matching.compare.names"), "PAIRS", None)
        if pairs is not None:  # the part similarities' memo
            pairs.rows.clear()
            pairs.held = 0
        # The index as a fresh process maps it: its copies leave out what it decodes and
        # keeps as it is read (``NameIndex.__getstate__``), and share its arrays.
        return Matcher(loaded.entities, copy.copy(loaded.index))

    for (owner, attr), func in originals.items():  # unclocked first
        setattr(owner, attr, func)
    loaded = Matcher.from_store(Store(database_url(sys.argv[1])))
    queries = [orjson.loads(line) for line in open(sys.argv[2], "rb")]
    matcher = cold()
    t0 = clock()
    match_all(matcher, queries)
    out = {"queries": len(queries), "wall": clock() - t0}
    for (owner, attr), func in originals.items():
        setattr(owner, attr, clocked(owner_stage[(owner, attr)], func))
    matcher = cold()
    t0 = clock()
    match_all(matcher, queries)
    out.update(clocked=clock() - t0, stages=spent)
    for (owner, attr), func in originals.items():
        setattr(owner, attr, func)
    matcher = cold()
    profile = cProfile.Profile()
    profile.enable()
    match_all(matcher, queries)
    profile.disable()
    out["functions"] = {}
    for (path, line, name), (cc, nc, tt, ct, callers) in pstats.Stats(profile).stats.items():
        key = path.rsplit("/", 1)[-1] + ":" + name
        f = out["functions"].setdefault(key, {"calls": 0, "tottime": 0.0, "cumtime": 0.0})
        f["calls"] += nc
        f["tottime"] += tt
        f["cumtime"] = max(f["cumtime"], ct)
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


def profile(db: str, queries: Path, src: Path | None) -> dict:
    return run_program(PROFILE, [db, str(queries), json.dumps(STAGES)], src)


def stages(result: dict) -> dict[str, float]:
    """Seconds per stage (wall clock, without the clocked stages it calls), the rest of
    the loop, and the total."""
    out = {stage: result["stages"].get(stage, 0.0) for stage in STAGES}
    out[OTHER] = max(0.0, result["clocked"] - sum(out.values()))
    out["total"] = result["clocked"]
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
        f"Command: `{command}`. `Matcher.match_protocol` over the first {q:,} batch rows "
        "after the index is loaded (every query new to the process and, where the engine has "
        "`prepare_block`, a block of 256 prepared at a time, as in `corridor match`), "
        "each stage clocked by wall time without the clocked stages it calls; every cache, "
        "the part similarities' memo too, is emptied before each run. Unclocked, as the "
        "first run in its process (which also pays one-off work such as reading the name "
        "tables), the same loop took "
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
    for stage in [*STAGES, OTHER, "total"]:
        row = f"| {stage} | {s_now[stage]:.2f} | {s_now[stage] / s_now['total']:.0%} |"
        if s_before:
            row += f" {s_before[stage]:.2f} | {s_before[stage] / s_before['total']:.0%} |"
        lines.append(row)
    ranked = sorted([*STAGES, OTHER], key=lambda k: -s_now[k])
    lines += [
        "",
        "Where the time goes: "
        + ", ".join(f"{k} {s_now[k] / s_now['total']:.0%}" for k in ranked[:4])
        + ".",
    ]
    for label, result in (("now", now), (f"before (`{rev}`)", before)):
        if result is None:
            continue
        lines += [
            "",
            f"Most time of its own under cProfile, {label} (a compiled function's time counts "
            "in its Python caller; cProfile roughly doubles the time of Python code):",
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
