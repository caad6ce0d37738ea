"""Open the database: one SQLAlchemy engine, tuned for SQLite when that is the backend."""

from __future__ import annotations

import importlib.util
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from corridor.errors import StoreError

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
        raise StoreError(f"{url!r} is not a database URL or path: {exc}") from exc
    if parsed.drivername == "postgresql" and _has("psycopg") and not _has("psycopg2"):
        # A bare postgresql:// means psycopg2 to SQLAlchemy; corridor[postgres] ships psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = parsed.render_as_string(hide_password=False)
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        hint = ""
        if "postgres" in parsed.drivername:
            hint = " (pip install 'corridor[postgres]' and use postgresql+psycopg://)"
        raise StoreError(
            f"cannot open database {parsed!r}: its driver {exc.name} is not installed{hint}"
        ) from exc
    except Exception as exc:  # unknown dialect, bad options
        raise StoreError(f"cannot open database {parsed!r}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
