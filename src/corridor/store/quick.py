"""Which snapshots of an SQLite store are active, read with the standard library alone.

``corridor match`` needs only this before it maps its index from the cache (the key is
made of the active snapshots). Reading it through :class:`~corridor.store.Store` would
import SQLAlchemy, a fifth of a second of every start; the query is the one
``Store.active_snapshots`` makes (``tests/store/test_quick.py`` holds them equal).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

SQLITE_PREFIX = "sqlite:///"


class ActiveSnapshot(NamedTuple):
    """What an index cache key is made of (``matching.cache.cache_key``)."""

    dataset: str
    id: int
    file_hash: str


def active_snapshots(url: str) -> list[ActiveSnapshot] | None:
    """The active snapshot of each dataset, ordered by dataset; None when ``url`` is not an
    SQLite file with a snapshot table (then open the :class:`~corridor.store.Store`,
    which makes the tables, or reports what is wrong)."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    path = Path(url[len(SQLITE_PREFIX) :])
    if not path.is_file():
        return None
    try:
        # Read-only: a missing or foreign file is not created or changed here.
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            rows = conn.execute(
                "SELECT dataset, id, file_hash FROM snapshot WHERE active ORDER BY dataset"
            ).fetchall()
    except sqlite3.Error:
        return None
    return [ActiveSnapshot(str(d), int(i), str(h)) for d, i, h in rows]
