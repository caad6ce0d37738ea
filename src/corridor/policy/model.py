"""The loaded policy: rules, regimes, country groups, goods lists and ports, and look-ups.

Built by :mod:`corridor.policy.loader` from the package data and any override files. It
answers questions about the data (which rules of a type, which countries a ``@GROUP`` holds,
which list rules a dataset falls under, which port a route leg names); evaluating a trade
is :mod:`corridor.policy.nexus`'s and :mod:`corridor.policy.findings`' business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from corridor.errors import InputError
from corridor.policy.conditions import Node
from corridor.policy.schema import (
    EntityList,
    GoodsList,
    GroupMember,
    Port,
    RegimeInfo,
    Rule,
    RuleType,
)
from corridor.trade import AUTHORITIES, Authority, Regime, RouteLeg


@dataclass
class Policy:
    """Regimes, rules and lists, merged from the package data and any override files.

    ``conditions`` holds each rule's compiled ``when`` by rule id (rules without one, list
    and ownership rules, have none).
    """

    rules: dict[str, Rule]
    regimes: dict[str, RegimeInfo]
    country_groups: dict[str, list[str | GroupMember]]
    goods_lists: dict[str, GoodsList]
    ports: dict[str, Port]
    conditions: Mapping[str, Node]
    entity_lists: dict[str, EntityList] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    _groups: dict[tuple[tuple[str, ...], dt.date | None], frozenset[str]] = field(
        default_factory=dict, repr=False
    )
    _compiled: dict[str, list[tuple[Rule, Node]]] = field(default_factory=dict, repr=False)

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise InputError(f"no rule {rule_id!r} in the policy", field="rule") from None

    def rules_of(self, type_: RuleType, scope: str | None = None) -> list[Rule]:
        return [
            r
            for r in self.rules.values()
            if r.type == type_ and (scope is None or r.scope == scope)
        ]

    def compiled(self, type_: RuleType) -> list[tuple[Rule, Node]]:
        """(rule, compiled condition) of one type, in file order; cached (hot path)."""
        found = self._compiled.get(type_)
        if found is None:
            found = [(r, self.conditions[r.id]) for r in self.rules_of(type_)]
            self._compiled[type_] = found
        return found

    def countries(self, spec: Sequence[str], as_of: dt.date | None = None) -> frozenset[str]:
        """Expand codes and ``@GROUP`` references into a set of lower-case ISO codes; a dated
        member counts on ``as_of`` only if it belonged then (``None``: whenever it did)."""
        key = (tuple(spec), as_of)
        cached = self._groups.get(key)
        if cached is not None:
            return cached
        out: set[str] = set()
        for item in spec:
            if item.startswith("@"):
                for member in self.country_groups[item[1:]]:
                    if isinstance(member, str):
                        out |= self.countries([member], as_of)
                    elif member.member_on(as_of):
                        out.add(member.country)
            else:
                out.add(item.lower())
        result = frozenset(out)
        self._groups[key] = result
        return result

    def port_at(self, leg: RouteLeg) -> Port | None:
        """The known port a leg's ``place`` names (any alias, whole words, any case) in the
        leg's country: "Bandar Abbas (Shahid Rajaee)" is Bandar Abbas; "Alatau" is not Alat."""
        if not leg.place:
            return None
        place = leg.place.casefold()
        for port in self.ports.values():
            if port.country != leg.country:
                continue
            for name in port.names():
                if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", place):
                    return port
        return None

    def list_rules(
        self, dataset: str, topics: Sequence[str] = (), as_of: dt.date | None = None
    ) -> list[Rule]:
        """Every list rule a hit in ``dataset`` (with these topics/programs) falls under,
        topic-specific rules first (they say more), then by authority order.

        ``un_sc_sanctions`` gives both the UN rule and Kazakhstan's implementing rule (KZ-2).
        A rule with ``params.fallback: true`` applies only when no other rule of its regime
        does (the parts of the US Consolidated Screening List without a rule of their own).
        """
        tags = set(topics)
        out = []
        for rule in self.rules_of("list"):
            if as_of is not None and not rule.in_force(as_of):
                continue
            covers = rule.listing
            if covers.datasets and dataset not in covers.datasets:
                continue
            if covers.topics and not tags.intersection(covers.topics):
                continue
            if not tags.issuperset(covers.with_topics) or tags.intersection(covers.exclude_topics):
                continue
            out.append(rule)
        specific = {r.regime for r in out if not r.listing.fallback}
        out = [r for r in out if not (r.listing.fallback and r.regime in specific)]
        out.sort(key=lambda r: (not r.listing.topics, AUTHORITIES.index(r.authority_id)))
        return out

    def ownership_rule(
        self, regime: Regime | Authority, as_of: dt.date | None = None
    ) -> Rule | None:
        """The ownership test of a regime or authority (``US``, ``US-OFAC``), if in force."""
        for rule in self.rules_of("ownership"):
            if regime in (rule.regime, rule.authority_id) and (
                as_of is None or rule.in_force(as_of)
            ):
                return rule
        return None
