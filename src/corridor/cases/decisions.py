"""Decisions on alerts, and the four-eyes rule.

An analyst decides an alert as a **true match**, a **false positive** or **escalate**, always
with a reason. With four-eyes on (``CORRIDOR_FOUR_EYES``), closing an alert as a true match,
or as a false positive at or above ``CORRIDOR_FOUR_EYES_FP_SCORE``, leaves it *pending* until
a second user, an approver, approves (or rejects) the decision; nobody approves their own.
An escalated alert goes to the approvers: only an approver or admin decides it next. A
false positive that takes effect suppresses the same entry for the same subject
(:mod:`corridor.cases.suppressions`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from corridor.cases import audit
from corridor.cases.alerts import fetch_alert
from corridor.cases.db import CaseRules, CaseStore
from corridor.cases.model import (
    DECIDABLE,
    DECISION_KINDS,
    Actor,
    Alert,
    AlertDetail,
    AlertStatus,
    Decision,
    DecisionKind,
    User,
)
from corridor.cases.suppressions import (
    check_reason,
    create_suppression,
    entry_hashes,
    fetch_suppression,
)
from corridor.cases.tables import alert_table, decision_table, suppression_table, user_table
from corridor.cases.users import fetch_user, require_user
from corridor.errors import CaseError, NotFoundError, PermissionDeniedError
from corridor.store.list_dates import as_utc

#: The status an alert takes when a decision of each kind takes effect.
RESULT_STATUS: dict[DecisionKind, AlertStatus] = {
    "true_match": "true_match",
    "false_positive": "false_positive",
    "escalate": "escalated",
}


def needs_approval(rules: CaseRules, kind: DecisionKind, score: float) -> bool:
    """Whether a decision of ``kind`` on an alert scoring ``score`` waits for a second user."""
    if not rules.four_eyes:
        return False
    if kind == "true_match":
        return True
    return kind == "false_positive" and score >= rules.fp_approval_score


def decide(
    cases: CaseStore,
    alert_id: int,
    kind: str,
    reason: str,
    *,
    actor: Actor,
    suppress_until: datetime | None = None,
) -> Decision:
    """Decide an open (or, by an approver, an escalated) alert; ``suppress_until`` sets when
    the suppression a false positive makes expires (default: never)."""
    user = require_user(actor, "analyst", "decide alerts")
    if kind not in DECISION_KINDS:
        raise CaseError(f"decision {kind!r}: expected one of {', '.join(DECISION_KINDS)}")
    chosen: DecisionKind = kind  # type: ignore[assignment]
    text = check_reason(reason)
    with cases.write(f"deciding alert {alert_id}") as conn:
        alert = fetch_alert(conn, alert_id)
        if alert.status not in DECIDABLE:
            raise CaseError(_not_decidable(alert))
        if alert.status == "escalated" and not user.can("approver"):
            raise PermissionDeniedError(
                f"alert {alert_id} is escalated: an approver or admin decides it"
            )
        if chosen == "escalate" and alert.status == "escalated":
            raise CaseError(f"alert {alert_id} is escalated already")
        now = cases.now()
        pending = needs_approval(cases.rules, chosen, alert.score)
        result = conn.execute(
            insert(decision_table).values(
                alert_id=alert_id,
                kind=chosen,
                reason=text,
                decided_by=user.id,
                decided_at=now,
                approval="pending" if pending else "not_needed",
                review_reason="",
            )
        )
        decision_id = int(result.inserted_primary_key[0])
        audit.append(
            conn,
            at=now,
            actor=user.username,
            action="decision.made",
            subject=f"alert:{alert_id}",
            payload={
                "decision": decision_id,
                "kind": chosen,
                "reason": text,
                "score": alert.score,
                "entity": alert.entity_id,
                "needs_approval": pending,
                "suppress_until": audit.format_time(suppress_until) if suppress_until else None,
            },
            list_versions=alert.list_versions,
        )
        if pending:
            _set_status(conn, alert_id, "pending", now)
        else:
            _take_effect(conn, alert, decision_id, chosen, text, user, now, suppress_until)
        return _fetch_decision(conn, decision_id)


def approve(cases: CaseStore, alert_id: int, *, actor: Actor, reason: str = "") -> Decision:
    """Approve the decision pending on an alert: it takes effect (a second user, an approver
    or admin, never the one who decided)."""
    return _review(cases, alert_id, actor=actor, approved=True, reason=reason)


def reject(cases: CaseStore, alert_id: int, reason: str, *, actor: Actor) -> Decision:
    """Reject the decision pending on an alert, with a reason: the alert is open again."""
    return _review(cases, alert_id, actor=actor, approved=False, reason=check_reason(reason))


def _review(
    cases: CaseStore, alert_id: int, *, actor: Actor, approved: bool, reason: str
) -> Decision:
    user = require_user(actor, "approver", "approve or reject decisions")
    text = reason.strip()
    with cases.write(f"reviewing the decision on alert {alert_id}") as conn:
        alert = fetch_alert(conn, alert_id)
        decision = _pending_decision(conn, alert)
        if decision.decided_by == user.username:
            raise PermissionDeniedError(
                f"{user.username} made the decision on alert {alert_id}; a second user "
                "must approve or reject it (four eyes)"
            )
        now = cases.now()
        conn.execute(
            update(decision_table)
            .where(decision_table.c.id == decision.id)
            .values(
                approval="approved" if approved else "rejected",
                reviewed_by=user.id,
                reviewed_at=now,
                review_reason=text,
            )
        )
        audit.append(
            conn,
            at=now,
            actor=user.username,
            action="decision.approved" if approved else "decision.rejected",
            subject=f"alert:{alert_id}",
            payload={
                "decision": decision.id,
                "kind": decision.kind,
                "decided_by": decision.decided_by,
                "reason": text,
            },
            list_versions=alert.list_versions,
        )
        if approved:
            decided_by = fetch_user(conn, decision.decided_by)
            _take_effect(conn, alert, decision.id, decision.kind, decision.reason, decided_by, now)
        else:
            _set_status(conn, alert_id, "open", now)
        return _fetch_decision(conn, decision.id)


def _take_effect(
    conn: Connection,
    alert: Alert,
    decision_id: int,
    kind: DecisionKind,
    reason: str,
    decided_by: User,
    now: datetime,
    suppress_until: datetime | None = None,
) -> None:
    """Set the alert's final status; a false positive suppresses the entry for the subject."""
    _set_status(conn, alert.id, RESULT_STATUS[kind], now)
    if kind != "false_positive":
        return
    current = entry_hashes(conn, [alert.entity_id]).get(alert.entity_id)
    create_suppression(
        conn,
        subject_id=alert.subject_id,
        entity_id=alert.entity_id,
        caption=alert.caption,
        entry_hash=current or alert_entry_hash(conn, alert.id),
        alert_id=alert.id,
        decision_id=decision_id,
        reason=reason,
        user=decided_by,
        now=now,
        expires_at=as_utc(suppress_until).replace(tzinfo=None) if suppress_until else None,
    )


def alert_entry_hash(conn: Connection, alert_id: int) -> str:
    """The entry's hash as it was when the alert was raised (the entry may be gone now)."""
    return conn.execute(
        select(alert_table.c.entry_hash).where(alert_table.c.id == alert_id)
    ).scalar_one()


def _set_status(conn: Connection, alert_id: int, status: AlertStatus, now: datetime) -> None:
    conn.execute(
        update(alert_table)
        .where(alert_table.c.id == alert_id)
        .values(status=status, updated_at=now)
    )


def _not_decidable(alert: Alert) -> str:
    if alert.status == "pending":
        return f"alert {alert.id} awaits a second user's approval of its decision"
    return f"alert {alert.id} is closed ({alert.status.replace('_', ' ')})"


def _decision_query() -> Any:
    decided = user_table.alias("decided")
    reviewed = user_table.alias("reviewed")
    return (
        select(
            decision_table,
            decided.c.username.label("decided_name"),
            reviewed.c.username.label("reviewed_name"),
        )
        .join(decided, decided.c.id == decision_table.c.decided_by)
        .outerjoin(reviewed, reviewed.c.id == decision_table.c.reviewed_by)
    )


def _to_decision(row: Any) -> Decision:
    return Decision(
        id=int(row["id"]),
        alert_id=int(row["alert_id"]),
        kind=row["kind"],
        reason=row["reason"],
        decided_by=row["decided_name"],
        decided_at=as_utc(row["decided_at"]),
        approval=row["approval"],
        reviewed_by=row["reviewed_name"],
        reviewed_at=as_utc(row["reviewed_at"]) if row["reviewed_at"] else None,
        review_reason=row["review_reason"],
    )


def _fetch_decision(conn: Connection, decision_id: int) -> Decision:
    row = conn.execute(_decision_query().where(decision_table.c.id == decision_id)).mappings()
    return _to_decision(row.one())


def _pending_decision(conn: Connection, alert: Alert) -> Decision:
    row = (
        conn.execute(
            _decision_query()
            .where(decision_table.c.alert_id == alert.id, decision_table.c.approval == "pending")
            .order_by(decision_table.c.id.desc())
        )
        .mappings()
        .first()
    )
    if row is None or alert.status != "pending":
        raise CaseError(f"alert {alert.id} has no decision awaiting approval")
    return _to_decision(row)


def decisions_of(cases: CaseStore, alert_id: int) -> list[Decision]:
    """An alert's decisions, oldest first."""
    with cases.read() as conn:
        rows = conn.execute(
            _decision_query()
            .where(decision_table.c.alert_id == alert_id)
            .order_by(decision_table.c.id)
        ).mappings()
        return [_to_decision(row) for row in rows]


def alert_detail(cases: CaseStore, alert_id: int) -> AlertDetail:
    """An alert with its decisions and the suppression it led to (what the alert page shows)."""
    with cases.read() as conn:
        alert = fetch_alert(conn, alert_id)
        rows = conn.execute(
            _decision_query()
            .where(decision_table.c.alert_id == alert_id)
            .order_by(decision_table.c.id)
        ).mappings()
        decisions = [_to_decision(row) for row in rows]
        suppression_id = conn.execute(
            select(suppression_table.c.id)
            .where(suppression_table.c.alert_id == alert_id)
            .order_by(suppression_table.c.id.desc())
        ).scalar()
        suppression = fetch_suppression(conn, suppression_id) if suppression_id else None
    return AlertDetail(alert, decisions, suppression)


def get_decision(cases: CaseStore, decision_id: int) -> Decision:
    with cases.read() as conn:
        row = conn.execute(_decision_query().where(decision_table.c.id == decision_id))
        found = row.mappings().first()
    if found is None:
        raise NotFoundError(f"no decision {decision_id}")
    return _to_decision(found)
