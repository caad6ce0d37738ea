"""The verdict of a screened trade, and the lines that justify it.

Rule (``../shared/DESIGN.md``): the verdict is the most severe outcome over the regimes that
*bind* a party of the trade, decided per authority: a US finding counts in full only where
its own authority (OFAC's programs, or the EAR) binds a party. A finding under an authority
that binds nobody here is exposure (designation risk, loss of banking access): it raises the
verdict to REVIEW at most, and the explanation says so. A finding resting on an ``unsure``
rule never goes above REVIEW either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corridor.screening.grouping import FindingGroup, group_findings
from corridor.screening.results import PartyResult, authority_values
from corridor.trade import AUTHORITIES, SEVERITY_VERDICT, VERDICT_ORDER, Finding, Verdict

_RANK = {v: i for i, v in enumerate(VERDICT_ORDER)}  # 0 = most severe


@dataclass(frozen=True)
class WeighedFinding:
    """A finding with the outcome it actually carries into the verdict, and why."""

    finding: Finding
    outcome: Verdict
    capped_because: str | None = None


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    explanation: list[str]
    weighed: list[WeighedFinding]


def binding_authorities(parties: Iterable[PartyResult]) -> dict[str, list[str]]:
    """Authority id → the parties (``#index role name``) it binds, in authority order."""
    out: dict[str, list[str]] = {}
    for party in parties:
        for authority, value in authority_values(party).items():
            if value == "binds":
                out.setdefault(authority, []).append(f"#{party.index} {party.role} {party.name}")
    return {a: out[a] for a in AUTHORITIES if a in out}


def weigh(finding: Finding, binding: Iterable[str]) -> WeighedFinding:
    """Cap a finding at REVIEW when its regime binds nobody or its rule is unsure."""
    outcome = SEVERITY_VERDICT[finding.severity]
    if _RANK[outcome] >= _RANK["REVIEW"]:
        return WeighedFinding(finding, outcome)
    if finding.authority not in set(binding):
        return WeighedFinding(
            finding,
            "REVIEW",
            f"{finding.authority} binds no party of this trade: exposure only, at most REVIEW",
        )
    if finding.confidence == "unsure":
        return WeighedFinding(
            finding, "REVIEW", "the rule's legal basis is unsure: at most REVIEW until verified"
        )
    return WeighedFinding(finding, outcome)


def decide(findings: list[Finding], parties: list[PartyResult]) -> Decision:
    """The most severe weighed outcome, with filing-ready reasons.

    Sets each finding's ``outcome`` to what it counts for after the caps. The reasons name
    each rule once, with all the goods lines or legs it fired on.
    """
    binding = binding_authorities(parties)
    weighed = [weigh(f, binding) for f in findings]
    for item in weighed:
        item.finding.outcome = item.outcome
    caps = {id(w.finding): w.capped_because for w in weighed if w.capped_because}
    verdict: Verdict = "CLEAR"
    for item in weighed:
        if _RANK[item.outcome] < _RANK[verdict]:
            verdict = item.outcome

    lines: list[str] = []
    if binding:
        lines.append(
            "Binding a party: "
            + "; ".join(f"{r} ({', '.join(who)})" for r, who in binding.items())
            + "."
        )
    else:
        lines.append(
            "No regime or authority binds any party of this trade: every finding is exposure only."
        )
    exposed = {a for p in parties for a, v in authority_values(p).items() if v == "exposure"}
    exposure = [a for a in AUTHORITIES if a in exposed and a not in binding]
    if exposure:
        lines.append(
            f"Exposure only (no party bound): {', '.join(exposure)}; findings under "
            f"{'it' if len(exposure) == 1 else 'them'} raise the verdict to REVIEW at most."
        )

    decisive = [w.finding for w in weighed if w.outcome == verdict and verdict != "CLEAR"]
    if verdict == "CLEAR":
        lines.append(
            "CLEAR: no finding above 'info' under a regime that binds a party of this trade."
        )
    else:
        groups = group_findings(decisive)
        rules = f" ({len(groups)} rules)" if 1 < len(groups) < len(decisive) else ""
        lines.append(
            f"{verdict} because of {len(decisive)} finding{'s' if len(decisive) > 1 else ''}"
            f"{rules}:"
        )
        lines += ["  - " + describe(g, caps.get(id(g.first))) for g in groups]
    shown = {id(f) for f in decisive}
    capped = [w.finding for w in weighed if w.capped_because and id(w.finding) not in shown]
    if capped:
        lines.append("Not decisive (capped):")
        lines += ["  - " + describe(g, caps.get(id(g.first))) for g in group_findings(capped)]
    return Decision(verdict=verdict, explanation=lines, weighed=weighed)


def describe(group: FindingGroup, capped_because: str | None = None) -> str:
    """One line per rule: regime, rule, citation, confidence, subjects, detail, any cap."""
    f = group.first
    text = f"[{f.regime}] {f.rule} — {f.citation} ({f.confidence}); {group.subjects}: "
    text += group.detail
    if capped_because:
        text += f" [{f.severity} → {f.outcome}: {capped_because}]"
    return text
