"""How findings are stated: unsure rules capped at risk, data confidence carried, reasons cite."""

from __future__ import annotations

import datetime as dt

from policy_helpers import sdn, trade

from corridor.policy import load_policy, party_nexus, trade_findings

DAY = dt.date(2024, 8, 16)


def test_unsure_rule_is_capped_at_risk_and_says_so() -> None:
    policy = load_policy()
    assert policy.rule("EU-11-transit-other").outcome == "prohibited"
    t = trade(["exporter:de", "importer:kz"], ["880730:de"], "de ru kz")
    [f] = [f for f in trade_findings(policy, t, DAY) if f.rule == "EU-11-transit-other"]
    assert f.severity == "risk" and f.confidence == "unsure" and f.detail.endswith("(unsure)")
    assert f.subject == "route leg 1, goods line 0" and f.kind == "route"


def test_uncertain_list_lowers_confidence_and_caps() -> None:
    """A hit only on the partial, unsure Supp. No. 5 extract cannot require a licence."""
    policy = load_policy()
    t = trade(["exporter:kz", "importer:ru"], ["840734:us"], "kz ru")
    [f] = [f for f in trade_findings(policy, t, DAY) if f.rule == "EAR-5-russia-licence"]
    assert f.confidence == "unsure" and f.severity == "risk"
    assert "list partial" in f.detail


def test_less_precise_code_is_a_possible_match() -> None:
    policy = load_policy()
    t = trade(["exporter:de", "importer:kz"], ["271019:de"], "de ru kz")
    found = {f.rule: f for f in trade_findings(policy, t, DAY)}
    assert found["EU-11-transit-other"].confidence == "unsure"
    assert "declare the full code" in found["EU-11-transit-other"].detail


def test_sure_finding_keeps_severity_and_cites() -> None:
    policy = load_policy()
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de pl by ru kz")
    [f] = [f for f in trade_findings(policy, t, DAY) if f.rule == "EU-10-transit-annex-vii"]
    assert (f.severity, f.confidence, f.regime) == ("prohibited", "sure", "EU")
    assert f.citation == "Reg. 833/2014 Art. 2a(1a) (Reg. 2023/1214, 11th package)"
    assert f.subject == "route leg 3, goods line 0" and "Annex VII" in f.detail


def test_nexus_reasons_cite_rule_and_citation() -> None:
    policy = load_policy()
    t = trade(["exporter:kz", "importer:ru", "bank:kz"], ["854231:us"], "kz ru", currency="USD")
    bank = party_nexus(policy, t, 2, DAY, listed=(sdn(1),))
    assert bank["US"].value == "binds"  # USD clearing for a blocked buyer
    assert "US-5-ffi-secondary" in bank["US"].rules  # and EO 14114 exposure on top
    assert any(
        r.startswith("also exposure: US-5-ffi-secondary") and "EO 14114" in r
        for r in bank["US"].reasons
    )
    for reason in bank["US"].reasons:
        assert "[" in reason and reason.rstrip().endswith("]")


def test_nexus_respects_dates_of_eo_14114() -> None:
    policy = load_policy()
    t = trade(["exporter:kz", "importer:ru", "bank:kz"], ["100390:kz"], "kz ru", currency="EUR")
    blocked_buyer = (sdn(1),)  # an EO 14024 SDN: part of the military-industrial base
    on = party_nexus(policy, t, 2, dt.date(2024, 6, 12), listed=blocked_buyer)
    assert "US-5-ffi-secondary" in on["US"].rules
    before = party_nexus(policy, t, 2, dt.date(2024, 6, 11), listed=blocked_buyer)
    assert "US-5-ffi-secondary" not in before["US"].rules  # grain: only critical items before
    assert before["US"].rules == ["US-4-designation-risk-material-support"]  # a blocked buyer
    assert party_nexus(policy, t, 2, dt.date(2024, 6, 12))["US"].value == "none"  # unlisted
    chips = trade(["exporter:kz", "importer:ru", "bank:kz"], ["854231:cn"], "kz ru")
    assert "US-5-ffi-secondary" in party_nexus(policy, chips, 2, dt.date(2024, 1, 5))["US"].rules
    assert (
        "US-5-ffi-secondary" not in party_nexus(policy, chips, 2, dt.date(2023, 12, 21))["US"].rules
    )  # before EO 14114


def test_trade_date_is_the_default_as_of() -> None:
    policy = load_policy()
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de kz", date="2024-03-01")
    assert not any(f.rule == "EU-7-no-russia-clause" for f in trade_findings(policy, t))
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de kz", date="2024-03-20")
    assert any(f.rule == "EU-7-no-russia-clause" for f in trade_findings(policy, t))


def test_port_names_match_whole_words_in_the_legs_country() -> None:
    from corridor.trade import RouteLeg

    policy = load_policy()
    assert (
        policy.port_at(RouteLeg(country="ir", place="Bandar Abbas (Shahid Rajaee)")).id
        == "bandar_abbas"
    )
    assert (
        policy.port_at(RouteLeg(country="IR", place="shahid rajaei terminal")).id == "bandar_abbas"
    )
    assert policy.port_at(RouteLeg(country="az", place="Alat free zone")).id == "baku_alat"
    assert policy.port_at(RouteLeg(country="kz", place="Alatau")) is None
    assert policy.port_at(RouteLeg(country="kz", place="Batumi")) is None  # wrong country
    assert policy.port_at(RouteLeg(country="kz")) is None


def test_ex_entry_is_at_most_likely() -> None:
    """Annex XI lists 'ex 6813 20 00' (brake discs and pads for aircraft only)."""
    policy = load_policy()
    t = trade(["exporter:de", "importer:kz"], ["6813.20.00:de"], "de kz")
    [f] = [f for f in trade_findings(policy, t, DAY) if f.rule == "EU-7-no-russia-clause"]
    assert f.confidence == "likely" and "'ex' entry" in f.detail
    assert "Annex XI" in f.detail


def test_policy_pickles_for_worker_processes() -> None:
    """Batch screening ships the policy to worker processes: it must survive pickling."""
    import pickle

    policy = load_policy()
    copy = pickle.loads(pickle.dumps(policy))
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de pl by ru kz")
    assert trade_findings(copy, t, DAY) == trade_findings(policy, t, DAY)
    assert party_nexus(copy, t, 0, DAY) == party_nexus(policy, t, 0, DAY)


def test_policy_findings_say_what_they_count_for() -> None:
    """``outcome`` is never null: the verdict a finding carries where its regime binds."""
    policy = load_policy()
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de pl by ru kz")
    outcomes = {f.rule: f.outcome for f in trade_findings(policy, t, DAY)}
    assert outcomes["EU-10-transit-annex-vii"] == "PROHIBITED"
    assert outcomes["EU-7-no-russia-clause"] == "REVIEW"
    assert outcomes["EU-11-transit-other"] == "REVIEW"  # unsure: capped at risk
    assert outcomes["UN-2-no-russia-regime"] == "CLEAR"


def test_goods_evidence_names_every_list() -> None:
    """Aircraft parts are on the CHPL and in Annex XI: the report says both."""
    policy = load_policy()
    t = trade(
        [
            {
                "role": "exporter",
                "country": "kz",
                "parent": {"name": "Parent GmbH", "country": "de"},
            },
            "importer:ru",
        ],
        ["880730:fr"],
        "kz ru",
    )
    [f] = [f for f in trade_findings(policy, t, DAY) if f.rule == "EU-8-best-efforts-subsidiaries"]
    assert "Common High Priority List" in f.detail and "Annex XI" in f.detail
