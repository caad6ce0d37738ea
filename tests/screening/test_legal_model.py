"""Who acts decides which law binds: whole trades against the real lists, each beside its
mirror (the same trade one fact away, with the opposite result).

Each case states the trade, the date it is judged on and the verdict a compliance officer
would sign, with the rule that decides it. The counterparties are real list entries:
AKTSIONERNOE OBSHCHESTVO PASIT (OFAC SDN, RUSSIA-EO14024), AMIN INDUSTRIAL COMPLEX (UN list,
Iran programme) and GREENLINE AVIATION (BIS Denied Persons List).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from corridor.screening.engine import build_screener, screen_trade
from corridor.screening.trade_input import parse_trade

D = dt.date
PASIT = {"role": "importer", "name": "Aktsionernoe Obshchestvo PASIT", "country": "ru"}
AMIN = {"role": "importer", "name": "Amin Industrial Complex", "country": "ir", "schema": "Company"}
GREENLINE = {"role": "importer", "name": "Greenline Aviation", "country": "lu", "schema": "Company"}
KZ_TRADER = {"role": "exporter", "name": "Steppe Commodities TOO", "country": "kz"}
KZ_BANK = {"role": "bank", "name": "Kaspian Commercial Bank JSC", "country": "kz"}


@dataclass
class Case:
    name: str
    trade: dict[str, Any]
    as_of: dt.date
    verdict: str
    rules: set[str] = field(default_factory=set)  # decisive (or expected) rules
    absent: set[str] = field(default_factory=set)  # rules that must not fire
    datasets: tuple[str, ...] = ()  # screen against these lists only (default: all loaded)


def trade(parties: list[dict], goods: list[str], route: str, currency: str) -> dict[str, Any]:
    return {
        "currency": currency,
        "parties": parties,
        "goods": [{"hs_code": g.split(":")[0], "origin": g.split(":")[1]} for g in goods],
        "route": [{"country": c} for c in route.split()],
    }


SOY_TO_PASIT_CNY = trade([KZ_TRADER, PASIT], ["120190:us"], "kz ru", "CNY")
SOY_TO_PASIT_USD = trade([KZ_TRADER, PASIT], ["120190:us"], "kz ru", "USD")

CASES = [
    # 1. OFAC and the EAR reach different actors
    Case(
        "US-origin soybeans to an SDN for yuan, before 744.8: nobody US-bound, exposure",
        SOY_TO_PASIT_CNY,
        D(2024, 1, 15),
        "REVIEW",
        {"US-L-sdn"},
        absent={"EAR-10-russia-sdn-744-8", "US-2-usd-clearing"},
        datasets=("us_ofac_sdn", "un_sc_sanctions"),
    ),
    Case(
        "the same with the Entity List screened too: PASIT is on it, the item needs a licence",
        SOY_TO_PASIT_CNY,
        D(2024, 1, 15),
        "LICENSE_REQUIRED",
        {"EAR-6-entity-list-bis"},
        absent={"EAR-10-russia-sdn-744-8"},
    ),
    Case(
        "the same after 21 March 2024: the item needs a BIS licence for an EO 14024 SDN",
        SOY_TO_PASIT_CNY,
        D(2024, 8, 16),
        "LICENSE_REQUIRED",
        {"EAR-10-russia-sdn-744-8"},
    ),
    Case(
        "the same paid in USD: the payment causes a US bank to deal with an SDN",
        SOY_TO_PASIT_USD,
        D(2024, 8, 16),
        "PROHIBITED",
        {"US-L-sdn", "US-2-usd-clearing"},
    ),
    Case(
        "Kazakh wheat to a denied person: a denial order reaches items subject to the EAR only",
        trade([KZ_TRADER, GREENLINE], ["100199:kz"], "kz lu", "EUR"),
        D(2024, 8, 16),
        "REVIEW",
        {"US-L-denied"},
    ),
    Case(
        "US-origin chips to the same denied person: the EAR bind the exporter through the item",
        trade([KZ_TRADER, GREENLINE], ["854231:us"], "kz lu", "EUR"),
        D(2024, 8, 16),
        "PROHIBITED",
        {"US-L-denied"},
    ),
    # 3. each programme's periods in force
    Case(
        "a UN Iran-programme entity in 2024, between Transition Day and the snapback",
        trade([KZ_TRADER, AMIN], ["847990:kz"], "kz tm ir", "EUR"),
        D(2024, 8, 16),
        "REVIEW",
        absent={"UN-L-iran-2231", "KZ-2-iran-un"},
    ),
    Case(
        "the same trade in November 2025, after the snapback",
        trade([KZ_TRADER, AMIN], ["847990:kz"], "kz tm ir", "EUR"),
        D(2025, 11, 20),
        "PROHIBITED",
        {"UN-L-iran-2231"},
    ),
    # 2. missing binding rules
    Case(
        "excavators to the DPRK: UNSCR 2397 para 7",
        trade(
            [KZ_TRADER, {"role": "importer", "name": "Sinuiju Farm Supply Co.", "country": "kp"}],
            ["842952:cn"],
            "kz cn kp",
            "CNY",
        ),
        D(2024, 8, 16),
        "PROHIBITED",
        {"UN-KP-1-supply-ban"},
    ),
    Case(
        "wheat to the DPRK: not banned",
        trade(
            [KZ_TRADER, {"role": "importer", "name": "Sinuiju Farm Supply Co.", "country": "kp"}],
            ["100199:kz"],
            "kz cn kp",
            "CNY",
        ),
        D(2024, 8, 16),
        "CLEAR",
        absent={"UN-KP-1-supply-ban"},
    ),
    Case(
        "a US company's Swiss subsidiary selling pumps to Iran: 31 CFR 560.215",
        trade(
            [
                {
                    "role": "exporter",
                    "name": "Alpine Pumps AG",
                    "country": "ch",
                    "parent": {"name": "Acme Pumps Inc.", "country": "us"},
                },
                {"role": "importer", "name": "Tabriz Water Works", "country": "ir"},
            ],
            ["841370:ch"],
            "ch tr ir",
            "EUR",
        ),
        D(2024, 8, 16),
        "PROHIBITED",
        {"US-IR-1-itsr"},
    ),
    Case(
        "the same subsidiary of a German company: exposure only",
        trade(
            [
                {
                    "role": "exporter",
                    "name": "Alpine Pumps AG",
                    "country": "ch",
                    "parent": {"name": "Pumpen GmbH", "country": "de"},
                },
                {"role": "importer", "name": "Tabriz Water Works", "country": "ir"},
            ],
            ["841370:ch"],
            "ch tr ir",
            "EUR",
        ),
        D(2024, 8, 16),
        "REVIEW",
        {"US-IR-1-itsr"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_who_acts_decides(case: Case, screening_env) -> None:
    store, policy, screener = screening_env
    if case.datasets:
        screener = build_screener(store, datasets=case.datasets)
    result = screen_trade(
        parse_trade(case.trade), store=store, policy=policy, matcher=screener, as_of=case.as_of
    )
    fired = {f.rule for f in result.findings} | {
        reason.removeprefix("also exposure: ").split(":", 1)[0]
        for party in result.parties
        for reasons in party.nexus.values()
        for reason in reasons
    }
    assert result.verdict == case.verdict, result.explanation
    assert case.rules <= fired, fired
    assert not case.absent & fired, fired
    for f in result.findings:  # every finding's severity agrees with its authority's reach
        if f.severity in ("prohibited", "license"):
            assert any(
                (p.authorities.get(f.authority) or p.regimes[f.regime]) == "binds"
                for p in result.parties
            ), f


@pytest.mark.parametrize(
    ("goods", "exposed"), [("100199:kz", False), ("854231:cn", True)], ids=["wheat", "chips"]
)
def test_a_kazakh_bank_and_eo_14114(goods: str, exposed: bool, screening_env) -> None:
    """Wheat to an unlisted Russian buyer through a Kazakh bank is not targeted by EO 14114;
    critical items are."""
    store, policy, screener = screening_env
    buyer = {"role": "importer", "name": "Volga Grain Trading OOO", "country": "ru"}
    result = screen_trade(
        parse_trade(trade([KZ_TRADER, buyer, KZ_BANK], [goods], "kz ru", "CNY")),
        store=store,
        policy=policy,
        matcher=screener,
        as_of=D(2024, 8, 16),
    )
    bank = result.parties[2]
    assert ("US-5-ffi-secondary" in " ".join(bank.nexus.get("US", []))) is exposed
    assert bank.authorities["US-OFAC"] == ("exposure" if exposed else "none")
