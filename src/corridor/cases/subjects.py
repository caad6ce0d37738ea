"""Screened customers and parties, kept so that a list update can re-screen them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from corridor.cases.db import CaseStore
from corridor.cases.model import StoredSubject, Subject, load_json
from corridor.cases.tables import subject_table
from corridor.errors import NotFoundError
from corridor.store.list_dates import as_utc


def to_subject(row: Any) -> Subject:
    identifiers = load_json(row["identifiers"] or "{}")
    return Subject(
        name=row["name"],
        schema=row["schema"],
        country=row["country"],
        identifiers={k: tuple(v) for k, v in identifiers.items()},
        reference=row["reference"],
    )


def to_stored_subject(row: Any) -> StoredSubject:
    return StoredSubject(
        id=int(row["id"]),
        subject=to_subject(row),
        origin=row["origin"],
        kept=bool(row["kept"]),
        first_screened_at=as_utc(row["first_screened_at"]),
        last_screened_at=as_utc(row["last_screened_at"]),
    )


def store_subject(
    conn: Connection, subject: Subject, *, origin: str, kept: bool, now: datetime
) -> int:
    """The id of ``subject``'s row, made on first sight; each screening refreshes its time,
    and a subject once kept for re-screening stays kept."""
    key = subject.key()
    cols = subject_table.c
    row = conn.execute(select(cols.id, cols.kept).where(cols.key == key)).first()
    if row is not None:
        values: dict[str, Any] = {"last_screened_at": now}
        if kept and not row.kept:
            values["kept"] = True
        conn.execute(update(subject_table).where(cols.id == row.id).values(**values))
        return int(row.id)
    result = conn.execute(
        insert(subject_table).values(
            key=key,
            name=subject.name[:500],
            schema=subject.schema,
            country=subject.country,
            identifiers=subject.identifiers_json(),
            reference=subject.reference,
            origin=origin,
            kept=kept,
            first_screened_at=now,
            last_screened_at=now,
        )
    )
    return int(result.inserted_primary_key[0])


def get_subject(cases: CaseStore, subject_id: int) -> StoredSubject:
    with cases.read() as conn:
        row = conn.execute(select(subject_table).where(subject_table.c.id == subject_id))
        found = row.mappings().first()
    if found is None:
        raise NotFoundError(f"no screened subject {subject_id}")
    return to_stored_subject(found)


def kept_subjects(cases: CaseStore) -> Iterator[StoredSubject]:
    """Every subject kept for re-screening, oldest first, streamed."""
    query = select(subject_table).where(subject_table.c.kept.is_(True)).order_by(subject_table.c.id)
    with cases.read() as conn:
        for row in conn.execution_options(yield_per=2000).execute(query).mappings():
            yield to_stored_subject(row)


def count_kept_subjects(cases: CaseStore) -> int:
    from sqlalchemy import func

    with cases.read() as conn:
        return conn.execute(select(func.count()).where(subject_table.c.kept.is_(True))).scalar_one()
