"""Peer matchers for the evaluation: a stdin -> stdout JSON Lines program like ``corridor match``.

Runs in ``benchmarks/.peer-venv`` (nomenklatura, rapidfuzz; corridor is not installed
there). Reads evaluation queries (PROTOCOL section 2) on stdin and writes results
(section 3) on stdout, so ``score.py --run`` times it exactly as it times corridor.

Algorithms:

* ``naive``: exhaustive rapidfuzz ``token_sort_ratio`` over every OFAC + UN name and alias
  (ICU-transliterated to ASCII, lower-cased, punctuation dropped); an entity's score is
  its best name's ratio / 100; ``match`` at ``--threshold``.
* ``logic-v2``, ``logic-v1`` (or any name ``nomenklatura.matching.get_algorithm`` knows):
  the same exhaustive pass picks the top ``--candidates`` entities, then the
  nomenklatura algorithm scores each (query, candidate) pair as FtM entities, as yente
  does after its search backend; ``match`` at ``--threshold`` (yente's default 0.70).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from rigour.text import ascii_text

from peer_lists import read_lists

BATCH = 256


def normalise(name: str) -> str:
    """What the exhaustive pass compares: ASCII transliteration, lower case, no punctuation."""
    return utils.default_process(ascii_text(name))


class NameTable:
    """Every strong name (``name`` + ``alias``) of every entity, for the exhaustive pass."""

    def __init__(self, entities: list[dict]) -> None:
        self.names: list[str] = []
        owners: list[int] = []
        for idx, ent in enumerate(entities):
            props = ent["properties"]
            for name in props.get("name", []) + props.get("alias", []):
                norm = normalise(name)
                if norm:
                    self.names.append(norm)
                    owners.append(idx)
        self.owner = np.asarray(owners, dtype=np.int32)

    def top_entities(self, rows: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """Best entities for one query: (entity index, best ratio 0..100), best first.

        ``rows`` holds one similarity row per query name; an entity scores its best name.
        """
        best = rows.max(axis=0) if rows.ndim == 2 else rows
        # the score of the k-th best name, from a histogram (scores are 0..100 integers):
        # several times faster than argpartition over ~24,000 names
        above = np.bincount(best, minlength=101)[::-1].cumsum()
        kth = 100 - int(np.searchsorted(above, limit * 3))
        top = np.flatnonzero(best >= kth)
        top = top[np.argsort(-best[top].astype(np.int16), kind="stable")]
        seen: dict[int, float] = {}
        for i in top:
            ent = int(self.owner[i])
            if ent not in seen:
                seen[ent] = float(best[i])
                if len(seen) >= limit:
                    break
        return list(seen.items())


def query_names(query: dict) -> list[str]:
    names = [normalise(n) for n in (query.get("properties") or {}).get("name", [])]
    return [n for n in names if n] or [""]


def read_queries(stream) -> list[dict]:
    return [json.loads(line) for line in stream if line.strip()]


def candidates(table, queries, top_n: int, workers: int):
    """The exhaustive rapidfuzz pass both peers share: (query, [(entity index, 0-100 score)])."""
    for start in range(0, len(queries), BATCH):
        batch = queries[start : start + BATCH]
        names = [query_names(q) for q in batch]
        flat = [n for ns in names for n in ns]
        sims = process.cdist(
            flat, table.names, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=workers
        )
        row = 0
        for q, ns in zip(batch, names, strict=True):
            yield q, table.top_entities(sims[row : row + len(ns)], top_n)
            row += len(ns)


def run_naive(entities, table, queries, args, out) -> None:
    for q, top in candidates(table, queries, args.top, args.workers):
        results = [
            {
                "id": entities[i]["id"],
                "score": round(s / 100.0, 4),
                "match": s / 100.0 >= args.threshold,
                "source_ids": entities[i]["source_ids"],
            }
            for i, s in top
        ]
        out.write(json.dumps({"id": q["id"], "results": results}) + "\n")


def run_nomenklatura(entities, table, queries, args, out) -> None:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(args.algorithm)
    if algorithm is None:
        sys.exit(f"peer_match: nomenklatura has no algorithm {args.algorithm!r}")
    config = algorithm.default_config()
    proxies: dict[int, object] = {}

    def proxy(idx: int):
        if idx not in proxies:
            ent = entities[idx]
            proxies[idx] = model.get_proxy(
                {"id": ent["id"], "schema": ent["schema"], "properties": ent["properties"]},
                cleaned=False,
            )
        return proxies[idx]

    for q, top in candidates(table, queries, args.candidates, args.workers):
        qp = model.get_proxy(
            {
                "id": q["id"],
                "schema": q.get("schema") or "LegalEntity",
                "properties": q.get("properties") or {},
            },
            cleaned=False,
        )
        scored = []
        for idx, _ in top:
            res = algorithm.compare(qp, proxy(idx), config)
            scored.append((res.score, idx))
        scored.sort(key=lambda x: -x[0])
        results = [
            {
                "id": entities[i]["id"],
                "score": round(s, 4),
                "match": s >= args.threshold,
                "source_ids": entities[i]["source_ids"],
            }
            for rank, (s, i) in enumerate(scored)
            if rank < args.top or s >= args.threshold
        ]
        out.write(json.dumps({"id": q["id"], "results": results}) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--lists", required=True, type=Path, help="directory with ofac/ and un/")
    ap.add_argument("--algorithm", default="logic-v2", help="naive, logic-v2, logic-v1, ...")
    ap.add_argument("--threshold", type=float, default=0.70, help="match threshold (0..1)")
    ap.add_argument("--candidates", type=int, default=50, help="entities scored per query")
    ap.add_argument("--top", type=int, default=10, help="results written per query")
    ap.add_argument("--workers", type=int, default=1, help="rapidfuzz threads (-1: all cores)")
    args = ap.parse_args(argv)
    entities = read_lists(args.lists)
    table = NameTable(entities)
    queries = read_queries(sys.stdin)
    out = sys.stdout
    if args.algorithm == "naive":
        run_naive(entities, table, queries, args, out)
    else:
        run_nomenklatura(entities, table, queries, args, out)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
