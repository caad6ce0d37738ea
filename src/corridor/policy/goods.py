"""Goods: validate every declared HS code, then test the goods rules line by line.

Which lists a code is on (CHPL tiers, EU annexes, US Part 746 supplements) is data
(``data/goods/lists.yaml``); what follows from it (Art. 12g clause, EAR licence, diversion
red flag, prohibition for EU-bound parties) is in the rules, so both can be overridden.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corridor.policy.conditions import Context
from corridor.policy.findings import evaluate_findings
from corridor.policy.hs import HSCode, validate_hs_code
from corridor.trade import Finding, Trade

if TYPE_CHECKING:
    from corridor.policy.engine import Policy


def validate_goods(policy: Policy, ctx: Context) -> list[HSCode]:
    """Every goods line's code, validated up front so the first bad line is reported by field."""
    return [policy.goods_code(ctx.trade, i, cache=ctx.cache) for i in range(len(ctx.trade.goods))]


def goods_findings(policy: Policy, trade: Trade, as_of: dt.date) -> list[Finding]:
    """Findings of the rules of scope ``goods`` for each goods line."""
    ctx = Context(policy, trade, as_of)
    validate_goods(policy, ctx)
    return evaluate_findings(policy, ("goods",), ctx)


def lists_for_code(policy: Policy, code: str) -> list[tuple[str, str | None]]:
    """(goods list id, tier) for every list whose entry covers ``code`` (for reports)."""
    digits = validate_hs_code(code).code
    out = []
    for glist in policy.goods_lists.values():
        for entry in glist.entries:
            if digits.startswith(entry.code):
                out.append((glist.id, entry.tier))
                break
    return out
