"""Re-screening after a list update, on the real lists: an older then a newer release of the
OFAC SDN list (2021 → 2024) and of the BIS Denied Persons List (2022 → 2023). Only the
customers the diff can affect get new alerts; suppressions of changed entries are lifted."""

from __future__ import annotations

from pathlib import Path

import pytest
from case_helpers import OPERATOR, PASSWORD, SteppedClock, import_dpl

from corridor.cases import alerts, audit, decisions, rescreen, suppressions, users
from corridor.cases.db import CaseRules, CaseStore
from corridor.cases.model import AlertFilter, Screened, Subject
from corridor.screening.parties import MatcherScreener
from corridor.sources.ofac_csv import parse_ofac_csv
from corridor.store import Store
from corridor.store.fingerprint import sha256_file

PYEZO = Subject.of("Aktsionernoe Obshchestvo Pyezo", "Company", "ru", reference="c-pyezo")
YAKHT = Subject.of("OOO Yakht-Treid", "Company", "ru", reference="c-yakht")
PEGASUS = Subject.of("Pegasus 88 Limited", "Company", reference="c-pegasus")
CHARIAPAPORN = Subject.of("Hiran Chariapaporn", "Person", reference="c-hiran")
SHAMALOV = Subject.of("Kirill Nikolaevich Shamalov", "Person", "ru", reference="c-kirill")
BOGACHEV = Subject.of("Evgeniy Mikhaylovich Bogachev", "Person", "ru", reference="c-evgeniy")
IBANEZ = Subject.of("Raul Alberto Ibanez Lopez", "Person", reference="c-raul")
CLEAN = Subject.of("Maria Quietly-Lawful", "Person", "de", reference="c-maria")
CUSTOMERS = (PYEZO, YAKHT, PEGASUS, CHARIAPAPORN, SHAMALOV, BOGACHEV, IBANEZ, CLEAN)


def import_sdn(store: Store, path: Path):
    """One release of the SDN list from its sdn.csv alone (the 2024 release has no alt.csv
    or add.csv; the 2021 one is read the same way, so the diff compares like with like)."""
    return store.import_list(
        parse_ofac_csv([path]), file_hash=sha256_file(path), source=str(path), force=True
    )


def screen_and_record(cases: CaseStore, screener: MatcherScreener, *subjects: Subject):
    screened = [
        Screened(s, screener.screen(s.name, s.schema, s.country, dict(s.identifiers)))
        for s in subjects
    ]
    return alerts.record_alerts(cases, screened, actor=OPERATOR, origin="batch", reference="kyc")


def alerted_references(cases: CaseStore, ids: list[int]) -> set[str]:
    return {alerts.get_alert(cases, i).subject.reference for i in ids}


def test_ofac_2021_to_2024_alerts_only_the_customers_the_diff_affects(
    backend_url: str, lists_dir: Path, clock: SteppedClock
) -> None:
    store = Store(backend_url)
    old = import_sdn(store, lists_dir / "ofac" / "sdn.csv")
    with CaseStore(store, rules=CaseRules(fp_approval_score=1.01), clock=clock) as cases:
        ann = users.add_user(cases, "ann", PASSWORD, "analyst", actor=OPERATOR)
        before = screen_and_record(cases, MatcherScreener.from_store(store), *CUSTOMERS)
        assert alerted_references(cases, before.created) == {
            "c-pegasus",
            "c-hiran",
            "c-kirill",
            "c-evgeniy",
            "c-raul",
        }
        (kirill,) = alerts.list_alerts(cases, AlertFilter(text="shamalov")).items
        decisions.decide(cases, kirill.id, "false_positive", "a namesake", actor=ann)
        assert suppressions.list_suppressions(cases, state="active")

        clock.advance(days=1)
        new = import_sdn(store, lists_dir / "ofac_sdn_2024" / "sdn.csv")
        result = rescreen.after_list_update(cases)

        (change,) = result.changes
        assert (change.dataset, change.from_snapshot, change.to_snapshot) == (
            "us_ofac_sdn",
            old.id,
            new.id,
        )
        assert (change.added, change.changed, change.removed) == (6870, 743, 881)
        assert result.subjects_checked == len(CUSTOMERS)
        # New designations of 2024, and the changed entry whose suppression is lifted.
        assert alerted_references(cases, result.alerts_created) == {
            "c-pyezo",
            "c-yakht",
            "c-kirill",
        }
        # A changed entry already in the queue is seen again, not alerted twice.
        assert alerted_references(cases, result.alerts_seen_again) == {"c-evgeniy"}
        (lifted,) = suppressions.list_suppressions(cases, state="lifted")
        assert lifted.id in result.suppressions_lifted
        # Unchanged (Pegasus, Chariapaporn), removed (Ibanez) and clean customers: nothing.
        open_refs = [a.subject.reference for a in alerts.list_alerts(cases).items]
        assert sorted(open_refs) == sorted(
            [
                "c-pegasus",
                "c-hiran",
                "c-kirill",
                "c-kirill",
                "c-evgeniy",
                "c-raul",
                "c-pyezo",
                "c-yakht",
            ]
        )
        # Nothing changed since: a second run does nothing.
        assert rescreen.rescreen(cases).changes == []
        (run,) = audit.audit_records(cases, action="rescreen.run")
        assert run.payload["alerts_created"] == result.alerts_created
        updates = audit.audit_records(cases, action="lists.updated")
        assert [r.payload["snapshot"] for r in updates] == [old.id, new.id]
        assert audit.verify_chain(cases).ok


def test_dpl_2022_to_2023(backend_url: str, lists_dir: Path, clock: SteppedClock) -> None:
    store = Store(backend_url)
    import_dpl(store, lists_dir, "bis")
    villa = Subject.of("Aaron Abraham Villa", "Person")  # unchanged entry
    krutilin = Subject.of("Aleksey Krutilin", "Person", "ru")  # changed in 2023
    guajardo = Subject.of("Adriana Gabriela Guajardo Cavazos", "Person", "mx")  # added in 2023
    clean = Subject.of("Maria Quietly-Lawful", "Person", "de")
    with CaseStore(store, clock=clock) as cases:
        before = screen_and_record(
            cases, MatcherScreener.from_store(store), villa, krutilin, guajardo, clean
        )
        assert len(before.created) == 2
        import_dpl(store, lists_dir, "bis_dpl_2023")
        result = rescreen.rescreen(cases)
        assert [
            a.subject.name for a in map(lambda i: alerts.get_alert(cases, i), result.alerts_created)
        ] == ["Adriana Gabriela Guajardo Cavazos"]
        assert len(result.alerts_seen_again) == 1  # Krutilin's changed entry, still open


def test_rescreen_since_a_given_snapshot(backend_url: str, lists_dir: Path, clock) -> None:
    store = Store(backend_url)
    import_dpl(store, lists_dir, "bis")
    guajardo = Subject.of("Adriana Gabriela Guajardo Cavazos", "Person", "mx")
    with CaseStore(store, clock=clock) as cases:
        screen_and_record(cases, MatcherScreener.from_store(store), guajardo)
        newer = import_dpl(store, lists_dir, "bis_dpl_2023")
        # From nothing: every entry of the dataset counts as new.
        result = rescreen.rescreen(cases, since={"us_bis_denied": None})
        (change,) = result.changes
        assert change.added == newer.entity_count and len(result.alerts_created) == 1


def test_only_admins_and_operators_rescreen(cases: CaseStore) -> None:
    from corridor.errors import PermissionDeniedError

    ann = users.add_user(cases, "ann", PASSWORD, "analyst", actor=OPERATOR)
    with pytest.raises(PermissionDeniedError):
        rescreen.rescreen(cases, actor=ann)
    assert rescreen.rescreen(cases, actor=OPERATOR).changes == []
