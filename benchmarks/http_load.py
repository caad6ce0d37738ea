"""HTTP load on loopback: ``corridor serve`` under wrk, for one-query /match, 20-query /match
and /screen.

    python benchmarks/http_load.py                     # 2 workers, 8 connections, 20 s each
    python benchmarks/http_load.py --connections 4 8 16 --seconds 30 --no-doc

Steps: a fresh SQLite database with exactly OFAC SDN + UN (as benchmarks/eval_matching.py
builds it) and its index cache; ``corridor serve --workers N`` on a free loopback port; wrk
(Debian's ``wrk``; ``make bench`` installs it) posts request bodies in turn from a file: the
1,480 dev queries one per request, the same queries twenty per request, and the eight
example trades for /screen. Each run is preceded by a short warm-up. Figures: requests/s,
p50/p95/p99 latency (wrk's own histogram), errors and non-2xx answers; the load average is
recorded before and after each run, since other work on the 2 cores slows everything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from doc_sections import git_commit, machine_line, publish_section, utc_now
from eval_matching import build_db

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_RPS = 800.0
TARGET_P99_MS = 30.0


def log(msg: str) -> None:
    print(f"[http_load {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_avg() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def warm_cache(db: Path) -> None:
    """Write the index cache, as the first ``corridor match``/``serve`` after an update does."""
    code = (
        "import sys; from corridor.store import Store; from corridor.matching import Matcher; "
        "Matcher.from_store(Store('sqlite:///' + sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)


def costs(db: Path, shared: Path) -> dict:
    """Per query, in this process with warm caches: the matcher with explanations (what
    /match answers), its fast path without them, and building + serialising the answer."""
    import orjson

    from corridor.api.results import feature_docs, scored_entity
    from corridor.screening.serving import build_index
    from corridor.settings import ApiSettings
    from corridor.store import Store

    settings = ApiSettings(db_url=f"sqlite:///{db}")
    index = build_index(Store(settings.db_url), settings)
    queries = [json.loads(line) for line in (shared / "eval/dev/queries.jsonl").open()]
    queries = [{"schema": q["schema"], "properties": q["properties"]} for q in queries]
    matcher = index.matcher
    for q in queries:  # warm the per-token caches, as a running server has them
        matcher.match(q, limit=5)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    found = [matcher.match(q, limit=5) for q in queries]
    out["explained_ms"] = (time.perf_counter() - t0) / len(queries) * 1000
    t0 = time.perf_counter()
    for q in queries:
        matcher.match_protocol(q, limit=5)
    out["fast_ms"] = (time.perf_counter() - t0) / len(queries) * 1000
    t0 = time.perf_counter()
    for results in found:
        orjson.dumps(
            {
                "responses": {"q": {"results": [scored_entity(index, r, 0.8) for r in results]}},
                "matcher": feature_docs(),
            }
        )
    out["answer_ms"] = (time.perf_counter() - t0) / len(queries) * 1000
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bodies(shared: Path, tmp: Path) -> dict[str, Path]:
    """One request body per line, per scenario."""
    queries = [json.loads(line) for line in (shared / "eval/dev/queries.jsonl").open()]
    one = tmp / "one.jsonl"
    with one.open("w") as fh:
        for q in queries:
            body = {"queries": {q["id"]: {"schema": q["schema"], "properties": q["properties"]}}}
            fh.write(json.dumps(body, ensure_ascii=False) + "\n")
    twenty = tmp / "twenty.jsonl"
    with twenty.open("w") as fh:
        for i in range(0, len(queries) - 19, 20):
            group = queries[i : i + 20]
            body = {
                "queries": {
                    q["id"]: {"schema": q["schema"], "properties": q["properties"]} for q in group
                }
            }
            fh.write(json.dumps(body, ensure_ascii=False) + "\n")
    trades = tmp / "trades.jsonl"
    with trades.open("w") as fh:
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            data = yaml.safe_load(path.read_text())
            fh.write(json.dumps(data, default=str, ensure_ascii=False) + "\n")
    return {"match1": one, "match20": twenty, "screen": trades}


SCENARIOS = {
    "match1": ("one-query `/match/default`", "/match/default"),
    "match20": ("20-query `/match/default`", "/match/default"),
    "screen": ("`/screen` (the eight example trades in turn)", "/screen"),
}


def wrk(url: str, body_file: Path, seconds: int, connections: int) -> dict:
    cmd = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "wrk" / "bodies.lua"),
        url,
    ]
    out = subprocess.run(
        cmd, env=dict(os.environ, BODIES=str(body_file)), capture_output=True, text=True, check=True
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")),
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, nargs="+", default=[8])
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    ap.add_argument("--no-doc", action="store_true", help="print, do not write docs/benchmarks.md")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it)")

    tmp = Path(tempfile.mkdtemp(prefix="corridor-http-"))
    db = tmp / "corridor.db"
    build_db(args.shared / "data" / "lists", db)
    warm_cache(db)
    files = bodies(args.shared, tmp)
    cost = costs(db, args.shared)
    log(
        f"per query: matching with explanations {cost['explained_ms']:.3f} ms, fast path "
        f"{cost['fast_ms']:.3f} ms, answer {cost['answer_ms']:.3f} ms"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("corridor")),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=dict(os.environ, CORRIDOR_DB=str(db), CORRIDOR_API_RELOAD_SECONDS="0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            sys.exit("the server did not become ready")
        for name in args.scenarios:
            label, path = SCENARIOS[name]
            for conns in args.connections:
                wrk(base + path, files[name], 5, conns)  # warm-up: caches, connections
                before = load_avg()
                figures = wrk(base + path, files[name], args.seconds, conns)
                figures.update(
                    scenario=name,
                    label=label,
                    connections=conns,
                    load_before=before,
                    load_after=load_avg(),
                )
                log(
                    f"{name} c={conns}: {figures['rps']:.0f} req/s p50 {figures['p50_ms']:.1f} "
                    f"p95 {figures['p95_ms']:.1f} p99 {figures['p99_ms']:.1f} ms, "
                    f"errors {figures['errors']}, load {before} -> {figures['load_after']}"
                )
                rows.append(figures)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "http_load.json").write_text(json.dumps({"rows": rows, "costs": cost}, indent=2))
    publish_section("HTTP API under load", render(args, rows, cost), write=not args.no_doc)
    return 0


def render(args, rows: list[dict], cost: dict) -> str:
    lines = [
        f"Measured {utc_now()} at commit `{git_commit()}` on {machine_line()}.",
        "",
        f"- Command: `python benchmarks/http_load.py --workers {args.workers} --connections "
        f"{' '.join(map(str, args.connections))} --seconds {args.seconds}` (or `make bench`).",
        f"- Server: `corridor serve --workers {args.workers}` on loopback over a fresh SQLite "
        "database of OFAC SDN + UN (9,979 entities), index cache present. Load generator: wrk "
        "(1 thread, in its own process on the same 2 cores, so it takes CPU from the server), "
        "cycling through request bodies from a file: the 1,480 dev queries one per request, "
        "twenty per request, and the eight example trades. Each figure follows a 5 s warm-up; "
        "answers are complete yente responses with `features` and corridor's explanation.",
        "- Load average (1/5/15 min) before and after each run: above ~2, other work shared "
        "the 2 cores and the figures are lower than an idle machine gives.",
        "",
        "| endpoint | connections | requests/s | p50 ms | p95 ms | p99 ms | errors / non-2xx | "
        "load before → after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['connections']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} / {r['non2xx']} | "
            f"{r['load_before']} → {r['load_after']} |"
        )
    one = [r for r in rows if r["scenario"] == "match1"]
    if one:
        best = max(one, key=lambda r: r["rps"] if r["p99_ms"] <= TARGET_P99_MS else -1)
        met = best["rps"] >= TARGET_RPS and best["p99_ms"] <= TARGET_P99_MS
        lines += [
            "",
            f"Target (one-query `/match`, 2 cores): ≥ {TARGET_RPS:,.0f} requests/s at p99 ≤ "
            f"{TARGET_P99_MS:.0f} ms: {best['rps']:,.0f} requests/s at p99 "
            f"{best['p99_ms']:.1f} ms with {best['connections']} connections — "
            f"{'met' if met else 'not met'}.",
        ]
    lines += [
        "",
        "Where a one-query request's time goes (in one process, warm caches, mean over the "
        f"dev queries): matching with explanations {cost['explained_ms']:.2f} ms, of which the "
        f"matcher's fast path without them would be {cost['fast_ms']:.2f} ms; building and "
        f"serialising the yente answer {cost['answer_ms']:.2f} ms; the rest of a request "
        "(HTTP, FastAPI, the event loop) is what the requests/s above leave over.",
    ]
    if one:
        per_core = max(r["rps"] for r in one if r["p99_ms"] <= TARGET_P99_MS * 2) / 2
        lines += [
            "",
            "yente's published sizing is 4–15 requests/s per vCPU for `/match` (its own figure, "
            "with Elasticsearch doing the candidate search); corridor answers the same request "
            f"shape from an in-memory index in the serving process: about {per_core:,.0f} "
            f"one-query requests/s per core here, {per_core / 15:,.0f}–{per_core / 4:,.0f} "
            "times yente's figure, with the load generator on the same cores.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
