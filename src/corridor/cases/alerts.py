"""The alert queue: alerts from trade screenings, recorded matches and batch rows; listing
with filters, sorting and pages; assignment.

:func:`record_alerts` is the one way in. Per subject and matched list entry (a match with
``match`` set) there is at most one alert in the queue: a hit already open, escalated,
pending or confirmed is *seen again*; a hit covered by a live suppression is *suppressed*
(counted on the suppression, no alert); otherwise a new ``open`` alert is made. Each call is
one transaction with one audit record of the screening.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Select, func, insert, or_, select, update

from corridor.cases import audit
from corridor.cases.db import CaseStore
from corridor.cases.marks import mark_screened_against_active
from corridor.cases.model import (
    MAX_PAGE_SIZE,
    MAX_REFERENCE,
    Actor,
    Alert,
    AlertFilter,
    AlertPage,
    AlertSort,
    Origin,
    PageRequest,
    RecordedAlerts,
    Screened,
    Subject,
    dump_json,
    load_json,
)
from corridor.cases.subjects import store_subject, to_subject
from corridor.cases.suppressions import (
    current_suppression,
    end_if_expired,
    end_suppression,
    entry_hashes,
    note_hit,
)
from corridor.cases.tables import alert_table, subject_table, user_table
from corridor.cases.users import fetch_user, require_role, require_user
from corridor.errors import CaseError, NotFoundError
from corridor.matching import MatchResult
from corridor.screening.results import ScreeningResult
from corridor.store.list_dates import as_utc
from corridor.trade import Trade

#: Statuses where a new hit on the same subject and entry adds nothing to the queue.
_STILL_COVERED = ("open", "escalated", "pending", "true_match")


def record_alerts(
    cases: CaseStore,
    screened: Sequence[Screened],
    *,
    actor: Actor,
    origin: Origin,
    reference: str = "",
    list_versions: Mapping[str, str] | None = None,
    summary: Mapping[str, Any] | None = None,
) -> RecordedAlerts:
    """Keep the screened subjects and put their new hits in the queue, in one transaction.

    ``origin`` says where the screening came from (``screen``, ``match``, ``batch``,
    ``rescreen``) and ``reference`` which one (a trade file, a batch job and row); the
    ``list_versions`` screened against default to the lists in force. ``summary`` adds to
    the audit record (a verdict, a row count).
    """
    require_role(actor, "analyst", "record screenings")
    ref = reference[:MAX_REFERENCE]
    keep_all = cases.rules.keep_screened
    with cases.write(f"recording a {origin} screening") as conn:
        now = cases.now()
        versions = dict(list_versions) if list_versions else audit.active_list_versions(conn)
        if origin != "rescreen":
            mark_screened_against_active(conn)
        hits = [m for item in screened for m in item.matches if m.match]
        hashes = entry_hashes(conn, {m.id for m in hits})
        created: list[int] = []
        seen: list[int] = []
        suppressed: list[int] = []
        lifted: list[int] = []
        subject_ids: list[int] = []
        for item in screened:
            alerts = [m for m in item.matches if m.match]
            if not alerts and not keep_all:
                continue
            subject_id = store_subject(conn, item.subject, origin=origin, kept=keep_all, now=now)
            subject_ids.append(subject_id)
            for match in alerts:
                entry_hash = hashes.get(match.id, "")
                existing = _latest_alert(conn, subject_id, match.id)
                if existing is not None and existing["status"] in _STILL_COVERED:
                    conn.execute(
                        update(alert_table)
                        .where(alert_table.c.id == existing["id"])
                        .values(last_seen_at=now)
                    )
                    seen.append(int(existing["id"]))
                    continue
                suppression = current_suppression(conn, subject_id, match.id)
                if suppression is not None and not end_if_expired(conn, suppression, now):
                    if entry_hash and entry_hash != suppression.entry_hash:
                        end_suppression(
                            conn,
                            suppression,
                            how="lifted",
                            by="system:screening",
                            reason="the list entry changed since the false positive was decided",
                            now=now,
                        )
                        lifted.append(suppression.id)
                    else:
                        note_hit(conn, suppression, now)
                        suppressed.append(suppression.id)
                        continue
                created.append(
                    _insert_alert(conn, subject_id, match, entry_hash, versions, origin, ref, now)
                )
        record = audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action=f"{origin}.recorded",
            subject=ref,
            payload={
                **dict(summary or {}),
                "subjects": subject_ids,
                "alerts_created": created,
                "alerts_seen_again": seen,
                "suppressed_by": suppressed,
                "suppressions_lifted": lifted,
            },
            list_versions=versions,
        )
    return RecordedAlerts(created, seen, suppressed, lifted, subject_ids, record.seq)


def _latest_alert(conn: Connection, subject_id: int, entity_id: str) -> Any:
    cols = alert_table.c
    return (
        conn.execute(
            select(cols.id, cols.status)
            .where(cols.subject_id == subject_id, cols.entity_id == entity_id)
            .order_by(cols.id.desc())
        )
        .mappings()
        .first()
    )


def _insert_alert(
    conn: Connection,
    subject_id: int,
    match: MatchResult,
    entry_hash: str,
    versions: Mapping[str, str],
    origin: str,
    reference: str,
    now: Any,
) -> int:
    result = conn.execute(
        insert(alert_table).values(
            subject_id=subject_id,
            entity_id=match.id,
            caption=match.caption[:1024],
            schema=match.schema,
            source_ids=dump_json(list(match.source_ids)),
            datasets="," + ",".join(match.datasets) + ",",
            score=float(match.score),
            entry_hash=entry_hash,
            match=dump_json(match.to_dict()),
            list_versions=dump_json(dict(versions)),
            origin=origin,
            origin_ref=reference,
            status="open",
            assignee_id=None,
            created_at=now,
            updated_at=now,
            last_seen_at=now,
        )
    )
    return int(result.inserted_primary_key[0])


# -- from each kind of screening -------------------------------------------------------


def screened_from_trade(trade: Trade, result: ScreeningResult) -> list[Screened]:
    """Each party of a screened trade, and each declared owner, with its list matches."""
    out: list[Screened] = []
    for party_result in result.parties:
        party = trade.parties[party_result.index]
        subject = Subject.of(party.name, party.schema_, party.country, dict(party.identifiers))
        out.append(Screened(subject, party_result.matches))
        for owner in party_result.owners:
            out.append(Screened(Subject.of(owner.name, country=owner.country), owner.matches))
    return out


def record_screening(
    cases: CaseStore,
    trade: Trade,
    result: ScreeningResult,
    *,
    actor: Actor,
    reference: str = "",
) -> RecordedAlerts:
    """Record a trade screening (``corridor screen``, ``POST /screen``): its verdict in the
    audit log, its parties kept, their hits in the queue."""
    return record_alerts(
        cases,
        screened_from_trade(trade, result),
        actor=actor,
        origin="screen",
        reference=reference,
        list_versions={v.dataset: v.version for v in result.lists},
        summary={"verdict": result.verdict, "as_of": result.as_of.isoformat()},
    )


def subject_from_query(query: Mapping[str, Any], reference: str = "") -> Subject:
    """The subject of a yente-style match query ``{schema, properties}``: its first name,
    first country, and other properties as identifiers."""
    props: dict[str, Any] = dict(query.get("properties") or {})

    def values(key: str) -> list[str]:
        value = props.pop(key, None) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    names = values("name")
    countries = values("country") or values("nationality") or values("jurisdiction")
    if not names:
        raise CaseError("a match query to record needs properties.name")
    identifiers = {k: values(k) for k in sorted(props)}
    return Subject.of(
        names[0],
        str(query.get("schema") or "LegalEntity"),
        countries[0].lower() if countries else None,
        {k: v for k, v in identifiers.items() if v},
        reference,
    )


def record_matches(
    cases: CaseStore,
    query: Mapping[str, Any],
    results: Sequence[MatchResult],
    *,
    actor: Actor,
    reference: str = "",
) -> RecordedAlerts:
    """Record one ``/match`` query and its results (when the caller asks to record)."""
    subject = subject_from_query(query, reference)
    return record_alerts(
        cases, [Screened(subject, results)], actor=actor, origin="match", reference=reference
    )


# -- reading the queue -----------------------------------------------------------------


def _alert_query() -> Select[Any]:
    return (
        select(
            alert_table,
            subject_table.c.name,
            subject_table.c.schema.label("subject_schema"),
            subject_table.c.country,
            subject_table.c.identifiers,
            subject_table.c.reference,
            user_table.c.username.label("assignee_name"),
        )
        .join(subject_table, subject_table.c.id == alert_table.c.subject_id)
        .outerjoin(user_table, user_table.c.id == alert_table.c.assignee_id)
    )


def to_alert(row: Any) -> Alert:
    subject = to_subject(
        {
            "name": row["name"],
            "schema": row["subject_schema"],
            "country": row["country"],
            "identifiers": row["identifiers"],
            "reference": row["reference"],
        }
    )
    return Alert(
        id=int(row["id"]),
        subject_id=int(row["subject_id"]),
        subject=subject,
        entity_id=row["entity_id"],
        caption=row["caption"],
        schema=row["schema"],
        source_ids=load_json(row["source_ids"]),
        datasets=[d for d in row["datasets"].split(",") if d],
        score=float(row["score"]),
        status=row["status"],
        assignee=row["assignee_name"],
        origin=row["origin"],
        origin_ref=row["origin_ref"],
        list_versions=load_json(row["list_versions"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        last_seen_at=as_utc(row["last_seen_at"]),
        match=load_json(row["match"]),
    )


def fetch_alert(conn: Connection, alert_id: int) -> Alert:
    row = conn.execute(_alert_query().where(alert_table.c.id == alert_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}")
    return to_alert(row)


def get_alert(cases: CaseStore, alert_id: int) -> Alert:
    with cases.read() as conn:
        return fetch_alert(conn, alert_id)


def _filtered(query: Select[Any], filters: AlertFilter) -> Select[Any]:
    a = alert_table.c
    if filters.statuses:
        query = query.where(a.status.in_(filters.statuses))
    if filters.dataset:
        query = query.where(a.datasets.contains(f",{filters.dataset},", autoescape=True))
    if filters.min_score is not None:
        query = query.where(a.score >= filters.min_score)
    if filters.max_score is not None:
        query = query.where(a.score <= filters.max_score)
    if filters.assignee == "":
        query = query.where(a.assignee_id.is_(None))
    elif filters.assignee is not None:
        query = query.where(user_table.c.username == filters.assignee.lower())
    if filters.origin:
        query = query.where(a.origin == filters.origin)
    if filters.subject_id is not None:
        query = query.where(a.subject_id == filters.subject_id)
    if filters.text:
        needle = filters.text.strip().lower()
        query = query.where(
            or_(
                func.lower(subject_table.c.name).contains(needle, autoescape=True),
                func.lower(a.caption).contains(needle, autoescape=True),
            )
        )
    return query


def list_alerts(
    cases: CaseStore,
    filters: AlertFilter | None = None,
    sort: AlertSort | None = None,
    page: PageRequest | None = None,
) -> AlertPage:
    """One page of the alerts matching ``filters``, in ``sort`` order (ties by id)."""
    filters = filters or AlertFilter()
    sort = sort or AlertSort()
    page = page or PageRequest()
    if page.number < 1 or not 1 <= page.size <= MAX_PAGE_SIZE:
        raise CaseError(f"page numbers start at 1 and hold 1 to {MAX_PAGE_SIZE} alerts")
    column = getattr(alert_table.c, sort.key, None)
    if column is None:
        raise CaseError(f"cannot sort alerts by {sort.key!r}")
    order = (
        [column.desc(), alert_table.c.id.desc()] if sort.descending else [column, alert_table.c.id]
    )
    query = _filtered(_alert_query(), filters)
    count = _filtered(
        select(func.count())
        .select_from(alert_table)
        .join(subject_table, subject_table.c.id == alert_table.c.subject_id)
        .outerjoin(user_table, user_table.c.id == alert_table.c.assignee_id),
        filters,
    )
    with cases.read() as conn:
        total = conn.execute(count).scalar_one()
        rows = conn.execute(
            query.order_by(*order).limit(page.size).offset((page.number - 1) * page.size)
        ).mappings()
        items = [to_alert(row) for row in rows]
    return AlertPage(items, int(total), page.number, page.size)


def assign(cases: CaseStore, alert_id: int, assignee: str | None, *, actor: Actor) -> Alert:
    """Give an alert to a user (None: to nobody). Analysts may take alerts; giving one to
    someone else needs an approver."""
    user = require_user(actor, "analyst", "assign alerts")
    if assignee is not None and assignee.lower() != user.username:
        require_role(user, "approver", "assign alerts to others")
    with cases.write(f"assigning alert {alert_id}") as conn:
        alert = fetch_alert(conn, alert_id)
        target = fetch_user(conn, assignee) if assignee is not None else None
        if target is not None and not target.active:
            raise CaseError(f"{target.username} is disabled")
        now = cases.now()
        conn.execute(
            update(alert_table)
            .where(alert_table.c.id == alert_id)
            .values(assignee_id=target.id if target else None, updated_at=now)
        )
        audit.append(
            conn,
            at=now,
            actor=user.username,
            action="alert.assigned",
            subject=f"alert:{alert_id}",
            payload={"from": alert.assignee, "to": target.username if target else None},
            list_versions=alert.list_versions,
        )
        return fetch_alert(conn, alert_id)
