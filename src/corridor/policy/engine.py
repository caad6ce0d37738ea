"""The loaded policy: rules by id plus the data they read, and the questions screening asks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.errors import InputError
from corridor.policy.conditions import Context
from corridor.policy.findings import evaluate_findings
from corridor.policy.hs import HSCode, load_hs_nomenclature, validate_hs_code
from corridor.policy.schema import GoodsList, Port, RegimeInfo, Rule
from corridor.trade import REGIMES, Finding, Regime, RouteLeg, Trade


@dataclass(frozen=True, slots=True)
class NexusDecision:
    """Whether a regime reaches a party: ``binds`` | ``exposure`` | ``none``, and why."""

    value: str
    reasons: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class Policy:
    """Regimes, rules and lists, merged from the package data and any override files."""

    rules: dict[str, Rule]
    regimes: dict[str, RegimeInfo]
    country_groups: dict[str, list[str]]
    goods_lists: dict[str, GoodsList]
    ports: dict[str, Port]
    files: list[str] = field(default_factory=list)
    _groups: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False)
    _compiled: dict[str, list[tuple[Rule, Any]]] = field(default_factory=dict, repr=False)

    # -- lookups --------------------------------------------------------------------------

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise InputError(f"no rule {rule_id!r} in the policy", field="rule") from None

    def rules_of(self, type_: str, scope: str | None = None) -> list[Rule]:
        return [
            r
            for r in self.rules.values()
            if r.type == type_ and (scope is None or r.scope == scope)
        ]

    def compiled(self, type_: str) -> list[tuple[Rule, Any]]:
        """(rule, compiled condition) of one type, in file order; cached (hot path)."""
        found = self._compiled.get(type_)
        if found is None:
            found = [(r, r.condition) for r in self.rules_of(type_)]
            self._compiled[type_] = found
        return found

    def countries(self, spec: Sequence[str]) -> frozenset[str]:
        """Expand codes and ``@GROUP`` references into a set of lower-case ISO codes."""
        key = tuple(spec)
        cached = self._groups.get(key)
        if cached is not None:
            return cached
        out: set[str] = set()
        for item in spec:
            if item.startswith("@"):
                out |= self.countries(self.country_groups[item[1:]])
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
        country = (leg.country or "").lower()
        for port in self.ports.values():
            if country and port.country != country:
                continue
            for name in port.names():
                if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", place):
                    return port
        return None

    def goods_code(
        self, trade: Trade, index: int, *, cache: dict[Any, Any] | None = None
    ) -> HSCode:
        """The validated HS code of goods line ``index`` (errors name ``goods[i].hs_code``)."""
        key = ("hs", index)
        if cache is not None and key in cache:
            return cache[key]
        table = cache.get(("hs",)) if cache is not None else None
        if table is None:
            table = load_hs_nomenclature()
            if cache is not None:
                cache[("hs",)] = table
        code = validate_hs_code(
            trade.goods[index].hs_code, field=f"goods[{index}].hs_code", table=table
        )
        if cache is not None:
            cache[key] = code
        return code

    # -- the questions screening asks -----------------------------------------------------

    def party_nexus(
        self,
        trade: Trade,
        index: int,
        as_of: dt.date | None = None,
        *,
        _cache: dict[Any, Any] | None = None,
    ) -> dict[Regime, NexusDecision]:
        """For each regime, whether it binds party ``index``, exposes it, or neither (why)."""
        from corridor.policy.nexus import party_nexus

        return party_nexus(self, trade, index, _as_of(trade, as_of), cache=_cache)

    def party_findings(self, trade: Trade, as_of: dt.date | None = None) -> list[Finding]:
        """Findings about parties that follow from the trade itself (e.g. Art. 8a parents)."""
        return evaluate_findings(self, ("party",), Context(self, trade, _as_of(trade, as_of)))

    def goods_findings(self, trade: Trade, as_of: dt.date | None = None) -> list[Finding]:
        """Findings per goods line: CHPL, EU annexes, EAR; validates every HS code first."""
        from corridor.policy.goods import goods_findings

        return goods_findings(self, trade, _as_of(trade, as_of))

    def route_findings(self, trade: Trade, as_of: dt.date | None = None) -> list[Finding]:
        """Findings per route leg (transit, Iran legs, ports, flags) and for the whole route."""
        from corridor.policy.routes import route_findings

        return route_findings(self, trade, _as_of(trade, as_of))

    def findings(
        self, trade: Trade, as_of: dt.date | None = None, *, cache: dict[Any, Any] | None = None
    ) -> list[Finding]:
        """All policy findings for a trade: parties, goods, route (list hits are screening's).

        ``cache`` is the one :meth:`party_nexus` was given for the same trade and date, so the
        nexus decisions the finding rules read are not computed twice.
        """
        from corridor.policy.goods import validate_goods

        ctx = Context(
            self, trade, _as_of(trade, as_of), cache=cache if cache is not None else {}
        )  # nexus computed once
        validate_goods(self, ctx)
        return evaluate_findings(self, ("party", "goods", "leg", "leg_goods", "trade"), ctx)

    def suggestions(self, trade: Trade, as_of: dt.date | None = None) -> list[str]:
        """Compliant alternatives worth considering, e.g. the Middle Corridor around Russia."""
        from corridor.policy.routes import suggestions

        return suggestions(self, trade, _as_of(trade, as_of))

    def list_rules(
        self, dataset: str, topics: Sequence[str] = (), as_of: dt.date | None = None
    ) -> list[Rule]:
        """Every list rule a hit in ``dataset`` (with these topics/programs) falls under.

        ``un_sc_sanctions`` gives both the UN rule and Kazakhstan's implementing rule (KZ-2).
        A rule with ``params.fallback: true`` applies only when no other rule of its regime
        does.
        """
        tags = set(topics)
        out = []
        for rule in self.rules_of("list"):
            if as_of is not None and not rule.in_force(as_of):
                continue
            datasets = rule.params.get("datasets") or []
            wanted = rule.params.get("topics") or []
            if datasets and dataset not in datasets:
                continue
            if wanted and not tags.intersection(wanted):
                continue
            out.append(rule)
        # a rule marked ``fallback`` covers what no other rule of its regime says about the
        # dataset (the parts of the US Consolidated Screening List without a rule of their own)
        specific = {r.regime for r in out if not r.params.get("fallback")}
        out = [r for r in out if not (r.params.get("fallback") and r.regime in specific)]
        # topic-specific rules first (they say more), then by regime order
        out.sort(key=lambda r: (not r.params.get("topics"), REGIMES.index(r.regime)))
        return out

    def list_rule(
        self, dataset: str, topics: Sequence[str] = (), as_of: dt.date | None = None
    ) -> Rule:
        """Which rule (and so regime) a list hit falls under; topic rules win (secondary tag).

        Raises :class:`InputError` for a dataset no rule covers: add a ``type: list`` rule
        with ``params.datasets`` in a ``--policy`` file.
        """
        found = self.list_rules(dataset, topics, as_of)
        if not found:
            raise InputError(
                f"no list rule covers dataset {dataset!r}; add a rule of type "
                "'list' with params.datasets in a --policy file",
                field="dataset",
            )
        return found[0]

    def ownership_rule(self, regime: Regime, as_of: dt.date | None = None) -> Rule | None:
        """The regime's ownership test (params: threshold, inclusive, aggregate, control)."""
        for rule in self.rules_of("ownership"):
            if rule.regime == regime and (as_of is None or rule.in_force(as_of)):
                return rule
        return None


def _as_of(trade: Trade, as_of: dt.date | None) -> dt.date:
    return as_of or trade.date or dt.date.today()
