"""Rule conditions: a small declarative tree of named predicates, compiled once, never eval'd.

Grammar (YAML)::

    when:
      all:                                  # also: any, not
        - {test: party_country_in, countries: ["@EU27"]}
        - any_goods:                        # also: any_leg, any_party
            {test: goods_in_list, lists: [eu_annex_xl]}

A test is a function of a :class:`~corridor.policy.context.Context` and its parameters that
returns :class:`~corridor.policy.context.Evidence` (why it holds) or ``None``; the registry
(:mod:`corridor.policy.registry`) says which functions are tests. Compilation checks test
names, parameters and that every test has the subject it needs (a party, a goods line, a
route leg) so that errors surface at load time with the rule id, not half-way through a
screening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from corridor.policy.context import Context, Evidence, PredicateSpec
from corridor.trade import ROLES

# -- compiled nodes ---------------------------------------------------------------------


class Node:
    def evaluate(self, ctx: Context) -> Evidence | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def tests(self) -> list[Test]:
        return []


@dataclass(frozen=True)
class Test(Node):
    name: str
    params: dict[str, Any]
    spec: PredicateSpec

    def evaluate(self, ctx: Context) -> Evidence | None:
        # A test reads the trade, the date and only the subject it needs, so its answer is
        # kept per trade: route-leg x goods-line rules would otherwise repeat each goods
        # test once per leg, and trade-wide tests once per subject.
        subject = None if self.spec.needs is None else getattr(ctx, self.spec.needs)
        key = (id(self), ctx.as_of, subject)
        try:
            return ctx.cache[key]
        except KeyError:
            found = ctx.cache[key] = self.spec.fn(ctx, **self.params)
            return found

    def tests(self) -> list[Test]:
        return [self]


@dataclass(frozen=True)
class All(Node):
    children: tuple[Node, ...]

    def evaluate(self, ctx: Context) -> Evidence | None:
        found = []
        for child in self.children:
            ev = child.evaluate(ctx)
            if ev is None:
                return None
            found.append(ev)
        return Evidence.join(found)

    def tests(self) -> list[Test]:
        return [t for c in self.children for t in c.tests()]


@dataclass(frozen=True)
class AnyOf(Node):
    children: tuple[Node, ...]

    def evaluate(self, ctx: Context) -> Evidence | None:
        for child in self.children:
            ev = child.evaluate(ctx)
            if ev is not None:
                return ev
        return None

    def tests(self) -> list[Test]:
        return [t for c in self.children for t in c.tests()]


@dataclass(frozen=True)
class Not(Node):
    child: Node

    def evaluate(self, ctx: Context) -> Evidence | None:
        return None if self.child.evaluate(ctx) is not None else Evidence()

    def tests(self) -> list[Test]:
        return self.child.tests()


@dataclass(frozen=True)
class Quantified(Node):
    """``any_goods`` / ``any_leg`` / ``any_party``: true if the child holds for one of them."""

    over: str
    child: Node

    def evaluate(self, ctx: Context) -> Evidence | None:
        items = {"goods": ctx.trade.goods, "leg": ctx.trade.route, "party": ctx.trade.parties}
        for i in range(len(items[self.over])):
            ev = self.child.evaluate(ctx.bind(**{self.over: i}))
            if ev is not None:
                return ev
        return None

    def tests(self) -> list[Test]:
        return self.child.tests()


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return value


def _roles(value: Any) -> list[str]:
    allowed = set(ROLES)
    bad = [v for v in _str_list(value) if v not in allowed]
    if bad:
        raise ValueError(f"unknown role(s) {bad}; use {sorted(allowed)}")
    return value


def _digits(value: Any) -> list[str]:
    values = [str(v) for v in value] if isinstance(value, list) else None
    if not values or not all(v.isdigit() for v in values):
        raise ValueError("expected a list of HS code prefixes (digits, quoted)")
    return values


def _categories(value: Any) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and 0 <= v <= 9 for v in value):
        raise ValueError("expected a list of CCL categories 0-9")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


#: How each parameter name is checked (and normalised) when a condition is compiled.
PARAM_CHECKS: dict[str, Callable[[Any], Any]] = {
    "countries": _str_list,
    "e1_countries": _str_list,
    "lists": _str_list,
    "ports": _str_list,
    "schemata": _str_list,
    "currencies": _str_list,
    "tiers": _str_list,
    "regime": str,
    "authority": str,
    "programs": _str_list,
    "entity_lists": _str_list,
    "roles": _roles,
    "prefixes": _digits,
    "categories": _categories,
    "date": _date,
    "threshold": _number,
    "e1_threshold": _number,
    "transit_only": _bool,
    "if_missing": _bool,
}

_QUANTIFIERS = {"any_goods": "goods", "any_leg": "leg", "any_party": "party"}
SCOPE_SUBJECTS: dict[str, frozenset[str]] = {
    "party": frozenset({"party"}),
    "goods": frozenset({"goods"}),
    "leg": frozenset({"leg"}),
    "leg_goods": frozenset({"leg", "goods"}),
    "trade": frozenset(),
}


class ConditionError(ValueError):
    """A condition is malformed; ``path`` says where inside ``when``."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def compile_condition(
    raw: Any,
    bound: frozenset[str],
    tests: Mapping[str, PredicateSpec],
    *,
    allow_finding_only: bool = True,
    path: str = "when",
) -> Node:
    """Turn the YAML tree into nodes, checking names, parameters and available subjects."""
    if not isinstance(raw, dict) or len(raw) == 0:
        raise ConditionError(
            "expected a mapping with 'test', 'all', 'any', 'not' or a "
            "quantifier (any_goods, any_leg, any_party)",
            path,
        )
    if "test" in raw:
        name = raw["test"]
        spec = tests.get(name)
        if spec is None:
            raise ConditionError(
                f"unknown test {name!r}; known: {', '.join(sorted(tests))}", f"{path}.test"
            )
        params = {k: v for k, v in raw.items() if k != "test"}
        unknown = set(params) - set(spec.params)
        if unknown:
            raise ConditionError(
                f"test {name} has no parameter(s) {sorted(unknown)}; "
                f"it takes {sorted(spec.params)}",
                path,
            )
        missing = [p for p, required in spec.params.items() if required and p not in params]
        if missing:
            raise ConditionError(f"test {name} needs parameter(s) {missing}", path)
        if spec.needs and spec.needs not in bound:
            raise ConditionError(
                f"test {name} needs a {spec.needs}: use it in a rule of scope "
                f"{spec.needs} or inside any_{spec.needs}",
                path,
            )
        for key, value in list(params.items()):
            check = PARAM_CHECKS.get(key)
            if check is not None:
                try:
                    params[key] = check(value)
                except ValueError as exc:
                    raise ConditionError(f"test {name}, parameter {key}: {exc}", path) from None
        if spec.finding_only and not allow_finding_only:
            raise ConditionError(
                f"test {name} reads nexus decisions and cannot be used in a nexus rule", path
            )
        return Test(name, params, spec)
    if len(raw) != 1:
        raise ConditionError(f"one operator per mapping, got {sorted(raw)}", path)
    ((op, value),) = raw.items()
    sub = f"{path}.{op}"
    if op in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{op}' takes a non-empty list", sub)
        children = tuple(
            compile_condition(
                v, bound, tests, allow_finding_only=allow_finding_only, path=f"{sub}[{i}]"
            )
            for i, v in enumerate(value)
        )
        return All(children) if op == "all" else AnyOf(children)
    if op == "not":
        return Not(
            compile_condition(value, bound, tests, allow_finding_only=allow_finding_only, path=sub)
        )
    if op in _QUANTIFIERS:
        over = _QUANTIFIERS[op]
        child = compile_condition(
            value, bound | {over}, tests, allow_finding_only=allow_finding_only, path=sub
        )
        return Quantified(over, child)
    raise ConditionError(f"unknown operator {op!r}", sub)
