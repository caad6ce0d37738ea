"""The eight Kazakhstan scenarios of ../shared/reference/regimes/kazakhstan_cases.md §E, at the
policy level (nexus per party, goods/route findings, suggestions); list matching and the
verdict are screening's and are tested there."""

from __future__ import annotations

import datetime as dt

import pytest
from policy_helpers import sdn, trade

from corridor.policy import load_policy, party_nexus, suggestions, trade_findings
from corridor.policy.nexus import authority_nexus

DAY = dt.date(2024, 8, 16)
LATE = dt.date(2025, 10, 15)  # after the UN Iran snapback


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def by_rule(findings):
    out = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_1_eu_chp_item_by_rail_via_russia(policy) -> None:
    t = trade(["exporter:de", "importer:kz"], ["8542.31:de"], "de pl by ru kz")
    exporter = party_nexus(policy, t, 0, DAY)
    assert exporter["EU"].value == "binds" and "EU-4-incorporated" in exporter["EU"].rules
    buyer = party_nexus(policy, t, 1, DAY)
    assert buyer["KZ"].value == "binds" and buyer["UN"].value == "binds"
    found = by_rule(trade_findings(policy, t, DAY))
    assert found["EU-7-no-russia-clause"][0].severity == "risk"
    transit = found["EU-10-transit-annex-vii"][0]
    assert transit.severity == "prohibited" and transit.subject == "route leg 3, goods line 0"
    assert "(leg 2)" in found["EU-13-circumvention"][0].detail  # the Belarus leg
    assert any(s.endswith("[EU-S1-middle-corridor]") for s in suggestions(policy, t, DAY))


def test_2_same_goods_via_middle_corridor(policy) -> None:
    legs = [
        {"country": "de"},
        {"country": "ge", "place": "Poti"},
        {"country": "az", "place": "Alat"},
        {"country": "kz", "place": "Kuryk"},
        {"country": "kz", "place": "Almaty"},
    ]
    line = {"hs_code": "854231", "origin": "de", "us_content_pct": 30}
    t = trade(["exporter:de", "importer:kz"], [line], legs)
    found = by_rule(trade_findings(policy, t, DAY))
    assert "EU-7-no-russia-clause" in found
    assert not {
        "EU-9-transit-dual-use",
        "EU-10-transit-annex-vii",
        "EU-11-transit-other",
        "EU-13-circumvention",
    } & set(found)
    assert "EAR-5-russia-licence" not in found
    assert party_nexus(policy, t, 0, DAY)["US"].rules == ["EAR-2-de-minimis"]
    assert suggestions(policy, t, DAY) == []
    # the EAR licence follows the item once it is re-exported to Russia
    onward = trade(["exporter:kz", "importer:ru"], [line], "kz ru")
    assert (
        by_rule(trade_findings(policy, onward, DAY))["EAR-5-russia-licence"][0].severity
        == "license"
    )


def test_3_kazakh_reseller_usd_payment(policy) -> None:
    t = trade(["exporter:kz", "importer:ru", "bank:kz"], ["854231:us"], "kz ru", currency="USD")
    buyer_listed = (sdn(1),)  # the Russian buyer is on the SDN list
    reseller = party_nexus(policy, t, 0, DAY, listed=buyer_listed)
    assert reseller["US"].value == "binds"
    assert {"EAR-1-us-origin", "EAR-7-reexport-kz", "US-2-usd-clearing"} <= set(
        reseller["US"].rules
    )
    by_authority = authority_nexus(policy, t, 0, DAY, listed=buyer_listed)
    assert by_authority["US-EAR"].rules[:2] == ["EAR-1-us-origin", "EAR-7-reexport-kz"]
    assert by_authority["US-OFAC"].value == "binds"  # USD for a blocked buyer
    unlisted = authority_nexus(policy, t, 0, DAY, cache={})
    assert unlisted["US-OFAC"].value != "binds"  # USD alone creates no OFAC nexus
    assert reseller["KZ"].value == "binds"
    bank = party_nexus(policy, t, 2, DAY)
    assert "US-5-ffi-secondary" in bank["US"].rules
    found = by_rule(trade_findings(policy, t, DAY))
    assert found["EAR-5-russia-licence"][0].severity == "license"
    assert not [
        f
        for f in trade_findings(policy, t, DAY)
        if f.regime == "KZ" and f.severity in ("prohibited", "license")
    ]
    # paid in EUR instead: the bank is exposed (EO 14114), not bound
    eur = trade(["exporter:kz", "importer:ru", "bank:kz"], ["854231:us"], "kz ru", currency="EUR")
    assert party_nexus(policy, eur, 2, DAY)["US"].value == "exposure"


def test_4_list_and_ownership_divergence(policy) -> None:
    assert policy.list_rules("eu_fsf")[0].regime == "EU"
    assert policy.list_rules("us_ofac_sdn")[0].regime == "US"
    assert {r.regime for r in policy.list_rules("un_sc_sanctions")} == {"UN", "KZ"}
    us, eu = policy.ownership_rule("US"), policy.ownership_rule("EU")
    assert us.ownership.inclusive and not eu.ownership.inclusive  # exactly 50 %: US blocks


def test_5_iran_route_eur_via_eu_bank(policy) -> None:
    legs = [
        {"country": "kz", "place": "Uzen"},
        {"country": "tm", "place": "Bereket"},
        {"country": "ir", "place": "Gorgan"},
        {"country": "ir", "place": "Bandar Abbas"},
    ]
    t = trade(["exporter:kz", "importer:ir", "bank:de"], ["100390:kz"], legs, currency="EUR")
    assert party_nexus(policy, t, 2, LATE)["EU"].value == "binds"
    for i in range(3):
        assert party_nexus(policy, t, i, LATE)["US"].value == "exposure"
    found = by_rule(trade_findings(policy, t, LATE))
    assert "UN-3-iran-snapback" not in found  # grain, no listed entity
    assert "US-IR-1-itsr" not in found  # grain goes under the general licence …
    assert [f.subject for f in found["US-IR-4-general-licences"]] == ["goods line 0"]  # … so
    chips = trade(["exporter:kz", "importer:ir", "bank:de"], ["854231:cn"], legs, currency="EUR")
    iran_legs = by_rule(trade_findings(policy, chips, LATE))["US-IR-1-itsr"]
    assert [f.subject for f in iran_legs] == ["route leg 2", "route leg 3"]
    assert "Tidewater" in found["US-IR-3-port-operator"][0].detail
    assert not [f for f in trade_findings(policy, t, LATE) if f.regime == "EU"]


def test_6_caspian_vessel_to_iran(policy) -> None:
    legs = [
        {"country": "kz", "place": "Aktau", "vessel": {"name": "Port Olya-4", "imo": "9481934"}},
        {"country": "ir", "place": "Amirabad"},
    ]
    t = trade(["exporter:kz", "importer:ir", "carrier:us"], ["100390:kz"], legs)
    assert party_nexus(policy, t, 0, DAY)["US"].value == "exposure"
    assert party_nexus(policy, t, 2, DAY)["US"].value == "binds"  # a US person
    usd = trade(["exporter:kz", "importer:ir"], ["100390:kz"], legs, currency="USD")
    assert party_nexus(policy, usd, 0, DAY)["US"].value == "binds"  # the USD leg
    assert {"US-IR-4-general-licences", "US-IR-3-port-operator"} <= set(
        by_rule(trade_findings(policy, t, DAY))
    )


def test_7_cpc_crude_to_eu_refiner(policy) -> None:
    legs = [
        {"country": "kz", "place": "Tengiz"},
        {"country": "ru", "place": "Novorossiysk (CPC terminal)"},
        {"country": "it", "place": "Trieste"},
    ]
    t = trade(["exporter:kz", "importer:it"], ["270900:kz"], legs)
    findings = trade_findings(policy, t, DAY)
    found = by_rule(findings)
    assert {"EU-16-import-transit-origin", "US-CPC-1-carve-out"} <= set(found)
    assert "EU-17-russian-oil-import" not in found
    assert {f.severity for f in findings} == {"info"}


def test_8_eu_parent_kazakh_subsidiary(policy) -> None:
    t = trade(
        [
            {
                "role": "exporter",
                "country": "kz",
                "parent": {"name": "Parent GmbH", "country": "de"},
            },
            "importer:ru",
        ],
        ["880730:de"],
        "kz ru",
    )
    sub = party_nexus(policy, t, 0, DAY)
    assert sub["EU"].value == "exposure" and sub["EU"].rules == ["EU-14-third-country-listing"]
    assert sub["US"].value == "exposure"
    found = by_rule(trade_findings(policy, t, DAY))
    [best_efforts] = found["EU-8-best-efforts-subsidiaries"]
    assert (best_efforts.kind, best_efforts.subject, best_efforts.severity) == (
        "ownership",
        "party #0 exporter exporter co",
        "risk",
    )
    assert "EU-12-export-for-use-in-russia" not in found
