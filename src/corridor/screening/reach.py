"""Whether the law a finding cites reaches this trade, and what the finding's severity is then.

A prohibition or licence requirement binds only the persons its authority has jurisdiction
over: OFAC's programs reach US persons (and those who cause them to violate), the EAR reach
whoever holds an item subject to them, the EU and UK their nationals, companies and territory.
Where the finding's authority binds no party of the trade, the finding is exposure (the risk
of designation, of losing banking access), so its severity is ``risk``, and it says why. The
verdict then weighs every finding alike.
"""

from __future__ import annotations

from collections.abc import Mapping

from corridor.policy.schema import Rule
from corridor.trade import Authority, Finding, Severity

#: Authority id → the parties (``#index role name``) it binds.
Binding = Mapping[str, list[str]]


def dealing(
    rule: Rule, binding: Binding, *, owned: bool = False, what: str = "party"
) -> tuple[Severity, str]:
    """Severity of dealing with a listed party/vessel, and the sentence that says why: the
    rule's outcome where its authority binds a party of the trade, otherwise exposure."""
    thing = "a listed vessel" if what == "vessel" else "a listed person"
    if owned:
        thing = "an entity treated as listed through its owners"
    authority = rule.authority_id
    severity = rule.severity
    if severity in ("risk", "info"):
        return severity, f"{rule.id} flags exposure rather than a prohibition ({severity})."
    if authority in binding:
        who = ", ".join(binding[authority])
        verb = "is prohibited" if severity == "prohibited" else "needs a licence"
        return severity, f"{authority} binds {who}: dealing with {thing} {verb}."
    return "risk", (
        f"{authority} binds no party of this trade: exposure only (designation or loss of "
        f"banking access for dealing with {thing}), raises the verdict to REVIEW at most."
    )


def reach(finding: Finding, binding: Binding) -> Finding:
    """A policy finding as the law reaches this trade: a prohibition or licence requirement
    whose authority binds no party becomes ``risk`` and says so."""
    if finding.severity not in ("prohibited", "license") or finding.authority in binding:
        return finding
    return finding.model_copy(
        update={
            "severity": "risk",
            "outcome": "REVIEW",
            "detail": f"{finding.detail} [{_unreached(finding.authority, finding.severity)}]",
        }
    )


def _unreached(authority: Authority, severity: Severity) -> str:
    what = "prohibited" if severity == "prohibited" else "subject to a licence"
    return (
        f"{authority} binds no party of this trade: {what} only for those it binds, so "
        "exposure only here, at most REVIEW"
    )
