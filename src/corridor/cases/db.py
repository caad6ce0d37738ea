"""The case database: the lists' own database (SQLite or PostgreSQL), with the case tables.

:class:`CaseStore` is what every case function takes first. Each write runs in one
transaction that starts by locking the audit head row (:meth:`CaseStore.write`): on
PostgreSQL a row lock, on SQLite the database write lock. Case writes therefore queue one
behind the other, so the audit chain cannot fork and two users cannot both approve one
decision; they are human-paced, so the queue is short.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from corridor import settings
from corridor.cases.tables import audit_head_table, metadata
from corridor.errors import StoreError
from corridor.store import Store
from corridor.store.engine import transaction
from corridor.store.list_dates import utcnow
from corridor.store.urls import masked

#: The hash a chain starts from: the "previous hash" of record 1.
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class CaseRules:
    """The configurable rules of the case work (see :mod:`corridor.settings`)."""

    #: Closing a true match, or a false positive at or above ``fp_approval_score``, waits
    #: for a second user's approval.
    four_eyes: bool = True
    fp_approval_score: float = 0.95
    #: Keep every screened subject for re-screening, not only those with an alert.
    keep_screened: bool = True
    session_hours: float = 12.0
    login_max_failures: int = 5
    login_window_minutes: float = 15.0

    @classmethod
    def from_settings(cls) -> CaseRules:
        return cls(
            four_eyes=settings.four_eyes(),
            fp_approval_score=settings.four_eyes_fp_score(),
            keep_screened=settings.keep_screened(),
            session_hours=settings.session_hours(),
            login_max_failures=settings.login_max_failures(),
            login_window_minutes=settings.login_window_minutes(),
        )


class CaseStore:
    """Alerts, decisions, suppressions, users and the audit log beside a list store."""

    def __init__(
        self,
        store: Store,
        *,
        rules: CaseRules | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.engine = store.engine
        self.rules = rules if rules is not None else CaseRules.from_settings()
        #: Naive UTC now; a fixed or stepped clock lets tests cross expiry and rate windows.
        self.clock = clock or utcnow
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot create the case tables at {masked(self.engine.url)}: {exc}"
            ) from exc
        self._ensure_head()

    @classmethod
    def open(cls, db: str | None = None, **kwargs: object) -> CaseStore:
        """Open ``--db`` / ``CORRIDOR_DB`` / the default database, as :class:`Store` does."""
        return cls(Store(db), **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """Naive UTC, as the ``DateTime()`` columns hold it."""
        value = self.clock()
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value

    @contextmanager
    def write(self, what: str) -> Iterator[Connection]:
        """One case write: a transaction that holds the audit head lock from its first
        statement, committed at the end and rolled back (naming ``what``) on any error."""
        with transaction(self.engine, what) as conn:
            lock_head(conn)
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _ensure_head(self) -> None:
        with self.engine.connect() as conn:
            found = conn.execute(select(audit_head_table.c.id)).first()
        if found is not None:
            return
        try:
            with transaction(self.engine, "creating the audit log") as conn:
                conn.execute(insert(audit_head_table).values(id=1, seq=0, hash=GENESIS_HASH))
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):  # another process made it first
                raise


def lock_head(conn: Connection) -> None:
    """Take the audit head row's lock: a no-op update, which locks the row on PostgreSQL and
    takes the write lock on SQLite (waiting, not failing, while another writer holds it)."""
    conn.execute(
        update(audit_head_table)
        .where(audit_head_table.c.id == 1)
        .values(seq=audit_head_table.c.seq)
    )


_SHARED_LOCK = threading.Lock()


def shared_case_store(state: Any, store: Store) -> CaseStore:
    """The one case database a server keeps on its application ``state`` beside ``store``,
    opened on first use: the API and the workbench pages share it (and its engine)."""
    opened = getattr(state, "cases", None)
    if opened is None:
        with _SHARED_LOCK:
            opened = getattr(state, "cases", None)
            if opened is None:
                opened = state.cases = CaseStore(store)
    return opened
