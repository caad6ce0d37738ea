"""The alert queue, decisions under the four-eyes rule, and suppressions, on real matches
against the real BIS Denied Persons List (2022), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from case_helpers import OPERATOR, PASSWORD, SteppedClock, import_dpl

from corridor.cases import alerts, audit, decisions, suppressions, users
from corridor.cases.db import CaseRules, CaseStore
from corridor.cases.model import (
    AlertFilter,
    AlertSort,
    PageRequest,
    Screened,
    Subject,
    User,
)
from corridor.errors import CaseError, PermissionDeniedError
from corridor.screening.parties import MatcherScreener
from corridor.store import Store

VILLA = Subject.of("Aaron Abraham Villa", "Person", reference="cust-1")
KRUTILIN = Subject.of("Aleksey Krutilin", "Person", "ru", reference="cust-2")
CLEAN = Subject.of("Maria Quietly-Lawful", "Person", "de", reference="cust-3")


@pytest.fixture()
def dpl(backend_url: str, lists_dir, clock: SteppedClock) -> Iterator[CaseStore]:
    store = Store(backend_url)
    import_dpl(store, lists_dir)
    with CaseStore(store, rules=CaseRules(fp_approval_score=0.99), clock=clock) as cases:
        yield cases


@pytest.fixture()
def screener(dpl: CaseStore) -> MatcherScreener:
    return MatcherScreener.from_store(dpl.store)


@pytest.fixture()
def team(dpl: CaseStore) -> dict[str, User]:
    return {
        name: users.add_user(dpl, name, PASSWORD, role, actor=OPERATOR)
        for name, role in (("ann", "analyst"), ("bob", "analyst"), ("pia", "approver"))
    }


def screen(screener: MatcherScreener, *subjects: Subject) -> list[Screened]:
    return [
        Screened(s, screener.screen(s.name, s.schema, s.country, dict(s.identifiers)))
        for s in subjects
    ]


def record(cases: CaseStore, screener: MatcherScreener, *subjects: Subject, origin="batch"):
    return alerts.record_alerts(
        cases, screen(screener, *subjects), actor=OPERATOR, origin=origin, reference="job-1"
    )


def test_hits_become_open_alerts_and_are_not_repeated(dpl, screener) -> None:
    first = record(dpl, screener, VILLA, KRUTILIN, CLEAN)
    assert len(first.created) == 2 and len(first.subjects) == 3
    page = alerts.list_alerts(dpl, sort=AlertSort("id", descending=False))
    assert [a.subject.name for a in page.items] == ["Aaron Abraham Villa", "Aleksey Krutilin"]
    villa = page.items[0]
    assert villa.caption == "AARON ABRAHAM VILLA" and villa.status == "open"
    assert villa.source_ids[0].startswith("us_bis_denied:")
    assert villa.datasets == ["us_bis_denied"] and villa.score >= 0.9
    assert villa.match["explanation"]["name"]["pairs"]  # the analyst sees the alignment
    assert villa.list_versions == {
        "us_bis_denied": dpl.store.active_snapshot("us_bis_denied").version
    }
    again = record(dpl, screener, VILLA)
    assert again.created == [] and again.seen_again == [villa.id]
    (screening,) = audit.audit_records(dpl, action="batch.recorded", limit=1)
    assert screening.payload["alerts_created"] == first.created
    assert screening.subject == "job-1"


def test_filter_sort_and_page(dpl, screener, team) -> None:
    record(dpl, screener, VILLA, KRUTILIN)
    ann = team["ann"]
    (villa,) = alerts.list_alerts(dpl, AlertFilter(text="villa")).items
    alerts.assign(dpl, villa.id, "ann", actor=ann)
    assert [a.id for a in alerts.list_alerts(dpl, AlertFilter(assignee="ann")).items] == [villa.id]
    assert alerts.list_alerts(dpl, AlertFilter(assignee="")).total == 1
    assert alerts.list_alerts(dpl, AlertFilter(dataset="us_bis_denied")).total == 2
    assert alerts.list_alerts(dpl, AlertFilter(dataset="us_ofac_sdn")).total == 0
    assert alerts.list_alerts(dpl, AlertFilter(min_score=1.01)).total == 0
    assert alerts.list_alerts(dpl, AlertFilter(statuses=("open",))).total == 2
    paged = alerts.list_alerts(dpl, sort=AlertSort("id", False), page=PageRequest(2, 1))
    assert paged.total == 2 and paged.pages == 2 and len(paged.items) == 1
    assert paged.items[0].subject.name == "Aleksey Krutilin"
    with pytest.raises(PermissionDeniedError, match="assign alerts to others"):
        alerts.assign(dpl, villa.id, "bob", actor=ann)
    with pytest.raises(CaseError, match="cannot sort"):
        alerts.list_alerts(dpl, sort=AlertSort("name"))  # type: ignore[arg-type]


def test_a_decision_needs_a_reason_and_a_login(dpl, screener, team) -> None:
    (alert_id, _) = record(dpl, screener, VILLA, KRUTILIN).created
    with pytest.raises(CaseError, match="a reason is required"):
        decisions.decide(dpl, alert_id, "false_positive", "  ", actor=team["ann"])
    with pytest.raises(PermissionDeniedError, match="needs a user's login"):
        decisions.decide(dpl, alert_id, "false_positive", "other person", actor=OPERATOR)
    with pytest.raises(CaseError, match="decision 'maybe'"):
        decisions.decide(dpl, alert_id, "maybe", "hmm", actor=team["ann"])


def test_a_true_match_waits_for_a_second_user(dpl, screener, team) -> None:
    alert_id = record(dpl, screener, VILLA).created[0]
    made = decisions.decide(dpl, alert_id, "true_match", "same DOB and address", actor=team["ann"])
    assert made.approval == "pending"
    assert alerts.get_alert(dpl, alert_id).status == "pending"
    with pytest.raises(CaseError, match="awaits a second user's approval"):
        decisions.decide(dpl, alert_id, "false_positive", "changed my mind", actor=team["bob"])
    with pytest.raises(PermissionDeniedError, match="approve or reject decisions"):
        decisions.approve(dpl, alert_id, actor=team["bob"])  # an analyst
    approved = decisions.approve(dpl, alert_id, actor=team["pia"], reason="agreed")
    assert approved.approval == "approved" and approved.reviewed_by == "pia"
    assert alerts.get_alert(dpl, alert_id).status == "true_match"
    actions = [r.action for r in audit.audit_records(dpl, subject=f"alert:{alert_id}")]
    assert actions == ["decision.made", "decision.approved"]


def test_nobody_approves_their_own_decision(dpl, screener, team) -> None:
    alert_id = record(dpl, screener, VILLA).created[0]
    pia = team["pia"]
    decisions.decide(dpl, alert_id, "true_match", "it is him", actor=pia)
    with pytest.raises(PermissionDeniedError, match="pia made the decision"):
        decisions.approve(dpl, alert_id, actor=pia)


def test_a_rejected_decision_reopens_the_alert(dpl, screener, team) -> None:
    alert_id = record(dpl, screener, VILLA).created[0]
    decisions.decide(dpl, alert_id, "true_match", "looks like him", actor=team["ann"])
    with pytest.raises(CaseError, match="a reason is required"):
        decisions.reject(dpl, alert_id, "", actor=team["pia"])
    rejected = decisions.reject(dpl, alert_id, "birth year differs", actor=team["pia"])
    assert rejected.approval == "rejected"
    detail = decisions.alert_detail(dpl, alert_id)
    assert detail.alert.status == "open" and [d.approval for d in detail.decisions] == ["rejected"]


def test_a_false_positive_below_the_score_closes_and_suppresses(dpl, screener, team, clock) -> None:
    created = record(dpl, screener, KRUTILIN).created
    alert = alerts.get_alert(dpl, created[0])
    assert alert.score < dpl.rules.fp_approval_score
    decision = decisions.decide(dpl, alert.id, "false_positive", "other man", actor=team["ann"])
    assert decision.approval == "not_needed"
    detail = decisions.alert_detail(dpl, alert.id)
    assert detail.alert.status == "false_positive"
    suppression = detail.suppression
    assert suppression is not None and suppression.created_by == "ann"
    assert suppression.state(clock.now.astimezone()) == "active"
    # Screened again: no new alert, the suppression counts the hit.
    again = record(dpl, screener, KRUTILIN)
    assert again.created == [] and again.suppressed == [suppression.id]
    (listed,) = suppressions.list_suppressions(dpl, state="active")
    assert listed.hits == 1 and listed.subject_name == "Aleksey Krutilin"


def test_a_high_scoring_false_positive_needs_approval(backend_url, lists_dir, clock) -> None:
    store = Store(backend_url)
    import_dpl(store, lists_dir)
    with CaseStore(store, rules=CaseRules(fp_approval_score=0.5), clock=clock) as cases:
        ann = users.add_user(cases, "ann", PASSWORD, "analyst", actor=OPERATOR)
        pia = users.add_user(cases, "pia", PASSWORD, "approver", actor=OPERATOR)
        screener = MatcherScreener.from_store(store)
        alert_id = record(cases, screener, VILLA).created[0]
        made = decisions.decide(cases, alert_id, "false_positive", "namesake", actor=ann)
        assert made.approval == "pending"
        assert suppressions.list_suppressions(cases) == []
        decisions.approve(cases, alert_id, actor=pia)
        (suppression,) = suppressions.list_suppressions(cases, state="active")
        assert suppression.created_by == "ann" and suppression.decision_id == made.id


def test_four_eyes_off_closes_at_once(backend_url, lists_dir, clock) -> None:
    store = Store(backend_url)
    import_dpl(store, lists_dir)
    with CaseStore(store, rules=CaseRules(four_eyes=False), clock=clock) as cases:
        ann = users.add_user(cases, "ann", PASSWORD, "analyst", actor=OPERATOR)
        alert_id = record(cases, MatcherScreener.from_store(store), VILLA).created[0]
        assert decisions.decide(cases, alert_id, "true_match", "him", actor=ann).approval == (
            "not_needed"
        )
        assert alerts.get_alert(cases, alert_id).status == "true_match"


def test_escalated_alerts_go_to_an_approver(dpl, screener, team) -> None:
    alert_id = record(dpl, screener, KRUTILIN).created[0]
    decisions.decide(dpl, alert_id, "escalate", "needs a second look", actor=team["ann"])
    assert alerts.get_alert(dpl, alert_id).status == "escalated"
    with pytest.raises(PermissionDeniedError, match="escalated"):
        decisions.decide(dpl, alert_id, "false_positive", "fine", actor=team["bob"])
    decisions.decide(dpl, alert_id, "false_positive", "different person", actor=team["pia"])
    assert alerts.get_alert(dpl, alert_id).status == "false_positive"


def test_suppressions_expire_and_can_be_revoked(dpl, screener, team, clock) -> None:
    alert_id = record(dpl, screener, KRUTILIN).created[0]
    until = clock.now + timedelta(days=30)
    decisions.decide(
        dpl, alert_id, "false_positive", "other man", actor=team["ann"], suppress_until=until
    )
    clock.advance(days=31)
    (expired,) = suppressions.list_suppressions(dpl, state="expired")
    again = record(dpl, screener, KRUTILIN)
    assert len(again.created) == 1 and again.suppressed == []
    assert [r.action for r in audit.audit_records(dpl, action="suppression.*")] == [
        "suppression.created",
        "suppression.expired",
    ]
    # Decide the new alert, then revoke its suppression by hand.
    new_id = again.created[0]
    decisions.decide(dpl, new_id, "false_positive", "still other man", actor=team["ann"])
    (live,) = suppressions.list_suppressions(dpl, state="active")
    with pytest.raises(PermissionDeniedError):
        suppressions.revoke_suppression(dpl, live.id, "no", actor=team["ann"])
    revoked = suppressions.revoke_suppression(dpl, live.id, "new adverse media", actor=team["pia"])
    assert revoked.ended_how == "revoked" and revoked.ended_by == "pia"
    assert len(record(dpl, screener, KRUTILIN).created) == 1
    assert expired.id != live.id


def test_a_changed_entry_lifts_the_suppression_at_the_next_screening(
    dpl, screener, team, lists_dir
) -> None:
    alert_id = record(dpl, screener, KRUTILIN).created[0]
    decisions.decide(dpl, alert_id, "false_positive", "other man", actor=team["ann"])
    import_dpl(dpl.store, lists_dir, "bis_dpl_2023")  # Krutilin's entry changed in 2023
    fresh = MatcherScreener.from_store(dpl.store)
    again = record(dpl, fresh, KRUTILIN)
    assert len(again.created) == 1 and len(again.lifted) == 1
    (lifted,) = suppressions.list_suppressions(dpl, state="lifted")
    assert lifted.end_reason.startswith("the list entry changed")


def test_record_screening_of_a_trade(dpl, screener, team) -> None:
    from corridor.policy.loader import load_policy
    from corridor.screening.engine import screen_trade
    from corridor.trade import Trade

    trade = Trade.model_validate(
        {
            "date": "2023-01-10",
            "currency": "EUR",
            "parties": [
                {"role": "exporter", "name": "Maria Quietly-Lawful", "country": "de"},
                {"role": "importer", "name": "Aaron Abraham Villa", "schema": "Person"},
            ],
        }
    )
    result = screen_trade(trade, store=dpl.store, policy=load_policy(), matcher=screener)
    recorded = alerts.record_screening(dpl, trade, result, actor=team["ann"], reference="t.yaml")
    assert len(recorded.subjects) == 2 and len(recorded.created) == 1
    (entry,) = audit.audit_records(dpl, action="screen.recorded")
    assert entry.payload["verdict"] == result.verdict and entry.actor == "ann"
    assert entry.list_versions == {v.dataset: v.version for v in result.lists}


def test_record_matches_of_a_query(dpl, screener, team) -> None:
    query = {"schema": "Person", "properties": {"name": ["Aaron Abraham Villa"], "country": ["US"]}}
    results = screener.matcher.match(query)
    recorded = alerts.record_matches(dpl, query, results, actor=team["ann"], reference="api")
    assert len(recorded.created) == 1
    alert = alerts.get_alert(dpl, recorded.created[0])
    assert alert.origin == "match" and alert.subject.country == "us"


def test_keep_screened_off_keeps_only_alerted_subjects(backend_url, lists_dir, clock) -> None:
    store = Store(backend_url)
    import_dpl(store, lists_dir)
    with CaseStore(store, rules=CaseRules(keep_screened=False), clock=clock) as cases:
        recorded = record(cases, MatcherScreener.from_store(store), VILLA, CLEAN)
        assert len(recorded.subjects) == 1


def test_times_are_utc(dpl, screener) -> None:
    alert = alerts.get_alert(dpl, record(dpl, screener, VILLA).created[0])
    assert alert.created_at.tzinfo is not None
    assert alert.created_at.replace(tzinfo=None) == datetime(2025, 3, 1, 9, 0)


def test_dashboard_figures(dpl, screener, team, clock) -> None:
    from corridor.cases import dashboard

    record(dpl, screener, VILLA)
    clock.advance(days=3)
    later = record(dpl, screener, KRUTILIN).created[0]
    decisions.decide(dpl, later, "escalate", "second look", actor=team["bob"])
    board = dashboard.dashboard(dpl, days=7)
    (listed,) = board.lists
    assert listed.dataset == "us_bis_denied" and listed.entities == 461 and listed.age_days > 900
    assert [b.count for b in board.open_alerts] == [1, 1, 0, 0]
    assert [(d.username, d.escalate, d.total) for d in board.decisions] == [("bob", 1, 1)]
    assert len(board.alerts_per_day) == 7 and sum(d.alerts for d in board.alerts_per_day) == 2
    assert board.alerts_per_day[-1].alerts == 1 and board.alerts_per_day[-4].alerts == 1
