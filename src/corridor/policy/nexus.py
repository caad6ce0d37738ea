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
from dataclasses import dataclass, field
from typing import Any

from corridor.policy.context import Context
from corridor.policy.model import Policy
from corridor.trade import REGIMES, Nexus, Regime, Trade, weakest


@dataclass(frozen=True, slots=True)
class NexusDecision:
    """Whether a regime reaches a party: ``binds`` | ``exposure`` | ``none``, and why."""

    value: Nexus
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def party_nexus(
    policy: Policy,
    trade: Trade,
    index: int,
    as_of: dt.date | None = None,
    *,
    cache: dict[Any, Any] | None = None,
) -> dict[Regime, NexusDecision]:
    """Decide binds / exposure / none for party ``index`` under each of UN US EU UK KZ.

    ``as_of`` defaults to the trade's date; ``cache`` is the trade's evaluation cache when
    the caller evaluates more (findings read these decisions, so they are made once).
    """
    if not 0 <= index < len(trade.parties):
        raise IndexError(f"trade has no party {index}")
    when = trade.judged_on(as_of)
    cache = cache if cache is not None else {}
    key = ("nexus", index, when)
    cached = cache.get(key)
    if cached is not None:
        return cached
    ctx = Context(policy, trade, when, party=index, cache=cache)
    fired: dict[Regime, dict[Nexus, list[tuple[str, str]]]] = {
        r: {"binds": [], "exposure": [], "none": []} for r in REGIMES
    }
    for rule, condition in policy.compiled("nexus"):
        if not rule.in_force(when):
            continue
        ev = condition.evaluate(ctx)
        if ev is None:
            continue
        confidence = weakest(rule.confidence, ev.confidence)
        outcome = rule.nexus
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
        value: Nexus = "binds" if by["binds"] else "exposure" if by["exposure"] else "none"
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
