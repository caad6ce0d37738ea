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
from corridor.matching import Matcher

#: Candidates looked at per row: every alert among them is reported.
CANDIDATES = 10

#: One output record: ``{"id", "line", "alerts": [...], "error"}``.
Record = dict[str, Any]


def screen_rows(matcher: Matcher, rows: Sequence[Row]) -> list[Record]:
    """The output record of each row, in order."""
    out: list[Record] = []
    for line, rid, query in rows:
        if isinstance(query, str):
            out.append({"id": rid, "line": line, "alerts": [], "error": query})
            continue
        try:
            found = matcher.match_protocol(query, limit=CANDIDATES)
        except InputError as exc:
            out.append({"id": rid, "line": line, "alerts": [], "error": exc.message})
            continue
        n = sum(1 for r in found if r["match"])
        alerts = []
        if n:
            alerts = [r.to_dict() for r in matcher.match(query, limit=n) if r.match]
        out.append({"id": rid, "line": line, "alerts": alerts, "error": None})
    return out
