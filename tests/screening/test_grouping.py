"""Findings grouped for reading: one line per rule, subjects compressed, named parties kept."""

from __future__ import annotations

from corridor.screening.grouping import describe_subjects, group_findings
from corridor.trade import Finding


def finding(rule: str, subject: str, kind: str = "goods", severity: str = "risk") -> Finding:
    return Finding(
        kind=kind,
        regime="EU",
        authority="EU",
        severity=severity,
        rule=rule,
        citation="Art. 1",
        confidence="sure",
        subject=subject,
        detail=f"{rule} on {subject}",
        outcome="REVIEW",
    )


def test_subjects_fold_into_ranges():
    assert describe_subjects([f"goods line {i}" for i in (0, 1, 2, 3, 7)]) == "goods lines 0–3, 7"
    assert describe_subjects(["goods line 0", "goods line 1"]) == "goods lines 0, 1"
    assert describe_subjects(["route leg 2", "route leg 3"]) == "route legs 2, 3"
    legs = [f"route leg {leg}, goods line {g}" for leg in (3, 4) for g in range(20)]
    assert describe_subjects(legs) == "route legs 3, 4, goods lines 0–19"
    assert describe_subjects(["trade", "trade"]) == "trade"


def test_same_rule_on_many_goods_lines_is_one_group():
    findings = [finding("EU-7", f"goods line {i}") for i in range(20)]
    findings.append(finding("EU-13", "goods line 0"))
    groups = group_findings(findings)
    assert [(g.first.rule, len(g)) for g in groups] == [("EU-7", 20), ("EU-13", 1)]
    assert groups[0].subjects == "goods lines 0–19"
    assert groups[0].detail == "EU-7 on goods line 0 [shown for goods line 0; 20 findings]"
    assert groups[1].detail == "EU-13 on goods line 0"


def test_different_outcomes_and_named_parties_stay_apart():
    hits = [finding("US-L-sdn", f"party #{i} importer X{i}", kind="party") for i in (1, 2)]
    capped = finding("EU-7", "goods line 1")
    capped.outcome = "CLEAR"
    groups = group_findings([*hits, finding("EU-7", "goods line 0"), capped])
    assert [len(g) for g in groups] == [1, 1, 1, 1]
    # one party matching two list entries: two alerts, both shown
    two = [finding("UN-L", "party #9 end_user X", kind="party") for _ in range(2)]
    two[1].detail = "matches another entry"
    assert [len(g) for g in group_findings(two)] == [1, 1]
