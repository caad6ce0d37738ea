"""Policy as data: regimes, nexus rules, goods lists and route rules, and their evaluation
on a trade as of a date.

>>> policy = load_policy()                        # package data + ``--policy`` files
>>> party_nexus(policy, trade, 0, as_of)["EU"].value
'binds'
>>> trade_findings(policy, trade, as_of)           # goods, route, party findings
"""

from corridor.policy.findings import suggestions, trade_findings
from corridor.policy.hs import HSCode, load_hs_nomenclature, validate_hs_code
from corridor.policy.loader import load_policy
from corridor.policy.model import Policy
from corridor.policy.nexus import NexusDecision, party_nexus
from corridor.policy.schema import GoodsList, OwnershipParams, Port, Rule

__all__ = [
    "GoodsList",
    "HSCode",
    "NexusDecision",
    "OwnershipParams",
    "Policy",
    "Port",
    "Rule",
    "load_hs_nomenclature",
    "load_policy",
    "party_nexus",
    "suggestions",
    "trade_findings",
    "validate_hs_code",
]
