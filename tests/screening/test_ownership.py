"""Ownership tests: OFAC 50 % aggregation through blocked entities vs EU/UK single-holder."""

from __future__ import annotations

from corridor.policy import OwnershipParams
from corridor.screening.ownership import (
    Listing,
    OwnerNode,
    aggregate_test,
    ownership_test,
    single_holder_test,
)

#: OFAC's 50 % rule, and the share test of the EU and UK (one listed holder, more than 50 %).
OFAC = OwnershipParams(threshold=50, inclusive=True, aggregate=True, control=False)
MAJORITY = OwnershipParams(threshold=50, inclusive=False, aggregate=False, control=False)

X = Listing("ofac-x", "us_ofac_sdn:1", "us_ofac_sdn", "X")
Y = Listing("ofac-y", "us_ofac_sdn:2", "us_ofac_sdn", "Y")


def listed(name: str, share: float, *entries: Listing, regime: str = "US", **kw) -> OwnerNode:
    return OwnerNode(name=name, share=share, listings={regime: list(entries)}, **kw)


def test_direct_majority_blocks():
    result = ownership_test("Party", [listed("X", 50, X, country="ru")], "US", OFAC)
    assert result is not None and result.owned
    assert result.share == 50
    assert result.chains == ["X (ru, us_ofac_sdn:1) → 50 % → Party"]


def test_below_fifty_is_not_blocked_but_reported():
    result = ownership_test("Party", [listed("X", 49.9, X), OwnerNode("Z", 50.1)], "US", OFAC)
    assert result is not None
    assert not result.owned
    assert result.share == 49.9


def test_no_listed_owner_gives_no_result():
    assert ownership_test("Party", [OwnerNode("Z", 100)], "US", OFAC) is None
    assert ownership_test("Party", [OwnerNode("Z", 100)], "EU", MAJORITY) is None


def test_aggregate_across_blocked_owners():
    # FAQ 399: separate blocked persons' stakes add up (30 + 25 = 55).
    result = ownership_test("Party", [listed("X", 30, X), listed("Y", 25, Y)], "US", OFAC)
    assert result is not None and result.owned
    assert result.share == 55
    assert {h.entity_id for h in result.holders} == {"ofac-x", "ofac-y"}


def test_indirect_through_blocked_entity_counts_full_stake():
    # FAQ 401 example 3: X owns 50 % of A and 10 % of the party; A owns 40 % of the party.
    a = OwnerNode("A", 40, owners=[listed("X", 50, X)])
    result = ownership_test("Party", [a, listed("X", 10, X)], "US", OFAC)
    assert result is not None and result.owned
    assert result.share == 50
    # the naive product along the chain is 20 + 10 = 30: shown, not used
    assert result.look_through == 30
    assert "X (us_ofac_sdn:1) → 50 % → A → 40 % → Party" in result.chains


def test_indirect_through_unblocked_entity_does_not_count():
    a = OwnerNode("A", 100, owners=[listed("X", 40, X)])
    result = ownership_test("Party", [a], "US", OFAC)
    assert result is not None and not result.owned
    assert result.share == 0
    assert result.look_through == 40


def test_chain_text_for_two_levels():
    b = OwnerNode("B", 100, owners=[listed("A", 60, X, country="ru")])
    result = ownership_test("Party", [b], "US", OFAC)
    assert result is not None and result.owned
    assert result.chains == ["A (ru, us_ofac_sdn:1) → 60 % → B → 100 % → Party"]


def test_eu_does_not_aggregate_separate_listed_owners():
    owners = [listed("X", 30, X, regime="EU"), listed("Y", 30, Y, regime="EU")]
    eu = ownership_test("Party", owners, "EU", MAJORITY)
    assert eu is not None
    assert not eu.owned
    assert eu.share == 30
    assert eu.aggregate == 60
    # the same structure is blocked under OFAC (60 % aggregate)
    us = ownership_test("Party", [listed("X", 30, X), listed("Y", 30, Y)], "US", OFAC)
    assert us is not None and us.owned


def test_eu_exactly_fifty_is_not_more_than_fifty():
    eu = ownership_test("Party", [listed("X", 50, X, regime="EU")], "EU", MAJORITY)
    assert eu is not None and not eu.owned
    us = ownership_test("Party", [listed("X", 50, X)], "US", OFAC)
    assert us is not None and us.owned


def test_uk_counts_one_persons_direct_and_indirect_holding():
    # X holds 30 % directly and 30 % through A, which X owns 80 %: 60 % held by X.
    a = OwnerNode("A", 30, owners=[listed("X", 80, X, regime="UK")])
    uk = ownership_test("Party", [listed("X", 30, X, regime="UK"), a], "UK", MAJORITY)
    assert uk is not None and uk.owned
    assert uk.share == 60
    assert [h.entity_id for h in uk.holders] == ["ofac-x"]


def test_declared_control_counts_for_eu_uk_not_for_ofac():
    owners = [listed("X", 20, X, regime="EU", control=True), OwnerNode("Z", 80)]
    eu = single_holder_test("Party", owners, "EU", threshold=50, inclusive=False, control=True)
    assert eu is not None and eu.owned and eu.by_control
    assert "controls the party through declared control" in eu.summary
    # without the control limb (a rule with params.control false) 20 % is not enough
    plain = single_holder_test("Party", owners, "EU", threshold=50, inclusive=False)
    assert plain is not None and not plain.owned
    us_owners = [listed("X", 20, X, control=True), OwnerNode("Z", 80)]
    us = aggregate_test("Party", us_owners, "US", threshold=50, inclusive=True)
    assert us is not None and not us.owned and us.control_declared


def test_control_through_a_controlled_intermediary():
    # X owns 60 % of A; A controls the party with a 10 % stake and board majority.
    a = OwnerNode("A", 10, control=True, owners=[listed("X", 60, X, regime="UK")])
    uk = single_holder_test(
        "Party", [a, OwnerNode("Z", 90)], "UK", threshold=50, inclusive=False, control=True
    )
    assert uk is not None and uk.owned and uk.by_control
