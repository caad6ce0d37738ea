"""Verdict: most severe over binding regimes; exposure and unsure rules cap at REVIEW."""

from __future__ import annotations

from corridor.screening.results import PartyResult
from corridor.screening.verdict import decide
from corridor.trade import Finding


def party(index: int, **regimes: str) -> PartyResult:
    values = {"UN": "none", "US": "none", "EU": "none", "UK": "none", "KZ": "none"} | regimes
    return PartyResult(index=index, role="exporter", name=f"P{index}", regimes=values)


def finding(regime: str, severity: str, confidence: str = "sure", rule: str = "R-1") -> Finding:
    return Finding(
        kind="goods",
        regime=regime,
        authority="US-OFAC" if regime == "US" else regime,
        severity=severity,
        rule=rule,
        citation="Art. 1",
        confidence=confidence,
        subject="goods line 0",
        detail="d",
    )


def test_clear_without_findings():
    decision = decide([], [party(0, EU="binds")])
    assert decision.verdict == "CLEAR"
    assert any("CLEAR" in line for line in decision.explanation)


def test_binding_prohibition_is_decisive():
    decision = decide([finding("EU", "prohibited", rule="EU-10")], [party(0, EU="binds")])
    assert decision.verdict == "PROHIBITED"
    assert any("EU-10" in line for line in decision.explanation)


def test_exposure_only_caps_at_review_and_says_so():
    findings = [finding("US", "prohibited", rule="US-SDN")]
    decision = decide(findings, [party(0, US="exposure", KZ="binds")])
    assert decision.verdict == "REVIEW"
    text = "\n".join(decision.explanation)
    assert "US-OFAC binds no party of this trade: exposure only" in text
    assert "Exposure only (no party bound): US-OFAC, US-EAR" in text


def test_unsure_rule_caps_at_review():
    decision = decide([finding("EU", "prohibited", "unsure")], [party(0, EU="binds")])
    assert decision.verdict == "REVIEW"
    assert "unsure" in "\n".join(decision.explanation)


def test_licence_beats_review_and_loses_to_prohibited():
    parties = [party(0, EU="binds", US="binds")]
    assert decide([finding("US", "license"), finding("EU", "risk")], parties).verdict == (
        "LICENSE_REQUIRED"
    )
    both = [finding("US", "license"), finding("EU", "prohibited")]
    assert decide(both, parties).verdict == "PROHIBITED"


def test_binding_by_any_party_counts():
    parties = [party(0, EU="none"), party(1, EU="binds")]
    assert decide([finding("EU", "prohibited")], parties).verdict == "PROHIBITED"


def test_info_findings_stay_clear():
    assert decide([finding("EU", "info")], [party(0, EU="binds")]).verdict == "CLEAR"


def test_capped_findings_are_listed_when_not_decisive():
    findings = [finding("EU", "license", rule="EU-7"), finding("US", "prohibited", rule="US-X")]
    decision = decide(findings, [party(0, EU="binds")])
    assert decision.verdict == "LICENSE_REQUIRED"
    text = "\n".join(decision.explanation)
    assert "Not decisive (capped)" in text and "US-X" in text
