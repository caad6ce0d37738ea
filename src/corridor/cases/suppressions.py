"""Suppressions, the "good guy" list: a decided false positive for one subject and one list
entry keeps that entry's hits for that subject out of the queue.

A suppression holds the hash of the list entry as it stood when the false positive was
decided. It ends when the entry changes (*lifted*: a re-screen after a list update, or a
screening that finds the entry's stored text different), when its expiry passes
(*expired*), or when an approver revokes it (*revoked*); each end is audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from corridor.cases import audit
from corridor.cases.db import CaseStore
from corridor.cases.model import MAX_REASON, Actor, Suppression, SuppressionState, User
from corridor.cases.tables import subject_table, suppression_table, user_table
from corridor.cases.users import require_user
from corridor.errors import CaseError, NotFoundError
from corridor.store.list_dates import as_utc
from corridor.store.models import entity_table, snapshot_table

_IN_CHUNK = 500


def entry_hashes(conn: Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each entry's stored FtM text in the active snapshots (absent: not listed)."""
    wanted = sorted(set(entity_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        rows = conn.execute(
            select(entity_table.c.id, entity_table.c.data)
            .join(snapshot_table, snapshot_table.c.id == entity_table.c.snapshot_id)
            .where(snapshot_table.c.active.is_(True), entity_table.c.id.in_(chunk))
        )
        for entity_id, data in rows:
            found[entity_id] = hashlib.sha256(data.encode("utf-8")).hexdigest()
    return found


def _query() -> Any:
    s = suppression_table.c
    return (
        select(
            suppression_table,
            subject_table.c.name.label("subject_name"),
            user_table.c.username.label("created_by_name"),
        )
        .join(subject_table, subject_table.c.id == s.subject_id)
        .join(user_table, user_table.c.id == s.created_by)
    )


def _to_suppression(row: Any) -> Suppression:
    def when(value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    return Suppression(
        id=int(row["id"]),
        subject_id=int(row["subject_id"]),
        subject_name=row["subject_name"],
        entity_id=row["entity_id"],
        caption=row["caption"],
        entry_hash=row["entry_hash"],
        alert_id=int(row["alert_id"]),
        decision_id=int(row["decision_id"]),
        reason=row["reason"],
        created_by=row["created_by_name"],
        created_at=as_utc(row["created_at"]),
        expires_at=when(row["expires_at"]),
        hits=int(row["hits"]),
        last_hit_at=when(row["last_hit_at"]),
        ended_at=when(row["ended_at"]),
        ended_how=row["ended_how"],
        ended_by=row["ended_by"],
        end_reason=row["end_reason"],
    )


def fetch_suppression(conn: Connection, suppression_id: int) -> Suppression:
    row = conn.execute(_query().where(suppression_table.c.id == suppression_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no suppression {suppression_id}")
    return _to_suppression(row)


def current_suppression(conn: Connection, subject_id: int, entity_id: str) -> Suppression | None:
    """The latest suppression of this subject and entry that has not ended (it may have
    expired: see :func:`end_if_expired`)."""
    s = suppression_table.c
    row = (
        conn.execute(
            _query()
            .where(s.subject_id == subject_id, s.entity_id == entity_id, s.ended_how.is_(None))
            .order_by(s.id.desc())
        )
        .mappings()
        .first()
    )
    return _to_suppression(row) if row else None


def create_suppression(
    conn: Connection,
    *,
    subject_id: int,
    entity_id: str,
    caption: str,
    entry_hash: str,
    alert_id: int,
    decision_id: int,
    reason: str,
    user: User,
    now: datetime,
    expires_at: datetime | None,
) -> Suppression:
    result = conn.execute(
        insert(suppression_table).values(
            subject_id=subject_id,
            entity_id=entity_id,
            caption=caption[:1024],
            entry_hash=entry_hash,
            alert_id=alert_id,
            decision_id=decision_id,
            reason=reason,
            created_by=user.id,
            created_at=now,
            expires_at=expires_at,
            hits=0,
        )
    )
    made = fetch_suppression(conn, int(result.inserted_primary_key[0]))
    audit.append(
        conn,
        at=now,
        actor=user.username,
        action="suppression.created",
        subject=f"suppression:{made.id}",
        payload={
            "alert": alert_id,
            "decision": decision_id,
            "subject": subject_id,
            "entity": entity_id,
            "entry_hash": entry_hash,
            "expires_at": audit.format_time(expires_at) if expires_at else None,
        },
    )
    return made


def note_hit(conn: Connection, suppression: Suppression, now: datetime) -> None:
    conn.execute(
        update(suppression_table)
        .where(suppression_table.c.id == suppression.id)
        .values(hits=suppression_table.c.hits + 1, last_hit_at=now)
    )


def end_suppression(
    conn: Connection,
    suppression: Suppression,
    *,
    how: SuppressionState,
    by: str,
    reason: str,
    now: datetime,
) -> None:
    """End a suppression as ``revoked``, ``lifted`` or ``expired``, and audit it."""
    ended_at = suppression.expires_at.replace(tzinfo=None) if how == "expired" else now
    conn.execute(
        update(suppression_table)
        .where(suppression_table.c.id == suppression.id)
        .values(ended_at=ended_at, ended_how=how, ended_by=by[:64], end_reason=reason)
    )
    audit.append(
        conn,
        at=now,
        actor=by,
        action=f"suppression.{how}",
        subject=f"suppression:{suppression.id}",
        payload={
            "subject": suppression.subject_id,
            "entity": suppression.entity_id,
            "reason": reason,
        },
    )


def end_if_expired(conn: Connection, suppression: Suppression, now: datetime) -> bool:
    """Record the expiry of a suppression whose time has passed; True if it had."""
    aware_now = as_utc(now)
    if suppression.state(aware_now) != "expired":
        return False
    end_suppression(
        conn,
        suppression,
        how="expired",
        by="system:expiry",
        reason="the suppression's expiry date passed",
        now=now,
    )
    return True


def lift_for_changed_entries(
    conn: Connection, entity_ids: Iterable[str], *, reason: str, by: str, now: datetime
) -> list[int]:
    """Lift every live suppression of these entries (their list entry changed)."""
    wanted = sorted(set(entity_ids))
    lifted: list[int] = []
    s = suppression_table.c
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        rows = conn.execute(_query().where(s.entity_id.in_(chunk), s.ended_how.is_(None)))
        for found in [_to_suppression(row) for row in rows.mappings()]:
            end_suppression(conn, found, how="lifted", by=by, reason=reason, now=now)
            lifted.append(found.id)
    return lifted


def list_suppressions(
    cases: CaseStore,
    *,
    state: SuppressionState | None = None,
    subject_id: int | None = None,
    entity_id: str | None = None,
) -> list[Suppression]:
    """Suppressions, newest first, optionally only those in ``state`` now."""
    s = suppression_table.c
    query = _query().order_by(s.id.desc())
    if subject_id is not None:
        query = query.where(s.subject_id == subject_id)
    if entity_id is not None:
        query = query.where(s.entity_id == entity_id)
    now = as_utc(cases.now())
    with cases.read() as conn:
        found = [_to_suppression(row) for row in conn.execute(query).mappings()]
    return [x for x in found if state is None or x.state(now) == state]


def revoke_suppression(
    cases: CaseStore, suppression_id: int, reason: str, *, actor: Actor
) -> Suppression:
    """End a suppression by hand (an approver or admin), with a reason: the entry's hits for
    that subject come back to the queue at the next screening."""
    user = require_user(actor, "approver", "revoke suppressions")
    text = check_reason(reason)
    with cases.write(f"revoking suppression {suppression_id}") as conn:
        found = fetch_suppression(conn, suppression_id)
        if found.state(as_utc(cases.now())) != "active":
            raise CaseError(f"suppression {suppression_id} is {found.state(as_utc(cases.now()))}")
        end_suppression(conn, found, how="revoked", by=user.username, reason=text, now=cases.now())
        return fetch_suppression(conn, suppression_id)


def set_expiry(
    cases: CaseStore, suppression_id: int, expires_at: datetime | None, *, actor: Actor
) -> Suppression:
    """Give a live suppression an expiry (or none): an approver or admin."""
    user = require_user(actor, "approver", "change when suppressions expire")
    naive = as_utc(expires_at).replace(tzinfo=None) if expires_at is not None else None
    with cases.write(f"setting the expiry of suppression {suppression_id}") as conn:
        found = fetch_suppression(conn, suppression_id)
        if found.ended_how is not None:
            raise CaseError(f"suppression {suppression_id} has ended ({found.ended_how})")
        conn.execute(
            update(suppression_table)
            .where(suppression_table.c.id == suppression_id)
            .values(expires_at=naive)
        )
        audit.append(
            conn,
            at=cases.now(),
            actor=user.username,
            action="suppression.expiry_set",
            subject=f"suppression:{suppression_id}",
            payload={"expires_at": audit.format_time(naive) if naive else None},
        )
        return fetch_suppression(conn, suppression_id)


def check_reason(reason: str) -> str:
    """A reason is required and bounded; it is kept as typed (trimmed)."""
    text = (reason or "").strip()
    if not text:
        raise CaseError("a reason is required")
    if len(text) > MAX_REASON:
        raise CaseError(f"a reason may have at most {MAX_REASON} characters")
    return text
