"""Route: transit bans, Iran legs, ports and flags, and compliant alternatives.

Vessel *list* matching (a blocked IMO number) belongs to screening, which holds the lists;
here are the rules that follow from where the goods go and how.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corridor.policy.conditions import Context
from corridor.policy.findings import evaluate_findings
from corridor.policy.goods import validate_goods
from corridor.trade import Finding, Trade

if TYPE_CHECKING:
    from corridor.policy.engine import Policy

ROUTE_SCOPES = ("leg", "leg_goods", "trade")


def route_findings(policy: Policy, trade: Trade, as_of: dt.date) -> list[Finding]:
    """Findings of the rules of scope ``leg``, ``leg_goods`` and ``trade``."""
    ctx = Context(policy, trade, as_of)
    validate_goods(policy, ctx)
    return evaluate_findings(policy, ROUTE_SCOPES, ctx)


def suggestions(policy: Policy, trade: Trade, as_of: dt.date) -> list[str]:
    """Texts of the suggestion rules that fire, each ending with its rule id."""
    ctx = Context(policy, trade, as_of)
    out = []
    for rule in policy.rules_of("suggestion"):
        if rule.in_force(as_of) and rule.condition.evaluate(ctx) is not None:
            out.append(f"{rule.text} [{rule.id}]")
    return out
