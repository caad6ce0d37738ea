"""The dashboard's figures as plain values (the web page draws them): the lists loaded and
their age, open alerts by age, decisions per analyst, and alerts per day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from corridor.cases.db import CaseStore
from corridor.cases.model import OPEN_STATUSES
from corridor.cases.tables import alert_table, decision_table, user_table
from corridor.store.list_dates import as_utc

#: Open alerts are counted in these age bands, in days: [low, high).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under 1 day", 0, 1),
    ("1–7 days", 1, 7),
    ("7–30 days", 7, 30),
    ("30 days or more", 30, None),
)


@dataclass(frozen=True)
class ListAge:
    dataset: str
    version: str
    list_date: str | None
    imported_at: datetime
    entities: int
    #: Days since the list's own date (or, without one, since its import).
    age_days: int


@dataclass(frozen=True)
class AgeBand:
    label: str
    min_days: int
    max_days: int | None
    count: int


@dataclass(frozen=True)
class AnalystDecisions:
    username: str
    true_match: int
    false_positive: int
    escalate: int

    @property
    def total(self) -> int:
        return self.true_match + self.false_positive + self.escalate


@dataclass(frozen=True)
class DayCount:
    day: date
    alerts: int


@dataclass(frozen=True)
class Dashboard:
    lists: list[ListAge]
    open_alerts: list[AgeBand]
    decisions: list[AnalystDecisions]
    alerts_per_day: list[DayCount]


def lists_loaded(cases: CaseStore) -> list[ListAge]:
    now = as_utc(cases.now())
    out = []
    for snap in cases.store.active_snapshots():
        dated = snap.effective_at or snap.imported_at
        out.append(
            ListAge(
                dataset=snap.dataset,
                version=snap.version,
                list_date=snap.list_date,
                imported_at=snap.imported_at,
                entities=snap.entity_count,
                age_days=max(0, (now - as_utc(dated)).days),
            )
        )
    return out


def open_alerts_by_age(cases: CaseStore) -> list[AgeBand]:
    now = cases.now()
    with cases.read() as conn:
        created = list(
            conn.execute(
                select(alert_table.c.created_at).where(alert_table.c.status.in_(OPEN_STATUSES))
            ).scalars()
        )
    ages = [(now - when).total_seconds() / 86400 for when in created]
    return [
        AgeBand(label, low, high, sum(1 for a in ages if a >= low and (high is None or a < high)))
        for label, low, high in AGE_BANDS
    ]


def decisions_per_analyst(
    cases: CaseStore, since: datetime | None = None
) -> list[AnalystDecisions]:
    """Decisions each user made (approved, pending or not needing approval alike), most
    first; ``since`` limits them to recent ones."""
    d = decision_table.c
    query = (
        select(user_table.c.username, d.kind, func.count())
        .join(user_table, user_table.c.id == d.decided_by)
        .group_by(user_table.c.username, d.kind)
    )
    if since is not None:
        query = query.where(d.decided_at >= as_utc(since).replace(tzinfo=None))
    counts: dict[str, dict[str, int]] = {}
    with cases.read() as conn:
        for username, kind, n in conn.execute(query):
            counts.setdefault(username, {})[kind] = int(n)
    rows = [
        AnalystDecisions(
            name, c.get("true_match", 0), c.get("false_positive", 0), c.get("escalate", 0)
        )
        for name, c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.total, r.username))


def alerts_over_time(cases: CaseStore, days: int = 30) -> list[DayCount]:
    """Alerts raised per day over the last ``days`` days (UTC), today included, zeros too."""
    today = cases.now().date()
    first = today - timedelta(days=days - 1)
    with cases.read() as conn:
        created = conn.execute(
            select(alert_table.c.created_at).where(
                alert_table.c.created_at >= datetime.combine(first, datetime.min.time())
            )
        ).scalars()
        per_day: dict[date, int] = {}
        for when in created:
            per_day[when.date()] = per_day.get(when.date(), 0) + 1
    return [
        DayCount(first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0))
        for i in range(days)
    ]


def dashboard(cases: CaseStore, days: int = 30) -> Dashboard:
    return Dashboard(
        lists=lists_loaded(cases),
        open_alerts=open_alerts_by_age(cases),
        decisions=decisions_per_analyst(cases),
        alerts_per_day=alerts_over_time(cases, days),
    )
