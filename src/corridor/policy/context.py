"""What a rule's condition is evaluated on, what a test answers, and how a test is declared.

A test (a *predicate*) is a short function of a :class:`Context` and its parameters that
returns :class:`Evidence` (why it holds) or ``None``. :func:`predicate` declares which subject
a test reads (a party, a goods line, a route leg, or the whole trade); it only marks the
function. Which functions are tests is said in one place, :mod:`corridor.policy.registry`.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from corridor.policy.hs import HSCode, load_hs_nomenclature, validate_hs_code
from corridor.trade import Authority, Confidence, Severity, Trade, weakest

if TYPE_CHECKING:  # the loaded policy is what a context reads; it never evaluates one
    from corridor.policy.model import Policy

#: The subject a test reads; ``None`` reads only the trade as a whole.
Subject = Literal["party", "goods", "leg"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a condition holds, in words, and how sure the underlying data is."""

    text: str = ""
    confidence: Confidence | None = None

    @staticmethod
    def join(parts: list[Evidence]) -> Evidence:
        texts = [p.text for p in parts if p.text]
        return Evidence("; ".join(dict.fromkeys(texts)), weakest(*(p.confidence for p in parts)))


@dataclass(frozen=True, slots=True)
class Listed:
    """A party, owner or vessel of the trade found on a list, as screening tells the policy.

    Some rules turn on who is listed: a USD payment reaches OFAC's jurisdiction only where a
    blocked person is involved, and EO 14114 exposes a bank through EO 14024 designations.
    ``rule`` is the list (or ownership) rule the entry falls under, ``tags`` the entry's
    programs and topics.
    """

    subject: str
    party: int | None  # the party it is, or owns a stake in; None for a vessel
    authority: Authority
    rule: str
    severity: Severity
    tags: frozenset[str] = frozenset()


@dataclass(slots=True)
class Context:
    """A trade, a date and the subject being tested, with a per-trade cache.

    The cache keeps what several rules ask of one trade: each test's answer per subject,
    each party's nexus decisions, each goods line's validated HS code.
    """

    policy: Policy
    trade: Trade
    as_of: dt.date
    party: int | None = None
    goods: int | None = None
    leg: int | None = None
    cache: dict[Any, Any] = field(default_factory=dict)
    listed: tuple[Listed, ...] = ()

    def bind(
        self, party: int | None = None, goods: int | None = None, leg: int | None = None
    ) -> Context:
        """The same trade and date with these subjects bound (the others kept)."""
        return Context(
            self.policy,
            self.trade,
            self.as_of,
            self.party if party is None else party,
            self.goods if goods is None else goods,
            self.leg if leg is None else leg,
            self.cache,
            self.listed,
        )

    def hs_code(self, index: int | None = None) -> HSCode:
        """Goods line ``index``'s code (default: the bound line), validated against the HS
        nomenclature once per trade; the error names ``goods[i].hs_code``."""
        i = self.goods if index is None else index
        assert i is not None
        key = ("hs", i)
        found = self.cache.get(key)
        if found is None:
            table = self.cache.get(("hs",))
            if table is None:
                table = self.cache[("hs",)] = load_hs_nomenclature()
            found = self.cache[key] = validate_hs_code(
                self.trade.goods[i].hs_code, field=f"goods[{i}].hs_code", table=table
            )
        return found

    def validate_goods(self) -> list[HSCode]:
        """Every goods line's code, validated up front so the first bad line is reported."""
        return [self.hs_code(i) for i in range(len(self.trade.goods))]


Predicate = Callable[..., Evidence | None]


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    """A test as conditions see it: its name, what it reads and which parameters it takes."""

    name: str
    fn: Predicate
    needs: Subject | None
    params: dict[str, bool]  # name -> required
    finding_only: bool = False  # reads nexus decisions: not for nexus rules

    @property
    def description(self) -> str:
        """The first line of the test's docstring: what "holds" means."""
        return (self.fn.__doc__ or "").strip().splitlines()[0]


#: The attribute :func:`predicate` sets on a test function.
SPEC_ATTRIBUTE = "predicate_spec"


def predicate(
    needs: Subject | None = None, *, finding_only: bool = False
) -> Callable[[Predicate], Predicate]:
    """Mark a function as a test named after it; ``needs`` names the subject it reads.

    Marking registers nothing: :mod:`corridor.policy.registry` lists the modules whose marked
    functions conditions may use.
    """

    def mark(fn: Predicate) -> Predicate:
        sig = inspect.signature(fn)
        params = {
            name: p.default is inspect.Parameter.empty
            for name, p in list(sig.parameters.items())[1:]
        }
        setattr(fn, SPEC_ATTRIBUTE, PredicateSpec(fn.__name__, fn, needs, params, finding_only))
        return fn

    return mark
