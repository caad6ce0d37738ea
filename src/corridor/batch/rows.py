"""Screening a chunk of rows: the one function both engines (local processes, Dask) run.

Every row is matched on the matcher's fast path (no explanations); only rows with alerts are
matched again for their explanations, so the output has, per row, its alerts with score,
source ids and explanation, at almost the cost of the fast path (alerts are rare).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridor.batch.mapping import Row
from corridor.errors import InputError
from corridor.matching import PREPARE_BLOCK, Matcher

#: Candidates looked at per row: every alert among them is reported.
CANDIDATES = 10

#: One output record: ``{"id", "line", "alerts": [...], "error"}``.
Record = dict[str, Any]


def screen_rows(matcher: Matcher, rows: Sequence[Row]) -> list[Record]:
    """The output record of each row, in order. Rows are prepared a block at a time
    (``Matcher.prepare_block``) before they are matched: the same results, sooner."""
    out: list[Record] = []
    for start in range(0, len(rows), PREPARE_BLOCK):
        block = rows[start : start + PREPARE_BLOCK]
        prepared = iter(matcher.prepare_block([q for _, _, q in block if not isinstance(q, str)]))
        for line, rid, query in block:
            if isinstance(query, str):
                out.append({"id": rid, "line": line, "alerts": [], "error": query})
                continue
            pq = next(prepared)  # the row's query prepared, or why it cannot be
            try:
                found = matcher.match_protocol(pq, limit=CANDIDATES)
                n = sum(1 for r in found if r["match"])
                alerts = []
                if n:
                    alerts = [r.to_dict() for r in matcher.match(pq, limit=n) if r.match]
            except InputError as exc:  # a bad row: said in its record, the run goes on
                out.append({"id": rid, "line": line, "alerts": [], "error": exc.message})
                continue
            out.append({"id": rid, "line": line, "alerts": alerts, "error": None})
    return out
