"""Every rule of the package policy: fires when it should, stays silent when it should not,
and respects its effective dates. ``test_every_rule_is_covered`` keeps the table complete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from policy_helpers import fired, sdn, trade

from corridor.policy import load_policy, party_nexus
from corridor.policy.context import Listed
from corridor.trade import Trade

D = dt.date
DAY = D(2024, 8, 16)  # the motivating case's date; after every package rule's start
LATE = D(2025, 10, 15)  # after the UN Iran snapback


@dataclass
class Case:
    rule: str
    trade: Trade
    expected: bool
    as_of: dt.date = DAY
    override: str | None = None  # YAML of a --policy file to load on top
    note: str = ""
    listed: tuple[Listed, ...] = ()  # what screening found on the lists


@dataclass
class ListCase:
    rule: str
    dataset: str
    topics: list[str] = field(default_factory=list)
    expected: bool = True
    note: str = ""
    as_of: dt.date | None = None


EU_CHIP_VIA_RU = trade(["exporter:de", "importer:kz"], ["854231:de"], "de pl by ru kz")
MIDDLE_CORRIDOR = trade(
    ["exporter:de", "importer:kz"],
    ["854231:de"],
    [
        {"country": "de"},
        {"country": "ge", "place": "Poti"},
        {"country": "az", "place": "Alat"},
        {"country": "kz", "place": "Kuryk"},
        {"country": "kz", "place": "Almaty"},
    ],
)
KZ_CHIPS_TO_RU = trade(["exporter:kz", "importer:ru"], ["854231:us"], "kz ru")
CPC = trade(
    ["exporter:kz", "importer:it"],
    ["270900:kz"],
    [
        {"country": "kz", "place": "Tengiz"},
        {"country": "ru", "place": "Novorossiysk (CPC terminal)"},
        {"country": "it", "place": "Trieste"},
    ],
)
SUBSIDIARY = trade(
    [
        {"role": "exporter", "country": "kz", "parent": {"name": "Parent GmbH", "country": "de"}},
        "importer:ru",
    ],
    ["880730:de"],
    "kz ru",
)
SUBSIDIARY_TO_KG = trade(
    [
        {"role": "exporter", "country": "kz", "parent": {"name": "Parent GmbH", "country": "de"}},
        "importer:kg",
    ],
    ["854231:de"],
    "kz kg",
)
IRAN_BARLEY = trade(
    ["exporter:kz", "importer:ir", "bank:de"],
    ["100390:kz"],
    [
        {"country": "kz", "place": "Uzen"},
        {"country": "tm", "place": "Bereket"},
        {"country": "ir", "place": "Gorgan"},
        {"country": "ir", "place": "Bandar Abbas"},
    ],
    currency="EUR",
)


def t(*args: Any, **kw: Any) -> Trade:
    return trade(*args, **kw)


CASES: list[Case] = [
    # -- UN --
    Case("UN-1-member-state", t(["exporter:kz"]), True),
    Case("UN-1-member-state", t(["exporter:tw"]), False, note="not a UN member"),
    Case("UN-2-no-russia-regime", t(["exporter:kz"], [], "kz ru"), True),
    Case("UN-2-no-russia-regime", t(["exporter:de"], [], "de pl kz"), False),
    Case(
        "UN-3-iran-snapback", t(["exporter:kz", "importer:ir"], ["930190:kz"], "kz ir"), True, LATE
    ),
    Case(
        "UN-3-iran-snapback",
        t(["exporter:kz", "importer:ir"], ["930190:kz"], "kz ir"),
        False,
        D(2025, 9, 1),
        note="before the snapback",
    ),
    Case(
        "UN-3-iran-snapback",
        t(["exporter:kz", "importer:ir"], ["100390:kz"], "kz ir"),
        False,
        LATE,
        note="grain is not arms",
    ),
    # -- KZ --
    Case("KZ-0-national-law", t(["exporter:kz"]), True),
    Case("KZ-0-national-law", t([{"role": "exporter", "country": "ae", "location": "kz"}]), True),
    Case("KZ-0-national-law", t(["exporter:de"]), False),
    Case("KZ-3-aifc", t([{"role": "bank", "country": "gb", "aifc": True}]), True),
    Case("KZ-3-aifc", t([{"role": "bank", "country": "gb", "aifc": False}]), False),
    Case("KZ-4-unilateral-not-law", t(["importer:kz"], [], "cn kz"), True),
    Case("KZ-4-unilateral-not-law", t(["importer:cn"], [], "cn kz"), False),
    Case("KZ-5-export-tracking", KZ_CHIPS_TO_RU, True),
    Case("KZ-5-export-tracking", KZ_CHIPS_TO_RU, False, D(2023, 3, 1), note="before tracking"),
    Case("KZ-5-export-tracking", t(["exporter:kz", "importer:cn"], ["854231:us"], "kz cn"), False),
    Case("KZ-6-106-items", KZ_CHIPS_TO_RU, True),
    Case("KZ-6-106-items", KZ_CHIPS_TO_RU, False, D(2023, 10, 1)),
    Case(
        "KZ-6-106-items",
        t(["exporter:kz", "importer:ru"], ["848210:kz"], "kz ru"),
        False,
        note="ball bearings are CHPL tier 3.B, not chips or drones",
    ),
    Case(
        "KZ-7-origin-state-verification",
        t(["exporter:kz", "importer:ru"], ["854231:de"], "kz ru"),
        True,
    ),
    Case(
        "KZ-7-origin-state-verification",
        t(["exporter:kz", "importer:ru"], ["854231:cn"], "kz ru"),
        False,
        note="made in a state that does not prohibit the export",
    ),
    Case(
        "KZ-7-origin-state-verification",
        t(["exporter:kz", "importer:ru"], ["100390:de"], "kz ru"),
        False,
    ),
    Case(
        "KZ-8-dual-use-permission",
        t(["exporter:kz", "importer:cn"], [{"hs_code": "854231", "eccn": "3A001"}], "kz cn"),
        True,
    ),
    Case(
        "KZ-8-dual-use-permission",
        t(["exporter:kz", "importer:cn"], [{"hs_code": "854231", "eccn": "EAR99"}], "kz cn"),
        False,
    ),
    # -- US / OFAC --
    Case("US-1-us-person", t(["exporter:us"]), True),
    Case("US-1-us-person", t([{"role": "exporter", "country": "kz", "location": "us"}]), True),
    Case("US-1-us-person", t(["exporter:kz"]), False),
    Case(
        "US-1b-foreign-sub-not-bound",
        t([{"role": "exporter", "country": "kz", "parent": {"name": "P", "country": "us"}}]),
        True,
    ),
    Case(
        "US-1b-foreign-sub-not-bound",
        t([{"role": "exporter", "country": "kz", "parent": {"name": "P", "country": "de"}}]),
        False,
    ),
    Case(
        "US-1b-foreign-sub-not-bound",
        t(
            [{"role": "exporter", "country": "kz", "parent": {"name": "P", "country": "us"}}],
            [],
            "kz ir",
        ),
        False,
        note="dealing with Iran, the Iran program reaches it: US-IR-5",
    ),
    Case(
        "US-2-usd-clearing",
        t(["exporter:kz", "importer:cn"], currency="USD"),
        True,
        listed=(sdn(1),),
        note="a blocked buyer paid in USD",
    ),
    Case(
        "US-2-usd-clearing",
        t(["exporter:kz", "importer:cn"], currency="USD"),
        False,
        note="USD alone, no blocked person and no embargoed country: no OFAC nexus",
    ),
    Case(
        "US-2-usd-clearing",
        t(["exporter:kz"], currency="USD", clearing_country="us"),
        True,
        listed=(sdn(None),),
        note="a blocked vessel or owner involved counts too",
    ),
    Case("US-2-usd-clearing", t(["exporter:kz", "importer:ir"], [], "kz ir", currency="USD"), True),
    Case(
        "US-2-usd-clearing",
        t(["exporter:kz", "importer:cn"], currency="EUR"),
        False,
        listed=(sdn(1),),
    ),
    Case(
        "US-2-usd-clearing",
        t(["exporter:kz"], currency="USD", clearing_country="ae"),
        False,
        listed=(sdn(None),),
        note="USD cleared offshore, outside US correspondents",
    ),
    Case(
        "US-4-designation-risk-material-support",
        t(["exporter:kz", "importer:ru"], ["854231:cn"], "kz ru"),
        True,
        note="a CHPL item US persons could not supply to Russia",
    ),
    Case(
        "US-4-designation-risk-material-support",
        t(["exporter:kz", "importer:ru"], ["100199:kz"], "kz ru"),
        False,
        note="wheat to Russia needs no licence for a US person: no designation risk (FAQ 980)",
    ),
    Case(
        "US-4-designation-risk-material-support",
        t(["exporter:kz", "importer:ru"], ["100199:kz"], "kz ru"),
        True,
        listed=(sdn(1),),
        note="an EO 14024 blocked buyer",
    ),
    Case(
        "US-4-designation-risk-material-support",
        t(["exporter:kz", "importer:cn"], ["854231:cn"]),
        False,
    ),
    Case(
        "US-4-designation-risk-material-support",
        t(["exporter:us", "importer:ru"], ["854231:cn"], "us ru"),
        False,
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:kz"], ["100199:kz"], "kz ru"),
        True,
        listed=(sdn(1),),
        note="an EO 14024 blocked buyer is part of the military-industrial base",
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:kz"], ["100199:kz"], "kz ru"),
        False,
        note="wheat to an unlisted Russian buyer through a Kazakh bank: not targeted (FAQ 1182)",
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:kz"], ["854231:cn"], "kz ru"),
        True,
        note="a critical (CHPL) item through a Kazakh bank",
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:kz"], ["854231:cn"], "kz ru"),
        False,
        D(2023, 12, 1),
        note="before EO 14114",
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:kz"], ["100390:kz"], "kz ru"),
        False,
        D(2024, 3, 1),
        listed=(sdn(1),),
        note="before 2024-06-12 a blocked buyer alone did not expose the bank",
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:ru", "bank:us"], ["854231:cn"], "kz ru"),
        False,
    ),
    Case(
        "US-5-ffi-secondary",
        t(["exporter:kz", "importer:cn", "bank:kz"], ["854231:cn"], "kz cn"),
        False,
    ),
    Case(
        "US-8-russian-origin-import",
        t(["exporter:ru", "importer:us"], ["720851:ru"], "ru us"),
        True,
    ),
    Case(
        "US-8-russian-origin-import",
        t(["exporter:kz", "importer:us"], ["720851:kz"], "kz us"),
        False,
    ),
    Case(
        "US-IR-1-itsr",
        t(["exporter:kz", "importer:ir"], ["854231:cn"], "kz tm ir"),
        True,
    ),
    Case(
        "US-IR-1-itsr",
        IRAN_BARLEY,
        False,
        note="barley goes under the agricultural general licence: US-IR-4",
    ),
    Case("US-IR-1-itsr", t(["exporter:kz"], ["854231:cn"], "kz ru"), False),
    Case("US-IR-4-general-licences", IRAN_BARLEY, True),
    Case(
        "US-IR-4-general-licences",
        t(["exporter:kz", "importer:ir"], ["854231:cn"], "kz tm ir"),
        False,
    ),
    Case(
        "US-IR-5-us-owned-foreign-entity",
        t(
            [
                {"role": "exporter", "country": "ch", "parent": {"name": "3M", "country": "us"}},
                "importer:ir",
            ],
            ["300490:ch"],
            "ch tr ir",
        ),
        True,
        note="31 CFR 560.215: a US-owned Swiss subsidiary selling to Iran",
    ),
    Case(
        "US-IR-5-us-owned-foreign-entity",
        t(
            [
                {"role": "exporter", "country": "ch", "parent": {"name": "P", "country": "de"}},
                "importer:ir",
            ],
            ["300490:ch"],
            "ch tr ir",
        ),
        False,
        note="the same sale by a German-owned subsidiary",
    ),
    Case(
        "US-IR-5-us-owned-foreign-entity",
        t(
            [
                {"role": "exporter", "country": "ch", "parent": {"name": "3M", "country": "us"}},
                "importer:tr",
            ],
            ["300490:ch"],
            "ch tr",
        ),
        False,
        note="no Iran in the trade",
    ),
    Case("US-IR-2-secondary-exposure", IRAN_BARLEY, True),
    Case(
        "US-IR-2-secondary-exposure",
        t(["exporter:us"], [], "us ir"),
        False,
        note="a U.S. person is bound, not merely exposed",
    ),
    Case("US-IR-2-secondary-exposure", t(["exporter:kz"], [], "kz cn"), False),
    Case("US-IR-3-port-operator", IRAN_BARLEY, True),
    Case(
        "US-IR-3-port-operator",
        t(["exporter:kz"], [], [{"country": "kz"}, {"country": "ir", "place": "Chabahar"}]),
        False,
    ),
    Case("US-CPC-1-carve-out", CPC, True),
    Case(
        "US-CPC-1-carve-out",
        t(
            ["exporter:ru", "importer:it"],
            ["270900:ru"],
            [{"country": "ru", "place": "Novorossiysk"}, {"country": "it"}],
        ),
        False,
        note="Russian crude",
    ),
    Case(
        "US-CPC-1-carve-out", t(["exporter:kz", "importer:it"], ["270900:kz"], "kz az ge it"), False
    ),
    Case("US-S1-avoid-iran", t(["exporter:kz", "importer:tr"], ["100390:kz"], "kz tm ir tr"), True),
    Case(
        "US-S1-avoid-iran",
        t(["exporter:kz", "importer:ir"], ["100390:kz"], "kz tm ir"),
        False,
        note="Iran is the destination, not a transit",
    ),
    # -- US / EAR --
    Case("EAR-1-us-origin", t(["exporter:kz", "importer:cn"], ["854231:us"], "kz cn"), True),
    Case("EAR-1-us-origin", t(["exporter:kz", "importer:cn"], ["854231:cn"], "kz cn"), False),
    Case(
        "EAR-2-de-minimis",
        t(
            ["exporter:cn", "importer:kz"],
            [{"hs_code": "854231", "origin": "cn", "us_content_pct": 30}],
        ),
        True,
    ),
    Case(
        "EAR-2-de-minimis",
        t(
            ["exporter:cn", "importer:kz"],
            [{"hs_code": "854231", "origin": "cn", "us_content_pct": 20}],
        ),
        False,
    ),
    Case(
        "EAR-2-de-minimis",
        t(
            ["exporter:cn", "importer:ir"],
            [{"hs_code": "854231", "origin": "cn", "us_content_pct": 15}],
        ),
        True,
        note="10 % for Country Group E:1",
    ),
    Case("EAR-3-fdp-russia", t(["exporter:cn", "importer:ru"], ["854231:cn"], "cn kz ru"), True),
    Case(
        "EAR-3-fdp-russia",
        t(["exporter:cn", "importer:ru"], ["854231:cn"], "cn kz ru"),
        False,
        D(2022, 1, 10),
    ),
    Case(
        "EAR-3-fdp-russia",
        t(["exporter:cn", "importer:by"], ["854231:cn"], "cn kz by"),
        False,
        D(2022, 2, 28),
        note="Belarus from 2022-03-02",
    ),
    Case(
        "EAR-3-fdp-russia",
        t(["exporter:cn", "importer:by"], ["854231:cn"], "cn kz by"),
        True,
        D(2022, 3, 2),
    ),
    Case(
        "EAR-3-fdp-russia",
        t(["exporter:de", "importer:ru"], ["854231:de"], "de ru"),
        False,
        note="exported from a Supp. No. 3 partner",
    ),
    Case("EAR-5-russia-licence", KZ_CHIPS_TO_RU, True),
    Case("EAR-5-russia-licence", t(["exporter:kz", "importer:kz"], ["854231:us"], "kz"), False),
    Case(
        "EAR-5-russia-licence",
        t(["exporter:kz", "importer:ru"], ["100390:us"], "kz ru"),
        False,
        note="not on an available list: EAR-9",
    ),
    Case("EAR-7-reexport-kz", KZ_CHIPS_TO_RU, True),
    Case("EAR-7-reexport-kz", t(["exporter:kz", "importer:cn"], ["854231:us"], "kz cn"), False),
    Case("EAR-8-transshipment-point", t(["exporter:cn", "importer:kz"], ["854231:cn"]), True),
    Case("EAR-8-transshipment-point", t(["exporter:cn", "importer:de"], ["854231:cn"]), False),
    Case("EAR-8-transshipment-point", t(["exporter:cn", "importer:kz"], ["100390:cn"]), False),
    Case(
        "EAR-9-russia-unlisted-item",
        t(["exporter:kz", "importer:ru"], ["100390:us"], "kz ru"),
        True,
    ),
    Case("EAR-9-russia-unlisted-item", KZ_CHIPS_TO_RU, False),
    Case(
        "EAR-2-de-minimis",
        t(
            ["exporter:cn", "importer:cu"],
            [{"hs_code": "854231", "origin": "cn", "us_content_pct": 15}],
            "cn cu",
        ),
        True,
        note="Cuba is Country Group E:2: 10 % de minimis",
    ),
    Case(
        "EAR-2-de-minimis",
        t(
            ["exporter:cn", "importer:kz"],
            [{"hs_code": "854231", "origin": "cn", "us_content_pct": 15}],
            "cn kz",
        ),
        False,
        note="the same item to Kazakhstan: 25 %",
    ),
    Case(
        "EAR-3-fdp-russia",
        t(["exporter:tw", "importer:ru"], ["854231:tw"], "tw ru"),
        False,
        note="Taiwan is in Supp. No. 3 to part 746, not in the EU's partner list",
    ),
    # -- UN / DPRK --
    Case(
        "UN-KP-1-supply-ban",
        t(["exporter:kz", "importer:kp"], ["842952:cn"], "kz cn kp"),
        True,
        note="excavators: industrial machinery, HS 84",
    ),
    Case(
        "UN-KP-1-supply-ban",
        t(["exporter:kz", "importer:kp"], ["100199:kz"], "kz cn kp"),
        False,
        note="wheat is not banned",
    ),
    Case(
        "UN-KP-1-supply-ban",
        t(["exporter:kz", "importer:kp"], ["842952:cn"], "kz cn kp"),
        False,
        D(2017, 6, 1),
        note="before UNSCR 2397",
    ),
    Case("UN-KP-2-arms", t(["exporter:kz", "importer:kp"], ["930190:kz"], "kz kp"), True),
    Case("UN-KP-2-arms", t(["exporter:kz", "importer:cn"], ["930190:kz"], "kz cn"), False),
    Case(
        "UN-KP-2-arms",
        t(["exporter:kz", "importer:kp"], ["930190:kz"], "kz kp"),
        False,
        D(2006, 1, 1),
    ),
    Case(
        "UN-KP-3-procurement-ban",
        t(["exporter:kp", "importer:cn"], ["270112:kp"], "kp cn"),
        True,
        note="DPRK coal",
    ),
    Case(
        "UN-KP-3-procurement-ban",
        t(["exporter:kz", "importer:cn"], ["270112:kz"], "kz cn"),
        False,
    ),
    Case(
        "UN-KP-3-procurement-ban",
        t(["exporter:kp", "importer:cn"], ["270112:kp"], "kp cn"),
        False,
        D(2017, 6, 1),
    ),
    Case("UN-KP-4-petroleum", t(["exporter:ru", "importer:kp"], ["271019:ru"], "ru kp"), True),
    Case("UN-KP-4-petroleum", t(["exporter:ru", "importer:cn"], ["271019:ru"], "ru cn"), False),
    Case(
        "UN-KP-4-petroleum",
        t(["exporter:ru", "importer:kp"], ["271019:ru"], "ru kp"),
        False,
        D(2016, 1, 1),
    ),
    # -- EU --
    Case("EU-1-territory", t(["exporter:cn", "importer:kz"], [], "cn nl kz"), True),
    Case("EU-1-territory", t(["exporter:cn", "importer:kz"], [], "cn kz"), False),
    Case(
        "EU-2-vessel-aircraft",
        t(["carrier:tr"], [], [{"country": "tr", "vessel": {"name": "V", "flag": "mt"}}]),
        True,
    ),
    Case(
        "EU-2-vessel-aircraft",
        t(["carrier:tr"], [], [{"country": "tr", "vessel": {"name": "V", "flag": "pa"}}]),
        False,
    ),
    Case("EU-3-nationals", t([{"role": "owner", "schema": "Person", "country": "fr"}]), True),
    Case("EU-3-nationals", t([{"role": "owner", "schema": "Person", "country": "kz"}]), False),
    Case(
        "EU-4-incorporated", t([{"role": "exporter", "schema": "Company", "country": "de"}]), True
    ),
    Case(
        "EU-4-incorporated",
        t([{"role": "exporter", "schema": "Person", "country": "de"}]),
        False,
        note="a national is EU-3",
    ),
    Case(
        "EU-5-business-in-union", t([{"role": "importer", "country": "kz", "location": "de"}]), True
    ),
    Case(
        "EU-5-business-in-union",
        t([{"role": "importer", "country": "kz", "location": "kz"}]),
        False,
    ),
    Case("EU-7-no-russia-clause", EU_CHIP_VIA_RU, True),
    Case(
        "EU-7-no-russia-clause",
        t(["exporter:de", "importer:is"], ["854231:de"], "de is"),
        True,
        D(2024, 4, 1),
        note="Iceland before it became an Annex VIII partner",
    ),
    Case(
        "EU-7-no-russia-clause",
        t(["exporter:de", "importer:is"], ["854231:de"], "de is"),
        False,
        D(2024, 8, 16),
        note="Iceland a partner country since 25 June 2024",
    ),
    Case(
        "EU-21-due-diligence-12gb",
        t(["exporter:de", "importer:kz"], ["854231:de"], "de kz"),
        True,
        D(2025, 2, 1),
    ),
    Case(
        "EU-21-due-diligence-12gb",
        t(["exporter:de", "importer:kz"], ["854231:de"], "de kz"),
        False,
        D(2024, 8, 16),
        note="before 26 Dec 2024",
    ),
    Case(
        "EU-21-due-diligence-12gb",
        t(["exporter:de", "importer:no"], ["854231:de"], "de no"),
        False,
        D(2025, 2, 1),
        note="Norway is a partner country",
    ),
    Case(
        "EU-23-state-owned-5aa",
        t([{"role": "importer", "country": "ru", "name": "PAO Rosneft"}, "exporter:de"]),
        True,
    ),
    Case(
        "EU-23-state-owned-5aa",
        t([{"role": "importer", "country": "ru", "name": "Rostec"}, "exporter:de"]),
        True,
        note="an alias the annex prints in parentheses",
    ),
    Case(
        "EU-23-state-owned-5aa",
        t([{"role": "importer", "country": "ru", "name": "PAO Rosneft"}, "exporter:kz"]),
        False,
        note="no EU-bound party",
    ),
    Case(
        "EU-23-state-owned-5aa",
        t([{"role": "importer", "country": "ru", "name": "Roseft Trading"}, "exporter:de"]),
        False,
    ),
    Case(
        "EU-23-state-owned-5aa",
        t([{"role": "importer", "country": "ru", "name": "Kamaz"}, "exporter:de"]),
        False,
        D(2022, 3, 1),
        note="before the 4th package",
    ),
    Case(
        "EU-22-parent-due-diligence-12gb",
        SUBSIDIARY_TO_KG,
        True,
        D(2025, 2, 1),
    ),
    Case(
        "EU-22-parent-due-diligence-12gb",
        SUBSIDIARY_TO_KG,
        False,
        D(2024, 8, 16),
        note="before 26 Dec 2024",
    ),
    Case(
        "EU-22-parent-due-diligence-12gb",
        t(
            [
                {"role": "exporter", "country": "kz", "parent": {"name": "P", "country": "cn"}},
                "importer:kg",
            ],
            ["854231:cn"],
            "kz kg",
        ),
        False,
        D(2025, 2, 1),
    ),
    Case("EU-7-no-russia-clause", MIDDLE_CORRIDOR, True),
    Case("EU-7-no-russia-clause", EU_CHIP_VIA_RU, False, D(2024, 3, 1), note="from 2024-03-20"),
    Case(
        "EU-7-no-russia-clause",
        t(["exporter:de", "importer:gb"], ["854231:de"], "de gb"),
        False,
        note="partner country",
    ),
    Case(
        "EU-7-no-russia-clause",
        t(["exporter:cn", "importer:kz"], ["854231:cn"], "cn kz"),
        False,
        note="no EU-bound exporter",
    ),
    Case("EU-8-best-efforts-subsidiaries", SUBSIDIARY, True),
    Case("EU-8-best-efforts-subsidiaries", SUBSIDIARY, False, D(2024, 6, 1)),
    Case(
        "EU-8-best-efforts-subsidiaries",
        t(
            [
                {"role": "exporter", "country": "kz", "parent": {"name": "P", "country": "us"}},
                "importer:ru",
            ],
            ["880730:de"],
            "kz ru",
        ),
        False,
    ),
    Case(
        "EU-9-transit-dual-use",
        t(["exporter:de", "importer:kz"], [{"hs_code": "854231", "eccn": "3A001"}], "de pl ru kz"),
        True,
        D(2023, 6, 1),
    ),
    Case(
        "EU-9-transit-dual-use",
        t(["exporter:de", "importer:kz"], [{"hs_code": "854231", "eccn": "3A001"}], "de pl ru kz"),
        False,
        D(2023, 2, 1),
    ),
    Case(
        "EU-9-transit-dual-use",
        t(["exporter:de", "importer:kz"], [{"hs_code": "851762", "eccn": "5A992"}], "de pl ru kz"),
        False,
        note="5A992 is a US-only anti-terrorism entry",
    ),
    Case("EU-10-transit-annex-vii", EU_CHIP_VIA_RU, True, D(2023, 7, 1)),
    Case("EU-10-transit-annex-vii", EU_CHIP_VIA_RU, False, D(2023, 6, 1)),
    Case("EU-10-transit-annex-vii", MIDDLE_CORRIDOR, False),
    Case(
        "EU-10-transit-annex-vii",
        t(["exporter:cn", "importer:kz"], ["854231:cn"], "cn de pl ru kz"),
        True,
        note="leaves the Union from DE",
    ),
    Case(
        "EU-10-transit-annex-vii",
        t(["exporter:cn", "importer:kz"], ["854231:cn"], "cn ru kz"),
        False,
        note="never in the Union",
    ),
    Case("EU-11-transit-other", t(["exporter:de", "importer:kz"], ["880730:de"], "de ru kz"), True),
    Case(
        "EU-11-transit-other", t(["exporter:de", "importer:kz"], ["880730:de"], "de ge kz"), False
    ),
    Case(
        "EU-12-export-for-use-in-russia",
        t(["exporter:de", "importer:ru"], ["854231:de"], "de pl ru"),
        True,
    ),
    Case(
        "EU-12-export-for-use-in-russia",
        t(["exporter:de", "importer:kz"], ["854231:de"], "de pl ru"),
        True,
        note="delivered to Russia although sold to a Kazakh buyer",
    ),
    Case(
        "EU-12-export-for-use-in-russia",
        t(["exporter:kz", "importer:ru"], ["854231:de"], "kz ru"),
        False,
        note="Kazakh exporter not EU-bound",
    ),
    Case("EU-13-circumvention", EU_CHIP_VIA_RU, True),
    Case("EU-13-circumvention", MIDDLE_CORRIDOR, False),
    Case(
        "EU-13-circumvention",
        t(["exporter:cn", "importer:kz", "end_user:ru"], ["854231:cn"], "cn kz"),
        True,
        note="end user in Russia behind a Kazakh buyer",
    ),
    Case(
        "EU-13-circumvention",
        t(["exporter:cn", "importer:kz", "end_user:kz"], ["854231:cn"], "cn kz"),
        False,
    ),
    Case(
        "EU-13-circumvention",
        t(["exporter:de", "importer:ru"], ["854231:de"], "de pl ru"),
        False,
        note="destined to Russia: EU-12, not a diversion flag",
    ),
    Case("EU-14-third-country-listing", KZ_CHIPS_TO_RU, True),
    Case("EU-14-third-country-listing", t(["exporter:de", "importer:ru"], ["854231:de"]), False),
    Case("EU-14-third-country-listing", t(["exporter:kz", "importer:ru"], ["100390:kz"]), False),
    Case(
        "EU-15-anti-circumvention-tool",
        t(["exporter:kz"]),
        False,
        note="no country listed in the package data",
    ),
    Case(
        "EU-15-anti-circumvention-tool",
        t(["exporter:kz"]),
        True,
        override="country_groups: {EU_ART12F_LISTED: [kz]}\n",
    ),
    Case("EU-16-import-transit-origin", CPC, True),
    Case(
        "EU-16-import-transit-origin",
        t(["exporter:ru", "importer:it"], ["270900:ru"], "ru ge it"),
        False,
    ),
    Case(
        "EU-16-import-transit-origin",
        t(["exporter:kz", "importer:cn"], ["270900:kz"], "kz ru cn"),
        False,
    ),
    Case(
        "EU-17-russian-oil-import", t(["exporter:ru", "importer:it"], ["270900:ru"], "ru it"), True
    ),
    Case("EU-17-russian-oil-import", CPC, False),
    Case(
        "EU-18-russian-vessel-port-access",
        t(["carrier:ru"], [], [{"country": "nl", "vessel": {"name": "V", "flag": "ru"}}]),
        True,
    ),
    Case(
        "EU-18-russian-vessel-port-access",
        t(["carrier:ru"], [], [{"country": "nl", "vessel": {"name": "V", "flag": "mt"}}]),
        False,
    ),
    Case(
        "EU-19-kaliningrad-transit",
        t(["exporter:ru", "consignee:ru"], [{"hs_code": "852691", "eccn": "7A003"}], "ru by lt ru"),
        True,
    ),
    Case(
        "EU-19-kaliningrad-transit",
        t(["exporter:ru", "consignee:ru"], [{"hs_code": "852691", "eccn": "7A003"}], "ru by lt ru"),
        False,
        D(2022, 7, 1),
    ),
    Case(
        "EU-19-kaliningrad-transit",
        t(["exporter:ru", "consignee:ru"], ["100390:ru"], "ru by lt ru"),
        False,
        note="grain",
    ),
    Case(
        "EU-20-russian-origin-import",
        t(["exporter:ru", "importer:de"], ["720851:ru"], "ru de"),
        True,
    ),
    Case(
        "EU-20-russian-origin-import",
        t(["exporter:ru", "importer:de"], ["270900:ru"], "ru de"),
        False,
        note="crude: EU-17",
    ),
    Case(
        "EU-20-russian-origin-import",
        t(["exporter:kz", "importer:de"], ["720851:kz"], "kz de"),
        False,
    ),
    Case("EU-S1-middle-corridor", EU_CHIP_VIA_RU, True),
    Case("EU-S1-middle-corridor", MIDDLE_CORRIDOR, False),
    Case("EU-S1-middle-corridor", CPC, False, note="crude needs no detour around Russia"),
    # -- UK --
    Case("UK-1-territory", t(["exporter:cn", "importer:kz"], [], "cn gb kz"), True),
    Case("UK-1-territory", t([{"role": "bank", "country": "kz", "location": "gb"}]), True),
    Case("UK-1-territory", t(["exporter:cn", "importer:kz"], [], "cn kz"), False),
    Case("UK-2-uk-person", t(["exporter:gb"]), True),
    Case("UK-2-uk-person", t(["exporter:de"]), False),
    Case(
        "UK-4-trade-for-use-in-russia",
        t(["exporter:gb", "importer:ru"], ["854231:gb"], "gb ru"),
        True,
    ),
    Case(
        "UK-4-trade-for-use-in-russia",
        t(["exporter:gb", "importer:kz"], ["854231:gb"], "gb kz"),
        False,
    ),
    Case(
        "UK-6-russian-origin-import",
        t(["exporter:ru", "importer:gb"], ["720851:ru"], "ru gb"),
        True,
    ),
    Case(
        "UK-6-russian-origin-import",
        t(["exporter:ru", "importer:kz"], ["720851:ru"], "ru kz"),
        False,
    ),
    Case("UK-5-third-country-designation", KZ_CHIPS_TO_RU, True),
    Case("UK-5-third-country-designation", t(["exporter:gb", "importer:ru"], ["854231:gb"]), False),
]

LIST_CASES: list[ListCase] = [
    ListCase("UN-L-consolidated-list", "un_sc_sanctions"),
    ListCase("UN-L-consolidated-list", "eu_fsf", expected=False),
    ListCase("KZ-1-terrorism-list", "kz_afmrk_sanctions"),
    ListCase("KZ-1-terrorism-list", "us_ofac_sdn", expected=False),
    ListCase("KZ-2-wmd-list-un", "un_sc_sanctions", ["DPRK"]),
    ListCase("KZ-2-wmd-list-un", "un_sc_sanctions", ["Al-Qaida"], expected=False),
    ListCase("KZ-2-wmd-list-un", "gb_hmt_sanctions", ["DPRK"], expected=False),
    ListCase("KZ-2-terrorism-list-un", "un_sc_sanctions", ["Al-Qaida"]),
    ListCase("KZ-2-terrorism-list-un", "un_sc_sanctions", ["Taliban"]),
    ListCase("KZ-2-terrorism-list-un", "un_sc_sanctions", ["DPRK"], expected=False),
    ListCase("KZ-2-iran-un", "un_sc_sanctions", ["Iran"], as_of=LATE),
    ListCase(
        "KZ-2-iran-un", "un_sc_sanctions", ["Iran"], expected=False, as_of=DAY, note="2024: lifted"
    ),
    ListCase("KZ-2-other-un", "un_sc_sanctions", ["Libya"]),
    ListCase("KZ-2-other-un", "un_sc_sanctions", ["Iran"], expected=False),
    ListCase("UN-L-consolidated-list", "un_sc_sanctions", ["Iran"], expected=False),
    ListCase("UN-L-iran-2231", "un_sc_sanctions", ["Iran"], as_of=D(2023, 6, 1)),
    ListCase(
        "UN-L-iran-2231",
        "un_sc_sanctions",
        ["Iran"],
        expected=False,
        as_of=DAY,
        note="between Transition Day (18 Oct 2023) and the snapback (27-28 Sep 2025)",
    ),
    ListCase("UN-L-iran-2231", "un_sc_sanctions", ["Iran"], as_of=D(2025, 11, 20)),
    ListCase("UN-L-iran-2231", "un_sc_sanctions", ["DPRK"], expected=False, as_of=LATE),
    ListCase("EAR-6-entity-list-bis", "us_bis_entity"),
    ListCase("EAR-6-entity-list-bis", "us_trade_csl", ["list:EL"], expected=False),
    ListCase("EAR-4-fdp-footnote3-bis", "us_bis_entity", ["entity_list.footnote3"]),
    ListCase("EAR-4-fdp-footnote3-bis", "us_bis_entity", ["list:EL"], expected=False),
    ListCase("EAR-6-meu-list-bis", "us_bis_meu"),
    ListCase("EAR-6-meu-list-bis", "us_bis_entity", expected=False),
    ListCase("EAR-6-unverified-list-bis", "us_bis_uvl"),
    ListCase("EAR-6-unverified-list-bis", "us_bis_meu", expected=False),
    ListCase("EAR-6-denied-csl-bis", "us_trade_csl_dpl"),
    ListCase("EAR-6-denied-csl-bis", "us_bis_denied", expected=False),
    ListCase("EAR-10-russia-sdn-744-8-csl-sdn", "us_trade_csl_sdn", ["RUSSIA-EO14024"], as_of=DAY),
    ListCase(
        "EAR-10-russia-sdn-744-8-csl-sdn",
        "us_trade_csl_sdn",
        ["RUSSIA-EO14024"],
        expected=False,
        as_of=D(2024, 3, 20),
        note="before 89 FR 20107 took effect",
    ),
    ListCase("US-L-csl-sdn-list", "us_trade_csl_sdn", ["IRAN"]),
    ListCase("US-L-csl-sdn-list", "us_ofac_sdn", expected=False),
    ListCase("US-L-csl-non-sdn-lists", "us_trade_csl_ssi", ["UKRAINE-EO13662"]),
    ListCase("US-L-csl-non-sdn-lists", "us_trade_csl_dtc"),
    ListCase("US-L-csl-non-sdn-lists", "us_trade_csl_sdn", expected=False),
    ListCase("UK-L-fcdo", "gb_fcdo_sanctions", ["Russia"]),
    ListCase("UK-L-fcdo", "gb_hmt_sanctions", ["Russia"], expected=False),
    ListCase("EAR-10-russia-sdn-744-8", "us_ofac_sdn", ["RUSSIA-EO14024"], as_of=DAY),
    ListCase(
        "EAR-10-russia-sdn-744-8",
        "us_ofac_sdn",
        ["RUSSIA-EO14024"],
        expected=False,
        as_of=D(2024, 3, 20),
        note="before 89 FR 20107 took effect",
    ),
    ListCase("EAR-10-russia-sdn-744-8", "us_ofac_sdn", ["IRAN"], expected=False, as_of=DAY),
    ListCase(
        "EAR-10-russia-sdn-744-8-csl", "us_trade_csl", ["list:SDN", "RUSSIA-EO14024"], as_of=DAY
    ),
    ListCase(
        "EAR-10-russia-sdn-744-8-csl",
        "us_trade_csl",
        ["list:SSI", "UKRAINE-EO13662"],
        expected=False,
        as_of=DAY,
        note="sectoral (SSI) entries are not SDNs",
    ),
    ListCase("US-7-caatsa-mandatory", "us_ofac_sdn", ["UKRAINE-EO13660"]),
    ListCase("US-7-caatsa-mandatory", "us_ofac_sdn", ["UKRAINE-EO13685"]),
    ListCase("US-L-sdn", "us_ofac_sdn"),
    ListCase("US-L-sdn", "gb_hmt_sanctions", expected=False),
    ListCase("US-L-cons", "us_ofac_cons"),
    ListCase("US-L-cons", "us_ofac_sdn", expected=False),
    ListCase("US-L-denied", "us_bis_denied"),
    ListCase("US-L-denied", "us_ofac_sdn", expected=False),
    ListCase("US-6-sdn-secondary-tag", "us_ofac_sdn", ["sanction", "sanction.secondary"]),
    ListCase("US-6-sdn-secondary-tag", "us_ofac_sdn", ["sanction"], expected=False),
    ListCase("US-7-caatsa-mandatory", "us_ofac_sdn", ["UKRAINE-EO13662"]),
    ListCase("US-7-caatsa-mandatory", "us_ofac_sdn", ["RUSSIA-EO14024"], expected=False),
    ListCase("EAR-4-fdp-meu", "us_trade_csl", ["entity_list.footnote3"]),
    ListCase("EAR-4-fdp-meu", "us_trade_csl", [], expected=False),
    ListCase("EAR-6-entity-list", "us_trade_csl", ["list:EL"]),
    ListCase("EAR-6-entity-list", "us_trade_csl", ["list:SSI"], expected=False),
    ListCase("EAR-6-entity-list", "us_bis_denied", ["list:EL"], expected=False),
    ListCase("US-L-csl-sdn", "us_trade_csl", ["list:SDN"]),
    ListCase("US-L-csl-sdn", "us_trade_csl", ["list:EL"], expected=False),
    ListCase("US-L-csl-denied", "us_trade_csl", ["list:DPL"]),
    ListCase("US-L-csl-denied", "us_bis_denied", ["list:DPL"], expected=False),
    ListCase("US-L-csl-other", "us_trade_csl", ["list:SSI", "UKRAINE-EO13662"]),
    ListCase("US-L-csl-other", "us_trade_csl", []),  # what makes the dataset screenable
    ListCase(
        "US-L-csl-other",
        "us_trade_csl",
        ["list:EL"],
        expected=False,
        note="fallback: the Entity List rule says more",
    ),
    ListCase("EU-L-fsf", "eu_fsf"),
    ListCase("EU-L-fsf", "gb_hmt_sanctions", expected=False),
    ListCase("UK-L-hmt", "gb_hmt_sanctions"),
    ListCase("UK-L-hmt", "eu_fsf", expected=False),
]

#: (rule id, regime, threshold, inclusive, aggregate): the three ownership tests differ.
OWNERSHIP = [
    ("US-3-fifty-percent", "US", 50, True, True),
    ("EU-6-ownership-control", "EU", 50, False, "unsettled"),
    ("UK-3-ownership-control", "UK", 50, False, False),
]


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def _id(case: Case) -> str:
    return f"{case.rule}-{'fires' if case.expected else 'silent'}-{case.as_of}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_rule(case: Case, policy, tmp_path: Path) -> None:
    if case.override:
        path = tmp_path / "override.yaml"
        path.write_text(case.override, encoding="utf-8")
        policy = load_policy([path])
    assert fired(policy, case.rule, case.trade, case.as_of, case.listed) is case.expected, case.note


def test_a_rule_that_explains_a_missing_nexus_speaks_for_its_targets(policy) -> None:
    """KZ-4 explains why the unilateral regimes do not bind a Kazakh party: its reason stands
    under the US, the EU and the UK, and nowhere else."""
    decisions = party_nexus(policy, t(["importer:kz"], [], "cn kz"), 0, DAY)
    cited = {regime for regime, d in decisions.items() if "KZ-4-unilateral-not-law" in d.rules}
    assert cited == {"US", "EU", "UK"}
    assert all(decisions[r].value == "none" for r in ("US", "EU", "UK"))


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda c: f"{c.rule}-{c.dataset}-{c.expected}")
def test_list_rule(case: ListCase, policy) -> None:
    found = [r.id for r in policy.list_rules(case.dataset, case.topics, case.as_of)]
    assert (case.rule in found) is case.expected, case.note


@pytest.mark.parametrize(("rule_id", "regime", "threshold", "inclusive", "aggregate"), OWNERSHIP)
def test_ownership_rule(policy, rule_id, regime, threshold, inclusive, aggregate) -> None:
    rule = policy.ownership_rule(regime)
    assert rule is not None and rule.id == rule_id
    assert rule.ownership.threshold == threshold
    assert rule.ownership.inclusive is inclusive
    assert rule.ownership.aggregate == aggregate


def test_ownership_rule_respects_dates(policy) -> None:
    assert policy.ownership_rule("US", D(2014, 8, 13)).id == "US-3-fifty-percent"
    assert policy.ownership_rule("US", D(2014, 8, 12)) is None
    assert policy.ownership_rule("KZ") is None


def test_every_rule_is_covered(policy) -> None:
    """Each rule has a case where it fires and one where it is silent; each dated rule has a
    silent case before its start."""
    positive = {c.rule for c in CASES if c.expected} | {c.rule for c in LIST_CASES if c.expected}
    negative = {c.rule for c in CASES if not c.expected} | {
        c.rule for c in LIST_CASES if not c.expected
    }
    positive |= {o[0] for o in OWNERSHIP}
    negative |= {o[0] for o in OWNERSHIP}  # the other regimes' tests differ (table above)
    ids = set(policy.rules)
    assert ids - positive == set(), "rules without a firing case"
    assert ids - negative == set(), "rules without a silent case"
    before = {
        c.rule
        for c in CASES
        if not c.expected
        and policy.rules[c.rule].effective_from
        and c.as_of < policy.rules[c.rule].effective_from
    } | {
        c.rule
        for c in LIST_CASES
        if not c.expected and c.as_of and not policy.rules[c.rule].in_force(c.as_of)
    }
    dated = {
        r.id
        for r in policy.rules.values()
        if (r.effective_from and r.type in ("nexus", "finding", "suggestion")) or r.periods
    }
    assert dated - before == set(), "dated rules without a case before their start"
    assert (positive | negative) - ids == set(), "cases for rules that do not exist"
