"""Party-matching evaluation: corridor against its peers on ../shared/eval, in one command.

    python benchmarks/eval_matching.py                 # corridor + peers on dev, batch slice
    python benchmarks/eval_matching.py --peers-batch   # also the peers on the batch slice (~20 min)
    python benchmarks/eval_matching.py --systems corridor --no-doc   # quick look, no doc update

Steps, all in one run so the figures are comparable:

1. build a fresh SQLite database holding exactly OFAC SDN + UN (``corridor lists update
   --from ../shared/data/lists --dataset us_ofac_sdn --dataset un_sc_sanctions``);
2. time the index build (``Matcher.from_store``) in its own process;
3. score every system with ``../shared/eval/score.py --run`` on the dev set (``--by-family``)
   and on the first 20,000 rows of the batch set; score.py times each run wall-clock,
   index loading included, and reads the peak RSS of the process it started;
4. peers: nomenklatura ``logic-v2`` and ``logic-v1`` (yente's scorers, threshold 0.70) over
   top-50 candidates from an exhaustive rapidfuzz pass, and that pass alone as the naive
   baseline (its threshold tuned on dev in the same run). They run from their own
   virtualenv ``benchmarks/.peer-venv`` (created on first use), never as corridor's
   dependencies;
5. print the markdown report, write it to ``benchmarks/out/matching.md`` and into the
   "Party matching" section of docs/benchmarks.md, and every raw figure to
   ``benchmarks/out/*.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from baseline import checkout_src
from doc_sections import git_commit, machine_line, publish_section, utc_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_VENV = HERE / ".peer-venv"
#: Pinned so the recorded peer figures can be reproduced.
PEER_REQUIREMENTS = ["nomenklatura==4.17.4", "rapidfuzz>=3.6"]
DATASETS = ("us_ofac_sdn", "un_sc_sanctions")
SYSTEMS = ("corridor", "corridor-before", "logic-v2", "logic-v1", "naive")
PEERS = ("logic-v2", "logic-v1")
YENTE_THRESHOLD = 0.70

# The matching targets corridor is held to (issue "Party matching").
TARGET_F1 = 0.98
TARGET_RECALL_AT_1PCT = 0.97
TARGET_FAMILY_RECALL = 0.93
TARGET_FAMILY_FPR = 0.02
TARGET_CONFLICT = 0.95
#: Issue "Party matching, second step": corridor at least this many times the naive pass's
#: throughput on the batch slice, side by side (median of the rounds' ratios).
TARGET_NAIVE_RATIO = 4.0
TARGET_BUILD_S = 5.0
TARGET_RSS_MB = 400.0


def log(msg: str) -> None:
    print(f"[eval_matching {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    log("$ " + shlex.join(cmd))
    return subprocess.run(cmd, check=True, **kw)


# ----------------------------------------------------------------------------- setup
def ensure_peer_venv() -> Path:
    """The peers' own virtualenv, created and filled on first use."""
    python = PEER_VENV / "bin" / "python"
    probe = "import nomenklatura.matching, rapidfuzz, rigour"
    if (
        python.exists()
        and subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0
    ):
        return python
    base = os.environ.get("PEER_PYTHON", "python3")
    run([base, "-m", "venv", str(PEER_VENV)])
    run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(python), "-m", "pip", "install", "--quiet", *PEER_REQUIREMENTS])
    return python


def peer_versions(python: Path) -> str:
    code = (
        "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
        "('nomenklatura', 'followthemoney', 'rigour', 'rapidfuzz')))"
    )
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def corridor_bin() -> Path:
    return Path(sys.executable).with_name("corridor")


#: The release folders the evaluation's queries were generated from: the UN list and the
#: 2021 OFAC SDN set. The mirror holds a 2024 SDN release too; importing the folders one
#: by one keeps it out, so the store holds exactly the evaluated lists.
EVAL_RELEASES = ("un", "ofac")


def build_db(lists_dir: Path, db: Path) -> dict:
    """A fresh database with exactly the evaluation's lists; returns the import time."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    cmds = []
    for folder in EVAL_RELEASES:
        cmd = [str(corridor_bin()), "lists", "update", "--from", str(lists_dir / folder)]
        for ds in DATASETS:
            cmd += ["--dataset", ds] if ds_in_folder(ds, folder) else []
        cmds.append(cmd)
    t0 = time.perf_counter()
    for cmd in cmds:
        run(cmd, env=dict(os.environ, CORRIDOR_DB=str(db)), stdout=sys.stderr)
    return {
        "import_seconds": time.perf_counter() - t0,
        "command": " && ".join(shlex.join(c) for c in cmds),
    }


def ds_in_folder(dataset: str, folder: str) -> bool:
    return (dataset == "un_sc_sanctions") == (folder == "un")


#: Fresh processes the index build is timed in (the median is the headline: one build is
#: a few seconds, which the machine's other work moves by a tenth either way).
INDEX_BUILD_RUNS = 3


def measure_index(db: Path) -> dict:
    runs = []
    for _ in range(INDEX_BUILD_RUNS):
        out = run(
            [sys.executable, str(HERE / "index_build.py"), "--db", str(db)],
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    runs.sort(key=lambda r: r["build_seconds"])
    index = runs[len(runs) // 2]
    index["build_seconds_fresh"] = [r["build_seconds"] for r in runs]
    return index


# ----------------------------------------------------------------------------- scoring
def score(args, name: str, cmd: str, set_name: str) -> dict:
    """Run score.py --run CMD on one set; keep its text report and JSON metrics."""
    eval_dir = args.shared / "eval"
    if set_name == "dev":
        sel = [
            "--queries",
            str(eval_dir / "dev" / "queries.jsonl"),
            "--labels",
            str(eval_dir / "dev" / "labels.jsonl"),
        ]
    else:
        sel = [
            "--queries",
            str(eval_dir / "batch" / "customers_200k.csv.gz"),
            "--labels",
            str(eval_dir / "batch" / "customers_200k.labels.jsonl.gz"),
            "--limit",
            str(args.batch_limit),
        ]
    stem = args.out / f"{name}_{set_name}"
    full = [
        sys.executable,
        str(eval_dir / "score.py"),
        *sel,
        "--run",
        cmd,
        "--by-family",
        "--json",
        f"{stem}.json",
        "--results",
        f"{stem}.results.jsonl",
        "--timeout",
        str(args.timeout),
    ]
    res = run(full, capture_output=True, text=True)
    Path(f"{stem}.txt").write_text(res.stdout, encoding="utf-8")
    log(f"{name} on {set_name}: {res.stdout.strip().splitlines()[-1]}")
    metrics = json.loads(Path(f"{stem}.json").read_text())
    metrics["command"] = cmd
    return metrics


def earlier_peer_run(args, algo: str, peers: str) -> dict | None:
    """A peer's batch figures from an earlier ``--peers-batch`` run, if the same peer
    versions made them: the peers do not change between corridor runs, and scoring them on
    the batch slice takes ~10 min each."""
    path = args.out / f"{algo}_batch.json"
    if not path.exists():
        return None
    m = json.loads(path.read_text())
    if m.get("peer_versions") != peers or m.get("n_queries") != args.batch_limit:
        return None
    m["threshold_label"] = f"{YENTE_THRESHOLD:.2f}; earlier run, {m.get('measured', '?')}"
    return m


def peer_cmd(python: Path, args, algorithm: str, threshold: float) -> str:
    return shlex.join(
        [
            str(python),
            str(HERE / "peer_match.py"),
            "--lists",
            str(args.lists),
            "--algorithm",
            algorithm,
            "--threshold",
            f"{threshold:.4f}",
        ]
    )


# ----------------------------------------------------------------------------- report
def pct(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def overall_rows(results: dict) -> list[str]:
    head = (
        "| system | set | threshold | F1 | recall | FPR | precision | wrong-entity alerts "
        "| best F1 (t) | recall @FPR≤1 % (t) | conflict scored lower | qps | peak RSS MB |"
    )
    rows = [head, "|" + "---|" * 13]
    for (name, set_name), m in results.items():
        b, a, c = m.get("best_f1") or {}, m.get("at_fpr_1pct") or {}, m.get("conflict") or {}
        t = m.get("timing") or {}
        rows.append(
            f"| {name} | {set_name} | {m.get('threshold_label', 'default')} | {pct(m['f1'])} "
            f"| {pct(m['recall'])} | {pct(m['fpr'], 4)} | {pct(m['precision'])} "
            f"| {m.get('wrong_entity_alerts', '–')} "
            f"| {pct(b.get('f1'))} ({pct(b.get('threshold'), 2)}) "
            f"| {pct(a.get('recall'))} ({pct(a.get('threshold'), 2)}) "
            f"| {pct(c.get('scored_lower_rate'))} | {t.get('qps', 0):,.0f} "
            f"| {t.get('peak_rss_mb', 0):,.0f} |"
        )
    return rows


def family_rows(results: dict, set_name: str) -> list[str]:
    names = [n for (n, s) in results if s == set_name]
    if not names:
        return []
    fams: dict[str, dict] = {}
    for n in names:
        for fam, f in results[(n, set_name)]["families"].items():
            fams.setdefault(fam, {})[n] = f
    cols = []
    for n in names:
        cols.append(n)
        if n == "corridor":
            cols.append("corridor @FPR≤1 %")
    rows = ["| family | kind | n | " + " | ".join(cols) + " |", "|" + "---|" * (3 + len(cols))]
    for fam in sorted(fams, key=lambda k: (k.startswith(("attrs:", "schema:")), k)):
        per = fams[fam]
        first = next(iter(per.values()))
        cells = []
        for n in names:
            f = per.get(n)
            cells.append(pct(f["rate"]) if f else "–")
            if n == "corridor":
                cells.append(pct(f["rate_at_fpr_1pct"]) if f else "–")
        rows.append(f"| {fam} | {first['kind']} | {first['n']} | " + " | ".join(cells) + " |")
    return rows


def target_rows(
    results: dict, index: dict | None, rounds: dict[str, list[float]] | None = None
) -> tuple[list[str], list[str]]:
    """corridor against each target; returns table rows and the list of misses."""
    dev, batch = results.get(("corridor", "dev")), results.get(("corridor", "batch"))
    checks: list[tuple[str, str, bool]] = []
    if dev:
        a = dev.get("at_fpr_1pct") or {}
        checks.append((f"dev F1 ≥ {TARGET_F1}", pct(dev["f1"], 4), dev["f1"] >= TARGET_F1))
        rec1 = a.get("recall") or 0.0
        checks.append(
            (
                f"dev recall @FPR≤1 % ≥ {TARGET_RECALL_AT_1PCT}",
                pct(rec1, 4),
                rec1 >= TARGET_RECALL_AT_1PCT,
            )
        )
        for fam, f in dev["families"].items():
            if fam.startswith(("attrs:", "schema:")):
                continue
            if f["kind"] == "positive":
                checks.append(
                    (
                        f"{fam}: recall ≥ {TARGET_FAMILY_RECALL}",
                        pct(f["rate"]),
                        f["rate"] >= TARGET_FAMILY_RECALL,
                    )
                )
            else:
                checks.append(
                    (
                        f"{fam}: FPR ≤ {TARGET_FAMILY_FPR}",
                        pct(f["rate"]),
                        f["rate"] <= TARGET_FAMILY_FPR,
                    )
                )
        lower = (dev.get("conflict") or {}).get("scored_lower_rate") or 0.0
        checks.append(
            (
                f"conflict pairs scored lower ≥ {TARGET_CONFLICT}",
                pct(lower),
                lower >= TARGET_CONFLICT,
            )
        )
        rss = (dev.get("timing") or {}).get("peak_rss_mb", 0.0)
        checks.append(
            (f"peak RSS (dev run) ≤ {TARGET_RSS_MB:.0f} MB", f"{rss:.0f} MB", rss <= TARGET_RSS_MB)
        )
    if rounds and rounds.get("corridor") and rounds.get("naive"):
        ratio = statistics.median(
            c / n for c, n in zip(rounds["corridor"], rounds["naive"], strict=True) if n
        )
        checks.append(
            (
                f"batch slice: corridor ≥ {TARGET_NAIVE_RATIO:.0f}× the naive pass's queries/s",
                f"{ratio:.2f}×",
                ratio >= TARGET_NAIVE_RATIO,
            )
        )
    if batch:
        rss = (batch.get("timing") or {}).get("peak_rss_mb", 0.0)
        checks.append(
            (
                f"peak RSS (batch run) ≤ {TARGET_RSS_MB:.0f} MB",
                f"{rss:.0f} MB",
                rss <= TARGET_RSS_MB,
            )
        )
    if index:
        checks.append(
            (
                f"index build ≤ {TARGET_BUILD_S} s",
                f"{index['build_seconds']:.2f} s",
                index["build_seconds"] <= TARGET_BUILD_S,
            )
        )
    rows = ["| target | corridor | met |", "|---|---|---|"]
    rows += [f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in checks]
    return rows, [f"{t}: {v}" for t, v, ok in checks if not ok]


def render(
    args,
    results: dict,
    index: dict | None,
    db_info: dict | None,
    peers: str | None,
    misses_out: list[str],
) -> str:
    cmd = "python benchmarks/eval_matching.py" + (" --peers-batch" if args.peers_batch else "")
    if args.baseline:
        cmd += f" --baseline {args.baseline}"
    load = (
        ", ".join(f"{x:.1f}" for x in args.load_start)
        + " at start, "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + " at end"
    )
    lines = [
        f"Measured {utc_now()} at commit `{args.commit}` on {machine_line()}; load average "
        f"(1/5/15 min) {load}: a load above ~1 means other work shared the 2 cores and "
        "slowed the timings.",
        f"Command: `{cmd}` (or `make bench`). Single process; qps = queries / wall seconds of "
        "the whole run including process start and index loading (score.py `--run`; corridor "
        "loads the index cache written after the list import, as it does in use); peak RSS "
        "of that process.",
        "Lists: OFAC SDN + UN consolidated from `../shared/data/lists`; "
        f"dev = `../shared/eval/dev` (1,480 queries); batch = first {args.batch_limit:,} rows "
        "of `customers_200k` (0.5 % listed, so batch precision/F1 are not comparable with dev).",
    ]
    if peers:
        lines.append(
            f"Peers ({peers}): `logic-v2` / `logic-v1` score the top 50 entities of an "
            f"exhaustive rapidfuzz `token_sort_ratio` pass, match at {YENTE_THRESHOLD} "
            "(yente's default); `naive` is that pass alone, its threshold tuned on dev "
            "(best-F1) in the same run."
        )
    if db_info:
        lines.append(
            f"List import (`corridor lists update`, both lists): {db_info['import_seconds']:.1f} s."
        )
    if index:
        again = ", ".join(f"{s:.2f}" for s in index["build_seconds_all"][1:])
        fresh = ", ".join(f"{s:.2f}" for s in index.get("build_seconds_fresh", []))
        lines.append(
            f"Index build (`Matcher.from_store(store, use_cache=False)`: read the store, "
            f"normalise, index, link records across the lists) in a fresh process: "
            f"{index['build_seconds']:.2f} s (median of {INDEX_BUILD_RUNS} processes: {fresh}; "
            f"repeated in that process: {again} s); loading the index cache, as "
            f"`corridor match` does once it exists: {index['cached_load_seconds']:.2f} s. "
            f"Peak RSS after building {index['peak_rss_mb']:.0f} MB (interpreter and imports "
            f"alone: {index['rss_before_mb']:.0f} MB; a forked linking worker "
            f"{index.get('peak_rss_worker_mb', 0.0):.0f} MB, counting the pages it shares)."
        )
    corridor_b, naive_b = results.get(("corridor", "batch")), results.get(("naive", "batch"))
    rounds = getattr(args, "rounds_qps", None)
    if rounds and "corridor" in rounds and "naive" in rounds:
        c_runs, n_runs = rounds["corridor"], rounds["naive"]
        ratios = [c / n for c, n in zip(c_runs, n_runs, strict=True) if n]
        before = ""
        if "corridor-before" in rounds:
            b_runs = rounds["corridor-before"]
            speed = statistics.median(c / b for c, b in zip(c_runs, b_runs, strict=True))
            before = (
                f"; the engine before (`{args.baseline}`) "
                f"{statistics.median(b_runs):,.0f} queries/s ({_runs(b_runs)}): corridor now "
                f"runs at **{speed:.2f}×** its throughput (median of the rounds' ratios)"
            )
        lines.append(
            f"Throughput on the batch slice, side by side in this run, {len(c_runs)} rounds "
            "(each round runs every command once, one after the other, end to end with process "
            "start and index or list loading; medians): corridor "
            f"{statistics.median(c_runs):,.0f} queries/s ({_runs(c_runs)}), the naive "
            f"exhaustive rapidfuzz `token_sort_ratio` pass {statistics.median(n_runs):,.0f} "
            f"queries/s ({_runs(n_runs)}): **{statistics.median(ratios):.2f}×** (per round: "
            f"{', '.join(f'{r:.2f}' for r in ratios)}; target 4×){before}."
        )
    elif corridor_b and naive_b:
        c_qps = (corridor_b.get("timing") or {}).get("qps", 0.0)
        n_qps = (naive_b.get("timing") or {}).get("qps", 0.0)
        ratio = c_qps / n_qps if n_qps else 0.0
        lines.append(
            f"Throughput on the batch slice, side by side in this run (each command end to end "
            f"with process start and index or list loading): corridor {c_qps:,.0f} queries/s, "
            f"the naive exhaustive rapidfuzz `token_sort_ratio` pass {n_qps:,.0f} queries/s: "
            f"**{ratio:.2f}×** (target 4×)."
        )
    lines = [lines[0], ""] + [f"- {line}" for line in lines[1:]]
    lines += ["", "### Overall", "", *overall_rows(results)]
    trows, misses = target_rows(results, index, rounds)
    misses_out.extend(misses)
    if ("corridor", "dev") in results or ("corridor", "batch") in results:
        lines += ["", "### corridor against its targets", "", *trows]
    for set_name, title in (("dev", "dev set"), ("batch", "batch slice")):
        rows = family_rows(results, set_name)
        if rows:
            lines += [
                "",
                f"### Per family, {title}: rate at each system's own `match` "
                "(recall for positive families, FPR for negative ones)",
                "",
                *rows,
            ]
    lines += [
        "",
        "Raw figures: `benchmarks/out/<system>_<set>.json` and `.txt` (score.py's own report).",
    ]
    return "\n".join(lines) + "\n"


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:,.0f}" for v in values)


def throughput_rounds(args, cmds: dict[str, str], results: dict) -> dict[str, list[float]]:
    """Queries/s of each command on the batch slice: the run scored above, then
    ``--rounds`` − 1 more, each round running every command once in turn, so that the
    machine's other work weighs on all of them alike (``make bench`` shares 2 cores)."""
    qps = {name: [results[(name, "batch")]["timing"]["qps"]] for name in cmds}
    for r in range(1, args.rounds):
        for name, cmd in cmds.items():
            m = score(args, f"{name}-round{r + 1}", cmd, "batch")
            qps[name].append(m["timing"]["qps"])
    return qps


# ----------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")),
        help="the shared reference directory (default: $CORRIDOR_SHARED or ../shared)",
    )
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where results go")
    ap.add_argument(
        "--systems",
        default=",".join(s for s in SYSTEMS if s != "corridor-before"),
        help=f"comma-separated subset of {','.join(SYSTEMS)}",
    )
    ap.add_argument("--no-peers", action="store_true", help="corridor only")
    ap.add_argument(
        "--peers-batch",
        action="store_true",
        help="also run logic-v2/logic-v1 on the batch slice (~10 min each)",
    )
    ap.add_argument("--batch-limit", type=int, default=20000, help="batch rows scored")
    ap.add_argument("--no-batch", action="store_true", help="dev set only")
    ap.add_argument(
        "--corridor-cmd",
        default="CORRIDOR_DB={db} {corridor} match",
        help="how to run corridor ({db}, {corridor} are filled in)",
    )
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per system run")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="side-by-side timing rounds of corridor and the naive pass on the batch slice "
        "(medians reported)",
    )
    ap.add_argument(
        "--baseline",
        help="an earlier commit: its corridor engine is scored too (corridor-before), in the "
        "same run, on the same database",
    )
    ap.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
    args = ap.parse_args(argv)
    args.shared = args.shared.resolve()
    args.lists = args.shared / "data" / "lists"
    args.out = args.out.resolve()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        ap.error(f"unknown system(s) {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    if args.no_peers:
        systems = [s for s in systems if s == "corridor"]
    args.system_list = systems
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_start = os.getloadavg()
    args.commit = git_commit()  # at the start: the engine measured, even if HEAD moves on
    args.out.mkdir(parents=True, exist_ok=True)
    sets = ["dev"] if args.no_batch else ["dev", "batch"]
    results: dict[tuple[str, str], dict] = {}
    index = db_info = None
    peers = None

    if "corridor" in args.system_list:
        db = args.out / "eval.db"
        db_info = build_db(args.lists, db)
        index = measure_index(db)
        log(f"index build {index['build_seconds']:.2f} s, peak RSS {index['peak_rss_mb']:.0f} MB")
        cmd = args.corridor_cmd.format(
            db=shlex.quote(str(db)), corridor=shlex.quote(str(corridor_bin()))
        )
        for set_name in sets:
            results[("corridor", set_name)] = score(args, "corridor", cmd, set_name)
        if args.baseline:
            src = checkout_src(args.baseline, args.out)
            before = f"PYTHONPATH={shlex.quote(str(src))} {cmd}"
            for set_name in sets:
                m = score(args, "corridor-before", before, set_name)
                m["threshold_label"] = f"default, `{args.baseline}`"
                results[("corridor-before", set_name)] = m

    peer_list = [s for s in args.system_list if s not in ("corridor", "corridor-before")]
    if peer_list:
        python = ensure_peer_venv()
        peers = peer_versions(python)
        if "naive" in peer_list:
            # tune the naive threshold on dev (best F1), then score dev and batch at it
            first = score(args, "naive", peer_cmd(python, args, "naive", 0.9), "dev")
            tuned = float(first["best_f1"]["threshold"])
            m = score(args, "naive", peer_cmd(python, args, "naive", tuned), "dev")
            m["threshold_label"] = f"{tuned:.2f} (dev-tuned)"
            results[("naive", "dev")] = m
            if "batch" in sets:
                m = score(args, "naive", peer_cmd(python, args, "naive", tuned), "batch")
                m["threshold_label"] = f"{tuned:.2f} (dev-tuned)"
                results[("naive", "batch")] = m
        for algo in (p for p in PEERS if p in peer_list):
            for set_name in sets:
                if set_name == "batch" and not args.peers_batch:
                    earlier = earlier_peer_run(args, algo, peers)
                    if earlier:
                        results[(algo, set_name)] = earlier
                    continue
                m = score(args, algo, peer_cmd(python, args, algo, YENTE_THRESHOLD), set_name)
                m["threshold_label"] = f"{YENTE_THRESHOLD:.2f}"
                m["peer_versions"] = peers
                m["measured"] = utc_now()
                Path(args.out / f"{algo}_{set_name}.json").write_text(json.dumps(m, indent=1))
                results[(algo, set_name)] = m

    timed = {n: results[(n, "batch")]["command"] for n in SYSTEMS if (n, "batch") in results}
    timed = {n: c for n, c in timed.items() if n in ("corridor", "corridor-before", "naive")}
    if args.rounds > 1 and "corridor" in timed and "naive" in timed:
        args.rounds_qps = throughput_rounds(args, timed, results)

    # order: corridor first, then peers; dev before batch
    order = {s: i for i, s in enumerate(SYSTEMS)}
    results = dict(sorted(results.items(), key=lambda kv: (kv[0][1] != "dev", order[kv[0][0]])))
    misses: list[str] = []
    report = render(args, results, index, db_info, peers, misses)
    (args.out / "matching.md").write_text(report, encoding="utf-8")
    (args.out / "matching_summary.json").write_text(
        json.dumps(
            {
                "index": index,
                "db": db_info,
                "peers": peers,
                "misses": misses,
                "throughput_rounds": getattr(args, "rounds_qps", None),
                "results": {f"{n}/{s}": m for (n, s), m in results.items()},
            },
            indent=1,
            default=str,
        )
    )
    write = not args.no_doc and "corridor" in args.system_list
    publish_section("Party matching", report, write=write)
    if misses:
        print("corridor misses: " + "; ".join(misses))
    if write:
        log("updated docs/benchmarks.md (## Party matching)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
