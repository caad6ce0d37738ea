"""Open the database: one SQLAlchemy engine, tuned for SQLite when that is the backend."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from corridor.errors import StoreError
from corridor.settings import db_connect_timeout
from corridor.store.urls import masked, sets_connect_timeout

#: SQLite settings for an embedded, single-file store: WAL lets readers (the matching index,
#: the API) go on while an import writes; NORMAL sync is safe under WAL and much faster.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-65536",
)


def open_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite gets WAL and a busy timeout instead of errors."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise StoreError(f"{masked(url)!r} is not a database URL or path: {exc}") from exc
    if parsed.drivername == "postgresql" and _has("psycopg") and not _has("psycopg2"):
        # A bare postgresql:// means psycopg2 to SQLAlchemy; corridor[postgres] ships psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = parsed.render_as_string(hide_password=False)
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.get_backend_name() == "postgresql" and not sets_connect_timeout(url):
        kwargs["connect_args"] = {"connect_timeout": db_connect_timeout()}
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        hint = ""
        if "postgres" in parsed.drivername:
            hint = " (pip install 'corridor[postgres]' and use postgresql+psycopg://)"
        raise StoreError(
            f"cannot open database {masked(parsed)}: its driver {exc.name} is not installed{hint}"
        ) from exc
    except Exception as exc:  # unknown dialect, bad options
        raise StoreError(f"cannot open database {masked(parsed)}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


@contextmanager
def transaction(engine: Engine, what: str) -> Iterator[Connection]:
    """One transaction on ``engine``: committed at the end, rolled back on any error.

    A database error becomes a :class:`StoreError` that starts with ``what`` (e.g.
    ``"us_ofac_sdn: import from ./lists"``) and says the change was rolled back, so a user
    knows which write failed and that the previous state is intact. Other errors (a parser's
    ``SourceError`` half-way through a file) roll back and pass through unchanged.
    """
    try:
        with engine.begin() as conn:
            yield conn
    except SQLAlchemyError as exc:
        raise StoreError(
            f"{what} failed in the database and was rolled back: "
            f"{exc.__class__.__name__}: {_db_reason(exc)}"
        ) from exc


def _db_reason(exc: SQLAlchemyError) -> str:
    """The driver's own message when there is one: shorter and clearer than SQLAlchemy's."""
    return str(getattr(exc, "orig", None) or exc)


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
