"""Policy as data: regimes, nexus rules, goods lists and route rules, and the engine that
applies them to a trade as of a date.

>>> policy = load_policy()                        # package data + ``--policy`` files
>>> policy.party_nexus(trade, 0, as_of)["EU"].value
'binds'
"""

from corridor.policy.engine import NexusDecision, Policy
from corridor.policy.hs import HSCode, load_hs_nomenclature, validate_hs_code
from corridor.policy.loader import load_policy
from corridor.policy.schema import GoodsList, Port, Rule

__all__ = [
    "GoodsList",
    "HSCode",
    "NexusDecision",
    "Policy",
    "Port",
    "Rule",
    "load_hs_nomenclature",
    "load_policy",
    "validate_hs_code",
]
