"""Turn rules that fire into findings: one per subject, citing the rule, capped when unsure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from corridor.policy.conditions import Context, Evidence
from corridor.policy.schema import Rule
from corridor.trade import SEVERITY_VERDICT, Finding, Trade, party_subject, weakest

if TYPE_CHECKING:
    from corridor.policy.engine import Policy


def subjects(scope: str, trade: Trade) -> Iterator[tuple[str, dict[str, int]]]:
    """(subject label, bound indices) for each thing a rule of this scope is tested on."""
    if scope == "party":
        for i, p in enumerate(trade.parties):
            yield party_subject(i, p.role, p.name), {"party": i}
    elif scope == "goods":
        for i in range(len(trade.goods)):
            yield f"goods line {i}", {"goods": i}
    elif scope == "leg":
        for i in range(len(trade.route)):
            yield f"route leg {i}", {"leg": i}
    elif scope == "leg_goods":
        for i in range(len(trade.route)):
            for j in range(len(trade.goods)):
                yield f"route leg {i}, goods line {j}", {"leg": i, "goods": j}
    else:
        yield "trade", {}


def evaluate_findings(policy: Policy, scopes: Iterable[str], ctx: Context) -> list[Finding]:
    """Every in-force finding rule of these scopes (in the order given), tested on each of
    its subjects."""
    rules = policy.compiled("finding")
    out: list[Finding] = []
    for scope in dict.fromkeys(scopes):
        for rule, condition in rules:
            if rule.scope != scope or not rule.in_force(ctx.as_of):
                continue
            for subject, bound in subjects(scope, ctx.trade):
                ev = condition.evaluate(ctx.bind(**bound))
                if ev is not None:
                    out.append(make_finding(rule, subject, ev))
    return out


def make_finding(rule: Rule, subject: str, evidence: Evidence) -> Finding:
    """A finding citing its rule; ``unsure`` ones are capped at ``risk`` and say "(unsure)".

    The confidence is the weaker of the rule's and the data's (a partial or uncertain goods
    list, an 'ex' entry, a code declared less precisely than the list entry). ``outcome`` is
    what the finding would count for in a verdict if its regime binds a party; screening
    lowers it where the regime binds nobody (exposure).
    """
    confidence = weakest(rule.confidence, evidence.confidence)
    severity = rule.outcome
    detail = rule.title + (f": {evidence.text}" if evidence.text else "")
    if rule.note:
        detail += f". {rule.note}"
    if confidence == "unsure":
        if severity in ("prohibited", "license"):
            severity = "risk"
        detail += " (unsure)"
    return Finding(
        kind=rule.kind,
        regime=rule.regime,
        severity=severity,
        rule=rule.id,
        citation=rule.citation,
        confidence=confidence,
        subject=subject,
        detail=detail,
        outcome=SEVERITY_VERDICT[severity],
    )
