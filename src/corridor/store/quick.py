"""Which snapshots of a store are active, read without SQLAlchemy.

``corridor match`` needs only this before it maps its index from the cache (the key is
made of the active snapshots). Reading it through :class:`~corridor.store.Store` would
import SQLAlchemy (and its PostgreSQL dialect), a fifth of a second or more of every
start. An SQLite store is read with the standard library, a PostgreSQL one with psycopg,
the driver the store itself uses; the query is the one ``Store.active_snapshots`` makes
(``tests/store/test_quick.py`` holds them equal on both).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

from corridor.errors import StoreError
from corridor.settings import db_connect_timeout
from corridor.store.urls import masked, sets_connect_timeout

SQLITE_PREFIX = "sqlite:///"
#: The store's PostgreSQL URLs (``settings.database_url``) and what libpq reads them as.
POSTGRES_PREFIXES = ("postgresql+psycopg://", "postgresql://")
LIBPQ_PREFIX = "postgresql://"
ACTIVE = "SELECT dataset, id, file_hash FROM snapshot WHERE active ORDER BY dataset"


class ActiveSnapshot(NamedTuple):
    """What an index cache key is made of (``matching.cache.cache_key``)."""

    dataset: str
    id: int
    file_hash: str


def active_snapshots(url: str) -> list[ActiveSnapshot] | None:
    """The active snapshot of each dataset, ordered by dataset; None when ``url`` cannot be
    read here: not an SQLite file or a PostgreSQL database with a snapshot table, or its
    driver missing (then open the :class:`~corridor.store.Store`, which makes the tables,
    or reports what is wrong). A PostgreSQL server that cannot be reached raises
    :class:`~corridor.errors.StoreError` at once: the store would only wait for it again."""
    if url.startswith(SQLITE_PREFIX):
        rows = _sqlite_rows(Path(url[len(SQLITE_PREFIX) :]))
    elif url.startswith(POSTGRES_PREFIXES):
        rows = _postgres_rows(url)
    else:
        return None
    if rows is None:
        return None
    return [ActiveSnapshot(str(d), int(i), str(h)) for d, i, h in rows]


def _sqlite_rows(path: Path) -> list[tuple] | None:
    if not path.is_file():
        return None
    try:
        # Read-only: a missing or foreign file is not created or changed here.
        # A file URI needs an absolute path (``--db lists.db`` is relative).
        uri = path.absolute().as_uri()
        with closing(sqlite3.connect(f"{uri}?mode=ro", uri=True)) as conn:
            return conn.execute(ACTIVE).fetchall()
    except sqlite3.Error:
        return None


def _postgres_rows(url: str) -> list[tuple] | None:
    try:
        import psycopg
    except ImportError:
        return None
    conninfo = LIBPQ_PREFIX + url.split("://", 1)[1]
    # A connect_timeout in the URL wins, as it does for the store's engine.
    timeout = {} if sets_connect_timeout(url) else {"connect_timeout": db_connect_timeout()}
    try:
        conn = psycopg.connect(conninfo, **timeout)
    except psycopg.OperationalError as exc:
        # The store would try the same server again and wait as long: say it now, once.
        hint = ""
        if timeout and "timeout" in str(exc):
            hint = f" (CORRIDOR_DB_CONNECT_TIMEOUT={timeout['connect_timeout']} s)"
        raise StoreError(f"cannot open the store at {masked(url)}: {exc}{hint}") from exc
    except psycopg.Error:  # a URL libpq reads otherwise than SQLAlchemy: the store decides
        return None
    try:
        with conn:
            conn.read_only = True  # as the SQLite file is opened: nothing is changed here
            return conn.execute(ACTIVE).fetchall()
    except psycopg.Error:  # no tables yet: the store makes them
        return None
