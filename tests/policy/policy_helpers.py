"""Compact trade builders for the policy tests (real Trade models, real package policy)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from corridor.policy import Policy, party_nexus, suggestions, trade_findings
from corridor.policy.context import Listed
from corridor.trade import Trade


def party(spec: str | dict[str, Any]) -> dict[str, Any]:
    """``"exporter:de"`` → a party dict; dicts pass through (a name is added if missing)."""
    if isinstance(spec, dict):
        return {"name": f"{spec['role']} co", **spec}
    role, _, country = spec.partition(":")
    return {"role": role, "name": f"{role} co", "country": country or None}


def goods(spec: str | dict[str, Any]) -> dict[str, Any]:
    """``"854231:us"`` → HS code and origin; dicts pass through."""
    if isinstance(spec, dict):
        return spec
    code, _, origin = spec.partition(":")
    return {"hs_code": code, "origin": origin or None}


def trade(
    parties: list[Any], goods_lines: list[Any] = (), route: str | list[Any] = "", **extra: Any
) -> Trade:
    """A validated Trade; ``route`` is ``"de pl by ru kz"`` or a list of leg dicts/codes."""
    legs = route.split() if isinstance(route, str) else route
    return Trade.model_validate(
        {
            "parties": [party(p) for p in parties],
            "goods": [goods(g) for g in goods_lines],
            "route": [leg if isinstance(leg, dict) else {"country": leg} for leg in legs],
            **extra,
        }
    )


def sdn(party: int | None = 1, *programs: str, authority: str = "US-OFAC") -> Listed:
    """What screening reports for a party found on the SDN list under these programs."""
    return Listed(
        subject=f"party #{party}",
        party=party,
        authority=authority,  # type: ignore[arg-type]
        rule="US-L-sdn",
        severity="prohibited",
        tags=frozenset(programs or ("RUSSIA-EO14024",)),
    )


def fired(
    policy: Policy, rule_id: str, t: Trade, as_of: dt.date, listed: tuple[Listed, ...] = ()
) -> bool:
    """Whether a rule is cited by a nexus decision, a finding or a suggestion of the trade
    (``listed``: what screening found on the lists)."""
    rule = policy.rule(rule_id)
    if rule.type == "nexus":
        return any(
            rule_id in decision.rules
            for i in range(len(t.parties))
            for decision in party_nexus(policy, t, i, as_of, listed=listed).values()
        )
    if rule.type == "finding":
        return any(f.rule == rule_id for f in trade_findings(policy, t, as_of, listed=listed))
    if rule.type == "suggestion":
        return any(s.endswith(f"[{rule_id}]") for s in suggestions(policy, t, as_of))
    raise AssertionError(f"{rule_id} is a {rule.type} rule: test it with list/ownership cases")
