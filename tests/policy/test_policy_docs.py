"""docs/policy.md is generated from the data where it lists rules, tests and goods lists."""

from __future__ import annotations

from pathlib import Path

from corridor.policy import load_policy
from corridor.policy.conditions import PREDICATES
from corridor.policy.reference import goods_list_table, predicate_table, rule_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def test_rule_table_is_current() -> None:
    assert rule_table(load_policy()) in DOC.read_text(encoding="utf-8"), (
        "regenerate the table in docs/policy.md with corridor.policy.reference.rule_table")


def test_goods_and_predicate_tables_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert goods_list_table(load_policy()) in text
    assert predicate_table() in text


def test_every_test_is_used_or_exercised() -> None:
    """A registered test no package rule uses must be exercised by test_unused_tests_work."""
    used = {t.name for r in load_policy().rules.values() if r.condition
            for t in r.condition.tests()}
    assert set(PREDICATES) - used <= {"goods_hs_prefix_in", "as_of_before", "party_bound_by"}
