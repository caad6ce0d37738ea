"""The dates a list carries and the dates reads ask for, both as naive UTC.

Lists state their publication date in different shapes (the UN XML a full timestamp, a user's
``--list-date`` perhaps only a month, OFAC's CSV set none at all); the store keeps the text
as published and orders snapshots for as-of reads by the instant read from it here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from corridor.errors import StoreError

_DATE_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def utcnow() -> datetime:
    """Naive UTC: what portable ``DateTime()`` columns hold on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC time; a naive one is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_list_date(value: str | None) -> datetime | None:
    """Read a list's own date (``2026-02-27T00:00:09.554Z``, ``2021-07``, ``2021``) as naive UTC.

    Returns None when the text carries no recognisable date, so the import time is used.
    """
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        match = _DATE_PREFIX.match(text)
        if not match:
            return None
        year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
        try:
            parsed = datetime(int(year), int(month), int(day))
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def as_of_cutoff(as_of: date | datetime | str | None) -> datetime | None:
    """The latest instant that counts for ``as_of``: a bare date means the end of that day."""
    if as_of is None:
        return None
    if isinstance(as_of, str):
        parsed = parse_list_date(as_of)
        if parsed is None:
            raise StoreError(f"as-of {as_of!r} is not a date; use YYYY-MM-DD")
        if len(as_of.strip()) <= 10:
            return datetime.combine(parsed.date(), time.max)
        return parsed
    if isinstance(as_of, datetime):
        return as_utc(as_of).replace(tzinfo=None)
    return datetime.combine(as_of, time.max)
