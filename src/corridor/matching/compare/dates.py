"""Birth-date evidence: agreement, people's usual errors, and conflicts.

Dates are ISO prefixes (``1966``, ``1966-09``, ``1966-09-08``); a listed entity may carry
several (OFAC ``alt. DOB``, UN ranges), and any one agreeing counts.
"""

from __future__ import annotations

from corridor.matching.tuning import (
    DOB_CONFLICT_FULL_GAP,
    DOB_CONFLICT_NEAR,
    DOB_CONFLICT_ONE_YEAR,
    DOB_MONTH_AGREEMENT,
    DOB_YEAR_AGREEMENT,
)
from corridor.memo import memo


@memo(maxsize=100_000)
def _parts(date: str) -> tuple[int, int, int] | None:
    """(year, month, day) with 0 for an unknown part; None for something that is no date.
    Cached: every candidate of a query compares the query's dates again."""
    bits = date.strip()[:10].split("-")
    try:
        year = int(bits[0])
        month = int(bits[1]) if len(bits) > 1 else 0
        day = int(bits[2]) if len(bits) > 2 else 0
    except ValueError:
        return None
    return (year, month, day) if 1000 <= year <= 2999 else None


def dob_match(query: tuple[str, ...], listed: tuple[str, ...]) -> float:
    """The birth dates agree as far as both are known (year only counts a little less)."""
    best = 0.0
    for q in query:
        qp = _parts(q)
        if qp is None:
            continue
        for c in listed:
            cp = _parts(c)
            if cp is None or cp[0] != qp[0]:
                continue
            if qp[1] and cp[1]:
                if qp[1] != cp[1]:
                    continue
                if qp[2] and cp[2]:
                    if qp[2] != cp[2]:
                        continue
                    return 1.0
                best = max(best, DOB_MONTH_AGREEMENT)
            else:
                best = max(best, DOB_YEAR_AGREEMENT)
    return best


def dob_day_month_swapped(query: tuple[str, ...], listed: tuple[str, ...]) -> float:
    """Same birth date with day and month swapped (a common data-entry error)."""
    # Counts half of a full agreement in the score table: likely, but not proof.
    for q in query:
        qp = _parts(q)
        if qp is None or not (qp[1] and qp[2]) or qp[1] == qp[2]:
            continue
        for c in listed:
            cp = _parts(c)
            if cp and cp[0] == qp[0] and cp[1] == qp[2] and cp[2] == qp[1]:
                return 1.0
    return 0.0


def dob_conflict(query: tuple[str, ...], listed: tuple[str, ...]) -> float:
    """The birth years differ: 1 for five years or more, less for nearer years."""
    q_years = [p[0] for p in map(_parts, query) if p]
    c_years = [p[0] for p in map(_parts, listed) if p]
    if not q_years or not c_years:
        return 0.0
    gap = min(abs(a - b) for a in q_years for b in c_years)
    if gap == 0:
        return 0.0
    if gap == 1:
        return DOB_CONFLICT_ONE_YEAR
    return 1.0 if gap >= DOB_CONFLICT_FULL_GAP else DOB_CONFLICT_NEAR
