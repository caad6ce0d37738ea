"""The eight Kazakhstan scenarios (examples/), screened against the real lists.

The store is loaded once per session from ``../shared/data/lists`` (OFAC SDN, UN, and any
other official file there) with ``corridor lists update --from``, plus the test entries in
``tests/fixtures/screening`` for the 2024 designations the official files predate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from corridor.policy import load_policy
from corridor.screening.engine import build_screener, screen_trade
from corridor.screening.parties import lists_in_force
from corridor.screening.results import ScreeningResult, authority_values
from corridor.screening.trade_input import load_trade

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def screen(env, name: str, as_of: dt.date | None = None, **changes) -> ScreeningResult:
    store, policy, screener = env
    trade = load_trade(next(EXAMPLES.glob(f"{name}*.yaml")))
    for key, value in changes.items():
        setattr(trade, key, value)
    return screen_trade(trade, store=store, policy=policy, matcher=screener, as_of=as_of)


def rules(result: ScreeningResult, severity: str | None = None) -> set[str]:
    return {f.rule for f in result.findings if severity is None or f.severity == severity}


def regimes(result: ScreeningResult, index: int) -> dict[str, str]:
    return result.parties[index].regimes


def test_lists_are_reported_with_versions(screening_env):
    result = screen(screening_env, "07")
    datasets = {v.dataset for v in result.lists}
    assert {"us_ofac_sdn", "un_sc_sanctions", "fixture_us_sanctions"} <= datasets
    assert all(v.version for v in result.lists)


def test_01_eu_chp_rail_via_russia(screening_env):
    result = screen(screening_env, "01")
    assert result.verdict == "PROHIBITED"
    assert regimes(result, 0)["EU"] == "binds"  # German exporter, Art. 13(d)
    assert regimes(result, 1)["EU"] == "none"
    assert regimes(result, 1)["KZ"] == "binds"
    assert "EU-10-transit-annex-vii" in rules(result, "prohibited")
    assert "EU-7-no-russia-clause" in rules(result)
    assert any("EU-10-transit-annex-vii" in line for line in result.explanation)
    assert any(s.endswith("[EU-S1-middle-corridor]") for s in result.suggestions)
    assert "(leg 2)" in next(f.detail for f in result.findings if f.rule == "EU-13-circumvention")


def test_01_before_the_transit_ban_took_effect(screening_env):
    # Art. 2a(1a) applies from 24 Jun 2023: screened as of 1 Jun 2023 it is not there.
    result = screen(screening_env, "01", as_of=dt.date(2023, 6, 1))
    assert result.as_of == dt.date(2023, 6, 1)
    assert "EU-10-transit-annex-vii" not in rules(result)


def test_02_middle_corridor_avoids_the_transit_ban(screening_env):
    result = screen(screening_env, "02")
    assert result.verdict == "REVIEW"
    assert regimes(result, 0)["EU"] == "binds"
    assert not {"EU-9-transit-dual-use", "EU-10-transit-annex-vii"} & rules(result)
    assert "EU-7-no-russia-clause" in rules(result)


def test_03_kz_reseller_usd_to_an_sdn(screening_env):
    result = screen(screening_env, "03")
    assert result.verdict == "PROHIBITED"
    buyer = result.parties[1]
    hits = [m for m in buyer.matches if m.match]
    assert hits and "us_ofac_sdn:31412" in hits[0].source_ids  # the real SDN entry
    assert regimes(result, 0)["US"] == "binds"  # USD clearing through the US
    assert regimes(result, 0)["KZ"] == "binds"
    assert "US-L-sdn" in rules(result, "prohibited")
    assert "EAR-5-russia-licence" in rules(result, "license")
    assert not [m for m in result.parties[0].matches if m.match]


def test_04_lookalike_and_fifty_percent_rule(screening_env):
    result = screen(screening_env, "04")
    assert result.verdict == "PROHIBITED"
    assert regimes(result, 0)["EU"] == "binds"
    assert all(p.regimes["US"] != "binds" for p in result.parties)
    importer = result.parties[1]  # written in Cyrillic as "ТОО «Да Груп 22»"
    # The real 2024 SDN entry (LIMITED LIABILITY PARTNERSHIP DA GROUP 22) and the EU test
    # entry (no EU file here): the US test entry that stood in for it is gone.
    assert {"fixture_eu_sanctions:DA-GROUP-22", "us_ofac_sdn:47923"} <= {
        s for m in importer.matches if m.match for s in m.source_ids
    }
    by_rule = {(f.regime, f.rule): f for f in result.findings}
    assert by_rule[("EU", "EU-L-fixture-sanctions")].severity == "prohibited"
    assert by_rule[("US", "US-L-sdn")].severity == "risk"  # exposure only
    own = by_rule[("US", "US-3-fifty-percent")]
    assert own.kind == "ownership" and own.severity == "risk"
    assert (
        "KBR-Tekhnologii LLP (kz, fixture_us_sanctions:KBR-TEKHNOLOGII) → 60 % → "
        "Kaspi Assembly Service LLP" in own.detail
    )
    assert "meets the ≥ 50 % test" in own.detail
    # EU/US divergence: KBR-Tekhnologii is not EU-listed, so no EU ownership finding
    assert not [f for f in result.findings if f.kind == "ownership" and f.regime == "EU"]
    owners = result.parties[2].owners
    assert owners[0].name == "KBR-Tekhnologii LLP" and any(m.match for m in owners[0].matches)
    assert not any(m.match for m in owners[1].matches)


def test_05_iran_route_secondary_exposure(screening_env):
    result = screen(screening_env, "05")
    assert result.verdict == "REVIEW"
    assert regimes(result, 3)["EU"] == "binds"  # the German bank
    assert all(p.regimes["US"] != "binds" for p in result.parties)
    hit = [m for m in result.parties[2].matches if m.match]
    assert hit and "us_ofac_sdn:12803" in hit[0].source_ids  # Tidewater, real SDN entry
    assert {"US-L-sdn", "US-6-sdn-secondary-tag"} <= rules(result, "risk")
    assert any("Exposure only (no party bound): US" in line for line in result.explanation)
    # grain to Iran goes under OFAC's agricultural general licence, not the embargo …
    assert "US-IR-1-itsr" not in rules(result)
    assert "US-IR-4-general-licences" in rules(result, "info")
    # … and the same route with microchips: the Iran legs are prohibited for US persons, but
    # none is here, so they are exposure (risk) and count as REVIEW
    chips = screen(
        screening_env, "05", goods=load_trade(EXAMPLES / "03-kz-reseller-usd.yaml").goods
    )
    iran_legs = [f for f in chips.findings if f.rule == "US-IR-1-itsr"]
    assert iran_legs and all(f.severity == "risk" and f.outcome == "REVIEW" for f in iran_legs)
    assert all("US-OFAC binds no party" in f.detail for f in iran_legs)


def test_06_caspian_vessel_exposure_then_usd(screening_env):
    result = screen(screening_env, "06")
    assert result.verdict == "REVIEW"
    vessel = [f for f in result.findings if f.kind == "vessel"]
    assert vessel and vessel[0].regime == "US" and vessel[0].severity == "risk"
    assert "fixture_us_sanctions:PORT-OLYA-4" in vessel[0].detail
    assert "IMO 9481934" in vessel[0].subject
    paid_in_usd = screen(screening_env, "06", currency="USD", clearing_country="us")
    assert paid_in_usd.verdict == "PROHIBITED"
    assert any(p.regimes["US"] == "binds" for p in paid_in_usd.parties)
    assert [f for f in paid_in_usd.findings if f.kind == "vessel" and f.severity == "prohibited"]


def test_07_cpc_crude_is_clear(screening_env):
    result = screen(screening_env, "07")
    assert result.verdict == "CLEAR"
    assert regimes(result, 1)["EU"] == "binds"
    assert {"EU-16-import-transit-origin", "US-CPC-1-carve-out"} <= rules(result, "info")
    assert not [f for f in result.findings if f.kind in ("party", "vessel", "ownership")]
    assert not result.suggestions  # crude through the CPC terminal needs no detour


def test_08_eu_parent_best_efforts(screening_env):
    result = screen(screening_env, "08")
    assert result.verdict == "REVIEW"
    assert regimes(result, 0)["EU"] != "binds"  # the Kazakh subsidiary itself
    assert regimes(result, 1)["EU"] == "binds"  # the German parent
    assert "EU-8-best-efforts-subsidiaries" in rules(result)
    [best_efforts] = [f for f in result.findings if f.rule == "EU-8-best-efforts-subsidiaries"]
    assert best_efforts.subject == "party #0 exporter Aeroservice Kazakhstan TOO"
    assert "Aeroservice Europa GmbH" in best_efforts.detail and "Annex XI" in best_efforts.detail
    assert regimes(result, 0)["EU"] == "exposure"  # EU listing risk for the subsidiary


def test_as_of_fallback_is_explained(screening_env):
    # Lists were loaded today; a 2024 trade cannot be screened against 2024 snapshots.
    result = screen(screening_env, "07")
    assert "The store holds no snapshot as of 2024-08-16" in result.explanation[0]
    assert "us_ofac_sdn (no list date" in result.explanation[0]


def owned_trade(owners: list[dict], currency: str = "USD") -> dict:
    return {
        "date": "2024-08-16",
        "currency": currency,
        "clearing_country": "us",
        "parties": [
            {"role": "exporter", "name": "Rhein-Main Halbleiter Handel GmbH", "country": "de"},
            {
                "role": "importer",
                "name": "Kaspi Assembly Service LLP",
                "country": "kz",
                "owners": owners,
            },
        ],
    }


def screen_dict(env, data: dict) -> ScreeningResult:
    from corridor.screening.trade_input import parse_trade

    store, policy, screener = env
    return screen_trade(parse_trade(data), store=store, policy=policy, matcher=screener)


def test_fifty_percent_rule_on_real_sdn_entries(screening_env):
    # Bank Rossiya (UKRAINE-EO13661) 30 % and AO PASIT (RUSSIA-EO14024) 25 % through a holding
    # that PASIT owns 100 %: blocked persons of different programs add up to 55 %.
    owners = [
        {"name": "Bank Rossiya", "country": "ru", "share": 30},
        {
            "name": "Caspian Holding LLP",
            "country": "kz",
            "share": 25,
            "owners": [{"name": "AO PASIT", "country": "ru", "share": 100}],
        },
        {"name": "Nurlan Abenov", "schema": "Person", "country": "kz", "share": 45},
    ]
    result = screen_dict(screening_env, owned_trade(owners))
    own = [f for f in result.findings if f.kind == "ownership" and f.regime == "US"]
    assert len(own) == 1
    assert own[0].severity == "prohibited"  # US binds the payment (USD via the US)
    assert "55 % in the aggregate" in own[0].detail
    assert "us_ofac_sdn:16681" in own[0].detail  # Bank Rossiya
    assert "→ 100 % → Caspian Holding LLP → 25 % → Kaspi Assembly Service LLP" in own[0].detail
    assert result.verdict == "PROHIBITED"


def test_eu_does_not_add_up_separate_listed_owners(screening_env):
    # Da Group 22 (EU- and US-listed fixture) 30 % + KBR-Tekhnologii (US only) 30 %.
    owners = [
        {"name": "Da Group 22", "country": "kz", "share": 30},
        {"name": "KBR-Tekhnologii", "country": "kz", "share": 30},
        {"name": "Nurlan Abenov", "schema": "Person", "country": "kz", "share": 40},
    ]
    result = screen_dict(screening_env, owned_trade(owners, currency="EUR"))
    by_regime = {f.regime: f for f in result.findings if f.kind == "ownership"}
    assert "meets the ≥ 50 % test" in by_regime["US"].detail  # 60 % aggregate
    assert by_regime["US"].severity == "risk"  # no US nexus when paid in EUR
    assert by_regime["EU"].severity == "risk"  # 30 %: not owned, review for control
    assert "no single listed person holds > 50 %" in by_regime["EU"].detail
    majority = [{"name": "Da Group 22", "country": "kz", "share": 60}]
    result = screen_dict(screening_env, owned_trade(majority, currency="EUR"))
    eu = [f for f in result.findings if f.kind == "ownership" and f.regime == "EU"]
    assert eu and eu[0].severity == "prohibited"  # the German exporter is EU-bound
    assert result.verdict == "PROHIBITED"


def test_declared_control_by_an_eu_listed_owner(screening_env):
    owners = [
        {"name": "Da Group 22", "country": "kz", "share": 20, "control": True},
        {"name": "Nurlan Abenov", "schema": "Person", "country": "kz", "share": 80},
    ]
    result = screen_dict(screening_env, owned_trade(owners, currency="EUR"))
    by_regime = {f.regime: f for f in result.findings if f.kind == "ownership"}
    assert by_regime["EU"].severity == "prohibited"  # EU-6: owned *or controlled*
    assert "declared control" in by_regime["EU"].detail
    assert by_regime["US"].severity == "risk"  # OFAC: ownership only (FAQ 398)
    assert "FAQ 398" in by_regime["US"].detail


def test_a_list_without_a_regime_is_refused(screening_env):
    from corridor.errors import InputError

    store, _, screener = screening_env
    trade = load_trade(EXAMPLES / "07-cpc-crude.yaml")
    with pytest.raises(InputError, match="fixture_eu_sanctions, fixture_us_sanctions"):
        screen_trade(trade, store=store, policy=load_policy(), matcher=screener)


class OneNameScreener:
    """A PartyScreener of another make: knows one listed name and no programs."""

    def __init__(self, store):
        self.lists = lists_in_force(store, None)

    def entry_tags(self, source_id):
        return []

    def screen(self, name, schema, country, identifiers):
        from corridor.matching import MatchResult

        if name.casefold() != "almaty microsystems too":
            return []
        return [
            MatchResult(
                id="un-x",
                score=0.9,
                match=True,
                source_ids=["un_sc_sanctions:1"],
                caption="ALMATY MICROSYSTEMS",
                schema="Organization",
                datasets=["un_sc_sanctions"],
            )
        ]


def test_any_party_screener_plugs_in(screening_env):
    store, policy, _ = screening_env
    trade = load_trade(EXAMPLES / "02-eu-chp-middle-corridor.yaml")
    result = screen_trade(trade, store=store, policy=policy, matcher=OneNameScreener(store))
    hits = {(f.regime, f.rule) for f in result.findings if f.kind == "party"}
    # an entry with no programme: Kazakhstan implements it as another UN regime's designation
    assert hits == {("UN", "UN-L-consolidated-list"), ("KZ", "KZ-2-other-un")}
    assert result.verdict == "PROHIBITED"  # UN and KZ bind the parties
    assert {v.dataset for v in result.lists} >= {"us_ofac_sdn", "un_sc_sanctions"}


def test_a_binding_regime_without_a_loaded_list_is_named(screening_env):
    # Screened against the US and UN lists only: the EU binds the German exporter but no EU
    # list was checked, so "no EU match" must not read as "not EU-listed".
    store, policy, _ = screening_env
    screener = build_screener(store, datasets=["us_ofac_sdn", "un_sc_sanctions"])
    trade = load_trade(EXAMPLES / "04-lookalike-counterparty.yaml")
    result = screen_trade(trade, store=store, policy=policy, matcher=screener)
    [note] = [line for line in result.explanation if line.startswith("No list of")]
    assert "No list of EU was screened against" in note and "eu_fsf" in note
    assert "US" not in note.split(" was screened")[0]  # the OFAC list was loaded
    assert not [f for f in result.findings if f.regime == "EU" and f.kind == "party"]
    full = screen(screening_env, "04")
    assert not [line for line in full.explanation if line.startswith("No list of")]


#: Every party's classification under UN US EU UK KZ (B binds, x exposure, - none), reviewed
#: scenario by scenario against kazakhstan_cases.md §E and regimes.md.
CLASSIFICATION = {
    "01": ["B-B--", "B---B"],  # DE exporter Art. 13(d); KZ buyer under KZ law only
    "02": ["BBB--", "B---B"],  # US: the MY-made line has 40 % US content (EAR)
    "03": ["BBxxB", "BB---", "BB--B"],  # USD clearing; EU/UK listing risk for the KZ seller
    # nobody US-bound: the US hits are exposure, and dealing with an entity owned by an
    # EO 14024 designee exposes the German exporter to designation (OFAC FAQ 980)
    "04": ["BxB--", "B---B", "B---B"],
    "05": ["Bx--B", "Bx---", "Bx---", "BxB--"],  # Iran secondary exposure; EU bank bound
    "06": ["Bx--B", "Bx---"],
    # USD, but no blocked person and no embargoed country: no OFAC nexus; delivery into the
    # Union (Art. 13(e))
    "07": ["B-B-B", "B-B--"],
    "08": ["BxxxB", "B-B--", "B----"],  # KZ subsidiary exposed; German parent EU-bound
}


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_every_party_classification(screening_env, name):
    code = {"binds": "B", "exposure": "x", "none": "-"}
    result = screen(screening_env, name)
    got = [
        "".join(code[p.regimes[r]] for r in ("UN", "US", "EU", "UK", "KZ")) for p in result.parties
    ]
    assert got == CLASSIFICATION[name]
    for party in result.parties:  # every binds / exposure is explained by a cited rule
        for regime, value in party.regimes.items():
            if value != "none":
                assert party.nexus[regime] and all("[" in r for r in party.nexus[regime])


def test_program_tags_of_the_entry_select_list_rules(screening_env):
    # ROSNEFT TRADING S.A. is on the SDN list under UKRAINE-EO13662: the finding names its
    # programs, and the CAATSA rule keyed on that program (US-7) applies.
    data = {
        "date": "2024-08-16",
        "currency": "EUR",
        "parties": [
            {"role": "exporter", "name": "Atyrau Crude Marketing LLP", "country": "kz"},
            {"role": "importer", "name": "Rosneft Trading S.A.", "country": "ch"},
        ],
    }
    result = screen_dict(screening_env, data)
    by_rule = {f.rule: f for f in result.findings if f.kind == "party"}
    assert {"US-L-sdn", "US-7-caatsa-mandatory"} <= set(by_rule)
    assert "programs UKRAINE-EO13662, VENEZUELA-EO13850" in by_rule["US-L-sdn"].detail


def test_consolidated_screening_list_entries_fall_under_their_own_list(screening_env):
    # The CSL merges US lists: an Entity List entry needs a licence (EAR-6), a sectoral (SSI)
    # entry such as Gazprombank is not an Entity List party and is not blocked as such.
    data = {
        "date": "2024-08-16",
        "currency": "USD",
        "clearing_country": "us",
        "parties": [
            {"role": "exporter", "name": "Elbtal Elektronik Vertrieb GmbH", "country": "de"},
            {"role": "importer", "name": "Gryphon Aerospace", "country": "sg"},
            {"role": "bank", "name": "Gazprombank OAO", "country": "ru"},
        ],
    }
    result = screen_dict(screening_env, data)
    rules_of = {}
    for f in result.findings:
        if f.kind == "party":
            rules_of.setdefault(f.subject.split()[1], set()).add(f.rule)
    # Each source list of the CSL is a dataset of its own, with its own rule.
    entity_list, sectoral = "EAR-6-entity-list-bis", "US-L-csl-non-sdn-lists"
    assert entity_list in rules_of["#1"] and sectoral not in rules_of["#1"]
    assert sectoral in rules_of["#2"] and entity_list not in rules_of["#2"]
    gpb = next(f for f in result.findings if f.rule == sectoral)
    assert gpb.severity == "risk" and "us_trade_csl_ssi:" in gpb.detail


def test_only_blocking_listings_pass_through_ownership(screening_env):
    # Gazprombank is on the sectoral (SSI) part of the Consolidated Screening List, not
    # blocked: a company it owns 60 % of is not blocked by the OFAC 50 % rule. AO PASIT is an
    # SDN: the same stake blocks.
    sectoral = screen_dict(
        screening_env, owned_trade([{"name": "Gazprombank OAO", "country": "ru", "share": 60}])
    )
    # (the UK lists Gazprombank itself: its UK ownership finding is another matter)
    assert not [f for f in sectoral.findings if f.kind == "ownership" and f.regime == "US"]
    blocked = screen_dict(
        screening_env, owned_trade([{"name": "AO PASIT", "country": "ru", "share": 60}])
    )
    [own] = [f for f in blocked.findings if f.kind == "ownership" and f.regime == "US"]
    assert own.severity == "prohibited"
    assert "Listed as: us_ofac_sdn:31412: Party on the OFAC SDN list" in own.detail


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_every_finding_agrees_with_the_regime_table(screening_env, name):
    """A prohibition or licence requirement stands only where its authority binds a party of
    the trade; everywhere else it is exposure (risk) and says so."""
    result = screen(screening_env, name)
    bound = {
        authority
        for party in result.parties
        for authority, value in authority_values(party).items()
        if value == "binds"
    }
    for finding in result.findings:
        if finding.severity in ("prohibited", "license"):
            assert finding.authority in bound, finding
        elif finding.authority not in bound and finding.outcome == "REVIEW":
            assert finding.severity in ("risk", "info") or finding.confidence == "unsure"
