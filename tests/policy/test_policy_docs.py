"""docs/policy.md is generated from the data where it lists rules, tests and goods lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.policy import load_policy
from corridor.policy.reference import update_doc
from corridor.policy.registry import default_registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def test_generated_tables_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert update_doc(text, load_policy()) == text, (
        "run: python -m corridor.policy.reference docs/policy.md"
    )


def test_update_doc_needs_its_markers() -> None:
    with pytest.raises(ValueError, match="rules:begin"):
        update_doc("no markers here", load_policy())


def test_every_rule_id_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule_id in load_policy().rules:
        assert f"`{rule_id}`" in text


def test_every_test_is_used_or_exercised() -> None:
    """A registered test no package rule uses must be exercised by test_unused_tests_work."""
    used = {t.name for node in load_policy().conditions.values() for t in node.tests()}
    assert set(default_registry()) - used <= {
        "goods_hs_prefix_in",
        "as_of_before",
        "party_bound_by",
    }


def test_documented_examples_load(tmp_path: Path) -> None:
    """The rule example and the override example in the document are valid policy files."""
    import re

    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    rule_block = next(b for b in blocks if b.startswith("- id: EU-10-transit-annex-vii"))
    override_block = next(b for b in blocks if "BANK-1-no-kz-to-ru" in b)
    (tmp_path / "rule.yaml").write_text(
        "schema_version: 1\nrules:\n" + rule_block, encoding="utf-8"
    )
    (tmp_path / "override.yaml").write_text(override_block, encoding="utf-8")
    policy = load_policy([tmp_path / "rule.yaml", tmp_path / "override.yaml"])
    assert policy.rule("EU-10-transit-annex-vii") == load_policy().rule("EU-10-transit-annex-vii")
    assert policy.countries(["@EU_ART12F_LISTED"]) == {"kz"}
    assert "BANK-1-no-kz-to-ru" in policy.rules
