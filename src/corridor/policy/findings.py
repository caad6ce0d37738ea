"""What follows from a trade under the policy: findings of the finding rules, and suggestions.

Every in-force finding rule is tested on each subject of its scope (each party, goods line,
route leg, leg × goods line, or the trade); each rule that holds gives one finding citing
it. List hits and ownership are screening's: they need the lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from corridor.policy.context import Context, Evidence, Listed
from corridor.policy.model import Policy
from corridor.policy.schema import Rule, Scope
from corridor.trade import (
    SEVERITY_VERDICT,
    Confidence,
    Finding,
    FindingKind,
    Severity,
    Trade,
    party_subject,
    weakest,
)

#: The order findings are evaluated (and so listed in) per trade.
SCOPES: tuple[Scope, ...] = ("party", "goods", "leg", "leg_goods", "trade")


def trade_findings(
    policy: Policy,
    trade: Trade,
    as_of: dt.date | None = None,
    *,
    cache: dict[Any, Any] | None = None,
    listed: Sequence[Listed] = (),
) -> list[Finding]:
    """Every finding of the finding rules for a trade (parties, goods, route, trade).

    Validates every goods line's HS code first, so the first bad line is the error.
    ``cache`` is the one :func:`~corridor.policy.nexus.party_nexus` was given for the same
    trade and date, so the nexus decisions some rules read are not made twice; ``listed`` is
    what screening found on the lists.
    """
    ctx = Context(
        policy,
        trade,
        trade.judged_on(as_of),
        cache=cache if cache is not None else {},
        listed=tuple(listed),
    )
    ctx.validate_goods()
    return evaluate_findings(ctx, SCOPES)


def suggestions(policy: Policy, trade: Trade, as_of: dt.date | None = None) -> list[str]:
    """Compliant alternatives worth considering (the Middle Corridor around Russia …), each
    ending with its rule id."""
    ctx = Context(policy, trade, trade.judged_on(as_of))
    return [
        f"{rule.text} [{rule.id}]"
        for rule, condition in policy.compiled("suggestion")
        if rule.in_force(ctx.as_of) and condition.evaluate(ctx) is not None
    ]


def subjects(scope: Scope, trade: Trade) -> Iterator[tuple[str, dict[str, int]]]:
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


def evaluate_findings(ctx: Context, scopes: Iterable[Scope]) -> list[Finding]:
    """Every in-force finding rule of these scopes (in the order given), tested on each of
    its subjects."""
    rules = ctx.policy.compiled("finding")
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
    """A finding of a finding rule that holds; ``unsure`` ones are capped at ``risk`` and say
    "(unsure)".

    The confidence is the weaker of the rule's and the data's (a partial or uncertain goods
    list, an 'ex' entry, a code declared less precisely than the list entry).
    """
    assert rule.kind is not None  # the schema requires a kind on finding rules
    confidence = weakest(rule.confidence, evidence.confidence)
    severity = rule.severity
    detail = rule.title + (f": {evidence.text}" if evidence.text else "")
    if rule.note:
        detail += f". {rule.note}"
    if confidence == "unsure":
        if severity in ("prohibited", "license"):
            severity = "risk"
        detail += " (unsure)"
    return rule_finding(rule, rule.kind, subject, severity, detail, confidence)


def rule_finding(
    rule: Rule,
    kind: FindingKind,
    subject: str,
    severity: Severity,
    detail: str,
    confidence: Confidence | None = None,
) -> Finding:
    """The one way a finding is made: under its rule's regime, citing the rule, as sure as
    the rule (or less). ``outcome`` is what it would count for in a verdict if its regime
    binds a party; the verdict lowers it where the regime binds nobody (exposure)."""
    return Finding(
        kind=kind,
        regime=rule.regime,
        authority=rule.authority_id,
        severity=severity,
        rule=rule.id,
        citation=rule.citation,
        confidence=confidence or rule.confidence,
        subject=subject,
        detail=detail,
        outcome=SEVERITY_VERDICT[severity],
    )
