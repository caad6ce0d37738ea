"""The audit log: append-only, each record chained to the one before it by hash.

A record is its number (``seq``, 1, 2, 3 … with no gaps), time, actor, action, subject,
payload and the list versions in force, plus ``prev_hash``, the hash of the record before it
(:data:`GENESIS_HASH` for the first). Its ``hash`` is the SHA-256 of the canonical JSON of all
of these (:func:`record_hash`). The ``audit_head`` row holds the last record's number and
hash and is updated in the same transaction as each append.

:func:`verify_chain` walks the log and names the first record that does not hold:

* an edited field changes the record's content, so its hash no longer matches it;
* a deleted record leaves a gap in the numbers;
* an inserted or replaced record breaks the link (``prev_hash``) of the record after it,
  or, appended behind corridor's back, sits past the head;
* records cut off the end leave the head pointing past the last one.

Someone who can write the database *and* recompute every hash after the point they change,
head included, can rewrite history undetected; :func:`head` gives the last number and hash to
keep elsewhere (a ticket, a printout, another system) and ``expect`` checks against it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any, TypedDict, Unpack

from sqlalchemy import Connection, insert, select, update

from corridor.cases.db import GENESIS_HASH, CaseStore
from corridor.cases.model import AuditCheck, AuditRecord, dump_json, load_json, sha256_text
from corridor.cases.tables import audit_head_table, audit_table
from corridor.errors import AuditError
from corridor.store.models import snapshot_table
from corridor.store.snapshots import snapshot_from_row

#: Columns of the CSV export, in order.
CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "payload",
    "list_versions",
    "prev_hash",
    "hash",
)


def format_time(value: datetime) -> str:
    """The audit time text: ISO 8601 UTC with microseconds (sorts as it reads)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat(timespec="microseconds")


def record_hash(
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    subject: str,
    payload: Any,
    list_versions: Any,
    prev_hash: str,
) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys), ``prev_hash`` included."""
    return sha256_text(
        dump_json(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "subject": subject,
                "payload": payload,
                "list_versions": list_versions,
                "prev_hash": prev_hash,
            }
        )
    )


def active_list_versions(conn: Connection) -> dict[str, str]:
    """``{dataset: "list date:hash"}`` of the lists in force: what every record carries."""
    rows = conn.execute(select(snapshot_table).where(snapshot_table.c.active.is_(True)))
    versions: dict[str, str] = {}
    for row in rows.mappings():
        snap = snapshot_from_row(row)
        versions[snap.dataset] = snap.version
    return dict(sorted(versions.items()))


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str = "",
    payload: dict[str, Any] | None = None,
    list_versions: dict[str, str] | None = None,
) -> AuditRecord:
    """Append one record inside a :meth:`CaseStore.write` transaction (which holds the head
    lock, so no other writer can take the same number). ``list_versions`` defaults to the
    lists in force."""
    head_row = conn.execute(
        select(audit_head_table.c.seq, audit_head_table.c.hash).where(audit_head_table.c.id == 1)
    ).first()
    if head_row is None:
        raise AuditError("the audit head row is missing: the audit log was tampered with")
    versions = active_list_versions(conn) if list_versions is None else dict(list_versions)
    body = payload or {}
    # Round-trip the payload through JSON so the hash covers exactly what is stored.
    body = load_json(dump_json(body))
    record = {
        "seq": int(head_row.seq) + 1,
        "at": format_time(at),
        "actor": actor[:128],
        "action": action,
        "subject": subject[:255],
        "payload": body,
        "list_versions": versions,
        "prev_hash": head_row.hash,
    }
    digest = record_hash(**record)
    conn.execute(
        insert(audit_table).values(
            seq=record["seq"],
            at=record["at"],
            actor=record["actor"],
            action=action,
            subject=record["subject"],
            payload=dump_json(body),
            list_versions=dump_json(versions),
            prev_hash=head_row.hash,
            hash=digest,
        )
    )
    conn.execute(
        update(audit_head_table)
        .where(audit_head_table.c.id == 1)
        .values(seq=record["seq"], hash=digest)
    )
    return AuditRecord(hash=digest, **record)


def log(
    cases: CaseStore,
    *,
    actor: str,
    action: str,
    subject: str = "",
    payload: dict[str, Any] | None = None,
    list_versions: dict[str, str] | None = None,
) -> AuditRecord:
    """Append one record in a transaction of its own (for events that change nothing else)."""
    with cases.write(f"audit: {action}") as conn:
        return append(
            conn,
            at=cases.now(),
            actor=actor,
            action=action,
            subject=subject,
            payload=payload,
            list_versions=list_versions,
        )


def head(cases: CaseStore) -> tuple[int, str]:
    """The last record's number and hash, as the head row holds them."""
    with cases.read() as conn:
        row = conn.execute(
            select(audit_head_table.c.seq, audit_head_table.c.hash).where(
                audit_head_table.c.id == 1
            )
        ).first()
    if row is None:
        raise AuditError("the audit head row is missing: the audit log was tampered with")
    return int(row.seq), str(row.hash)


def _to_record(row: Any) -> AuditRecord:
    return AuditRecord(
        seq=int(row["seq"]),
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        payload=load_json(row["payload"]),
        list_versions=load_json(row["list_versions"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def _stored_hash(row: Any) -> str:
    """The hash a stored row should have. JSON columns count only in the canonical text
    :func:`append` wrote: any other text (even an added space) hashes as plain text, so
    it no longer matches."""

    def value(text: str) -> Any:
        try:
            parsed = load_json(text)
        except ValueError:
            return text
        return parsed if dump_json(parsed) == text else text

    return record_hash(
        seq=int(row["seq"]),
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        payload=value(row["payload"]),
        list_versions=value(row["list_versions"]),
        prev_hash=row["prev_hash"],
    )


def verify_chain(cases: CaseStore, expect: tuple[int, str] | None = None) -> AuditCheck:
    """Walk the whole log; the first record that breaks the chain is named in the result.

    ``expect`` is a (number, hash) kept outside the database (see :func:`head`): the record
    with that number must still have that hash.
    """
    with cases.read() as conn:
        head_row = conn.execute(
            select(audit_head_table.c.seq, audit_head_table.c.hash).where(
                audit_head_table.c.id == 1
            )
        ).first()
        if head_row is None:
            return AuditCheck(False, 0, 0, "", 1, "the audit head row is missing")
        head_seq, head_hash = int(head_row.seq), str(head_row.hash)

        def bad(seq: int, problem: str, count: int) -> AuditCheck:
            return AuditCheck(False, count, head_seq, head_hash, seq, problem)

        prev_hash, last_seq, count = GENESIS_HASH, 0, 0
        found_expected = expect is None
        rows = conn.execution_options(yield_per=2000).execute(
            select(audit_table).order_by(audit_table.c.seq)
        )
        for row in rows.mappings():
            seq = int(row["seq"])
            expected = last_seq + 1
            if seq > expected:
                gap = (
                    f"record {expected}" if seq == expected + 1 else f"records {expected}–{seq - 1}"
                )
                return bad(
                    expected, f"{gap} deleted: record {last_seq} is followed by {seq}", count
                )
            if seq < expected:
                return bad(seq, f"record {seq} is out of sequence (inserted)", count)
            if row["prev_hash"] != prev_hash:
                before = f"record {seq - 1}'s hash" if seq > 1 else "the start of the chain"
                return bad(
                    seq,
                    f"record {seq} does not link to {before}: a record was inserted or "
                    f"replaced here, or record {seq - 1} rewritten",
                    count,
                )
            if _stored_hash(row) != row["hash"]:
                return bad(
                    seq,
                    f"record {seq} was altered: its content no longer matches its hash",
                    count,
                )
            if expect is not None and seq == expect[0]:
                if row["hash"] != expect[1]:
                    return bad(seq, f"record {seq} does not have the expected hash", count)
                found_expected = True
            prev_hash, last_seq, count = row["hash"], seq, count + 1
    if last_seq < head_seq:
        missing = last_seq + 1
        return bad(
            missing,
            f"records {missing}–{head_seq} are missing from the end (the head says {head_seq})"
            if missing < head_seq
            else f"record {missing} is missing from the end (the head says {head_seq})",
            count,
        )
    if last_seq > head_seq:
        return bad(
            head_seq + 1,
            f"record {head_seq + 1} is past the head ({head_seq}): added outside corridor",
            count,
        )
    if last_seq and prev_hash != head_hash:
        return bad(last_seq, f"record {last_seq} does not have the head's hash", count)
    if not found_expected:
        assert expect is not None
        return bad(expect[0], f"record {expect[0]} (expected) is not in the log", count)
    return AuditCheck(True, count, head_seq, head_hash)


class AuditFilters(TypedDict, total=False):
    """The filters of :func:`iter_audit_records`."""

    action: str | None
    actor: str | None
    subject: str | None
    start: datetime | None
    end: datetime | None
    after_seq: int | None
    limit: int | None
    offset: int
    newest_first: bool


def audit_records(cases: CaseStore, **filters: Unpack[AuditFilters]) -> list[AuditRecord]:
    """:func:`iter_audit_records` as a list."""
    return list(iter_audit_records(cases, **filters))


def iter_audit_records(
    cases: CaseStore,
    *,
    action: str | None = None,
    actor: str | None = None,
    subject: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    after_seq: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> Iterator[AuditRecord]:
    """Records matching every filter given (``action`` may end in ``.*`` for a family,
    e.g. ``decision.*``); ``start`` inclusive, ``end`` exclusive. Streamed, for exports of
    the whole log."""
    cols = audit_table.c
    query = select(audit_table)
    if action:
        if action.endswith(".*"):
            query = query.where(cols.action.startswith(action[:-1], autoescape=True))
        else:
            query = query.where(cols.action == action)
    if actor:
        query = query.where(cols.actor == actor)
    if subject:
        query = query.where(cols.subject == subject)
    if start is not None:
        query = query.where(cols.at >= format_time(start))
    if end is not None:
        query = query.where(cols.at < format_time(end))
    if after_seq is not None:
        query = query.where(cols.seq > after_seq)
    query = query.order_by(cols.seq.desc() if newest_first else cols.seq)
    query = query.limit(limit).offset(offset or None)
    with cases.read() as conn:
        for row in conn.execution_options(yield_per=2000).execute(query).mappings():
            yield _to_record(row)


def write_json(records: Iterable[AuditRecord], out: IO[str]) -> int:
    """The records as one JSON array (each with its hashes, so a reader can re-check the
    chain); returns the count."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(dump_json(record.to_dict()))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_csv(records: Iterable[AuditRecord], out: IO[str]) -> int:
    """The records as CSV with a header (payload and list versions as JSON text)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for r in records:
        writer.writerow(
            [
                r.seq,
                r.at,
                r.actor,
                r.action,
                r.subject,
                dump_json(r.payload),
                dump_json(r.list_versions),
                r.prev_hash,
                r.hash,
            ]
        )
        count += 1
    return count


def export_text(records: Iterable[AuditRecord], fmt: str) -> str:
    """The records as ``json`` or ``csv`` text (for a download in the web page)."""
    buffer = io.StringIO()
    if fmt == "json":
        write_json(records, buffer)
    elif fmt == "csv":
        write_csv(records, buffer)
    else:
        raise AuditError(f"unknown export format {fmt!r}; use json or csv")
    return buffer.getvalue()
