"""Which authorities, and so which regimes, reach a party of a trade, as of a date, and why.

An authority **binds** a party only through a nexus: nationality or incorporation, place of
business, territory of the transaction, currency clearing where a blocked person or an
embargoed country is involved (OFAC), the goods themselves (the EAR reach the item subject to
them, whoever exports it). Otherwise it may only **expose** the party (designation, secondary
sanctions, loss of correspondent banking). Each decision carries the rules that produced it
and a reason per rule (``rule id: title — evidence [citation; confidence]``). A ``binds``
from a rule whose confidence is ``unsure`` is reported as ``exposure``: an uncertain rule
never binds. Rules with outcome ``none`` only explain why an authority does not reach the
party (e.g. KZ-4: Kazakhstan does not treat unilateral regimes as law); they never override
a nexus.

A regime's decision is its authorities' strongest: the US binds a party if OFAC or the EAR
does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.policy.context import Context, Listed
from corridor.policy.model import Policy
from corridor.trade import (
    AUTHORITIES,
    AUTHORITY_REGIME,
    REGIMES,
    Authority,
    Nexus,
    Regime,
    Trade,
    weakest,
)

_STRENGTH: dict[Nexus, int] = {"none": 0, "exposure": 1, "binds": 2}


@dataclass(frozen=True, slots=True)
class NexusDecision:
    """Whether an authority or regime reaches a party: ``binds`` | ``exposure`` | ``none``,
    and why."""

    value: Nexus
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def authority_nexus(
    policy: Policy,
    trade: Trade,
    index: int,
    as_of: dt.date | None = None,
    *,
    cache: dict[Any, Any] | None = None,
    listed: Sequence[Listed] = (),
) -> dict[Authority, NexusDecision]:
    """Decide binds / exposure / none for party ``index`` under each authority.

    ``as_of`` defaults to the trade's date; ``cache`` is the trade's evaluation cache when
    the caller evaluates more (findings read these decisions, so they are made once);
    ``listed`` is what screening found on the lists (some nexus rules turn on it).
    """
    if not 0 <= index < len(trade.parties):
        raise IndexError(f"trade has no party {index}")
    when = trade.judged_on(as_of)
    cache = cache if cache is not None else {}
    key = ("nexus", index, when)
    cached = cache.get(key)
    if cached is not None:
        return cached
    ctx = Context(policy, trade, when, party=index, cache=cache, listed=tuple(listed))
    fired: dict[Authority, dict[Nexus, list[tuple[str, str]]]] = {
        a: {"binds": [], "exposure": [], "none": []} for a in AUTHORITIES
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
        for authority in _reached(rule.authority_id, rule.targets, outcome):
            fired[authority][outcome].append((rule.id, reason))
    out = {authority: _decision(fired[authority]) for authority in AUTHORITIES}
    cache[key] = out
    return out


def party_nexus(
    policy: Policy,
    trade: Trade,
    index: int,
    as_of: dt.date | None = None,
    *,
    cache: dict[Any, Any] | None = None,
    listed: Sequence[Listed] = (),
) -> dict[Regime, NexusDecision]:
    """Decide binds / exposure / none for party ``index`` under each of UN US EU UK KZ: the
    strongest decision of the regime's authorities, with their reasons."""
    by_authority = authority_nexus(policy, trade, index, as_of, cache=cache, listed=listed)
    return {regime: regime_decision(regime, by_authority) for regime in REGIMES}


def regime_decision(regime: Regime, by_authority: dict[Authority, NexusDecision]) -> NexusDecision:
    """A regime's decision: its authorities' strongest value; the reasons of those that
    reach that far (an authority that only exposes the party adds "also exposure")."""
    own = [by_authority[a] for a in AUTHORITIES if AUTHORITY_REGIME[a] == regime]
    value = max((d.value for d in own), key=_STRENGTH.__getitem__)
    reasons: list[str] = []
    rules: list[str] = []
    for decision in own:
        if decision.value == value:
            reasons += decision.reasons
            rules += decision.rules
        elif value == "binds" and decision.value == "exposure":
            reasons += [f"also exposure: {r}" for r in decision.reasons]
            rules += decision.rules
    return NexusDecision(
        value=value, reasons=list(dict.fromkeys(reasons)), rules=list(dict.fromkeys(rules))
    )


def _reached(own: Authority, targets: Sequence[Regime], outcome: Nexus) -> list[Authority]:
    """The authorities a rule speaks for: its own, or for an explaining ``none`` rule the
    authorities of the regimes it names."""
    if outcome == "none" and targets:
        return [a for a in AUTHORITIES if AUTHORITY_REGIME[a] in targets]
    return [own]


def _decision(by: dict[Nexus, list[tuple[str, str]]]) -> NexusDecision:
    value: Nexus = "binds" if by["binds"] else "exposure" if by["exposure"] else "none"
    chosen = list(by[value])
    if value == "binds":  # a binding authority may expose the party further (EO 14114 …)
        chosen += [(rid, f"also exposure: {r}") for rid, r in by["exposure"]]
    return NexusDecision(
        value=value,
        reasons=[r for _, r in chosen],
        rules=list(dict.fromkeys(rid for rid, _ in chosen)),
    )
