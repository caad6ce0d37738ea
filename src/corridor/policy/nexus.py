"""Which regimes reach a party of a trade, as of a date, and why.

A regime **binds** a party only through a nexus (nationality or incorporation, place of
business, territory of the transaction, currency clearing, the goods themselves under the
EAR); otherwise it may only **expose** the party (designation, secondary sanctions, loss of
correspondent banking). Each decision carries the rules that produced it and a reason per
rule (``rule id: title — evidence [citation; confidence]``). A ``binds`` from a rule whose
confidence is ``unsure`` is reported as ``exposure``: an uncertain rule never binds.
Rules with outcome ``none`` only explain why a regime does not reach the party (e.g. KZ-4:
Kazakhstan does not treat unilateral regimes as law); they never override a nexus.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from corridor.policy.conditions import Context
from corridor.trade import REGIMES, Regime, Trade, weakest

if TYPE_CHECKING:
    from corridor.policy.engine import NexusDecision, Policy


def party_nexus(
    policy: Policy, trade: Trade, index: int, as_of: dt.date, cache: dict[Any, Any] | None = None
) -> dict[Regime, NexusDecision]:
    """Decide binds / exposure / none for party ``index`` under each of UN US EU UK KZ."""
    from corridor.policy.engine import NexusDecision

    if not 0 <= index < len(trade.parties):
        raise IndexError(f"trade has no party {index}")
    cache = cache if cache is not None else {}
    key = ("nexus", index, as_of)
    if key in cache:
        return cache[key]
    ctx = Context(policy, trade, as_of, party=index, cache=cache)
    fired: dict[str, dict[str, list[tuple[str, str]]]] = {
        r: {"binds": [], "exposure": [], "none": []} for r in REGIMES
    }
    for rule, condition in policy.compiled("nexus"):
        if not rule.in_force(as_of):
            continue
        ev = condition.evaluate(ctx)
        if ev is None:
            continue
        confidence = weakest(rule.confidence, ev.confidence)
        outcome = rule.outcome
        note = ""
        if outcome == "binds" and confidence == "unsure":
            outcome, note = "exposure", " (unsure: reported as exposure)"
        evidence = f" — {ev.text}" if ev.text else ""
        reason = f"{rule.id}: {rule.title}{evidence}{note} [{rule.citation}; {confidence}]"
        regimes = (rule.targets or [rule.regime]) if outcome == "none" else [rule.regime]
        for regime in regimes:
            fired[regime][outcome].append((rule.id, reason))
    out: dict[Regime, NexusDecision] = {}
    for regime in REGIMES:
        by = fired[regime]
        value = "binds" if by["binds"] else "exposure" if by["exposure"] else "none"
        chosen = list(by[value])
        if value == "binds":  # a binding regime may expose the party further (EO 14114 …)
            chosen += [(rid, f"also exposure: {r}") for rid, r in by["exposure"]]
        out[regime] = NexusDecision(
            value=value,
            reasons=[r for _, r in chosen],
            rules=list(dict.fromkeys(rid for rid, _ in chosen)),
        )
    cache[key] = out
    return out
