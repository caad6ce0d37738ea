"""Ownership tests: is an unlisted party treated as listed because listed persons own it?

Two families of test, because the regimes disagree on how to count:

* **OFAC 50 % rule** (US): an entity owned 50 % or more *in the aggregate, directly or
  indirectly* by blocked persons is blocked (guidance of 13 Aug 2014, 79 FR 47726; stakes of
  persons blocked under different programs aggregate, FAQ 399). "Indirectly" runs through
  entities that are themselves blocked: their *whole* stake counts (FAQ 401, examples 1–3),
  so X 50 % → A 40 % → party, plus X 10 % direct, blocks the party (40 + 10 = 50). A simple
  product along the chain (50 % × 40 % = 20 %) would miss that, so it is only shown as the
  look-through figure. Ownership only: control alone never blocks (FAQ 398).
* **EU / UK "owned or controlled"**: more than 50 % held by *one* listed person, directly or
  through entities that person owns more than 50 % of (Reg. 269/2014 Art. 2 with the EU Best
  Practices; UK Russia Regs 2019 reg. 7). Separate listed holders are **not** aggregated —
  OFSI says so explicitly (absent a joint arrangement); for the EU aggregation is not settled
  (``../shared/reference/regimes/regimes.md`` §4.3, "[unsure]"), so an aggregate above 50 %
  without a single majority holder is reported for review, never as owned.

The functions are pure: the engine decides which owners are listed under which regime and
turns the results into findings with the policy's citations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from corridor.matching import MatchResult
from corridor.policy.schema import OwnershipParams


@dataclass(frozen=True)
class Listing:
    """Why an owner counts as listed under a regime: the list entry it matched."""

    entity_id: str
    source_id: str
    dataset: str
    caption: str = ""
    basis: str = ""  # what the listing means (the list rule's title)


@dataclass
class OwnerNode:
    """A declared owner with the listings found for it, per regime id."""

    name: str
    share: float
    country: str | None = None
    listings: dict[str, list[Listing]] = field(default_factory=dict)
    owners: list[OwnerNode] = field(default_factory=list)
    #: Declared control of the owned entity by other means (board majority, dominant influence).
    control: bool = False
    matches: list[MatchResult] = field(default_factory=list)  # the screener's, for the report

    def listed_under(self, regime: str) -> list[Listing]:
        return self.listings.get(regime, [])

    def label(self, regime: str) -> str:
        """``NAME (ru, us_ofac_sdn:123)``: who, where, and which entry makes it listed."""
        bits = [self.country] if self.country else []
        bits += [item.source_id for item in self.listed_under(regime)]
        return f"{self.name} ({', '.join(bits)})" if bits else self.name


@dataclass
class OwnershipResult:
    """The outcome of one ownership test for one party under one regime."""

    regime: str
    test: str  # "aggregate" (OFAC) | "single" (EU/UK: one listed holder at a time)
    owned: bool  # the party is treated as listed under this regime
    share: float  # counted share: aggregate (OFAC) or the largest single holder (EU/UK)
    aggregate: float  # all listed holdings added up, for the record
    look_through: float  # listed persons' economic interest: product along each chain, summed
    chains: list[str]  # readable chains, listed person first, party last
    holders: list[Listing]  # the listed persons behind the counted share
    threshold: float = 50.0
    inclusive: bool = True
    by_control: bool = False  # owned only because declared control was counted
    control_declared: bool = False  # a listed person's path declares control

    @property
    def bar(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.threshold:g} %"

    @property
    def summary(self) -> str:
        if self.test == "aggregate":
            verb = "meets" if self.owned else "does not meet"
            return (
                f"listed persons own {self.share:g} % in the aggregate (directly and through "
                f"entities they own {self.bar}): {verb} the {self.bar} test"
            )
        if self.owned and self.by_control:
            return (
                "a listed person controls the party through declared control (board "
                "appointment or dominant influence), whatever its share: owned or controlled"
            )
        if self.owned:
            return f"one listed person holds {self.share:g} % ({self.bar}): the party is owned"
        return (
            f"no single listed person holds {self.bar} (largest {self.share:g} %, "
            f"all listed holdings {self.aggregate:g} %): not owned by the share test"
        )


def _pct(value: float) -> str:
    return f"{round(value, 2):g} %"


def _chains(
    party: str, owners: list[OwnerNode], regime: str, keep: set[int] | None = None
) -> Iterator[tuple[str, float, Listing]]:
    """Every path from a listed owner down to the party: (text, product share, listing).

    ``keep`` restricts the walk to nodes (by ``id``) that the test counted, so the chains
    shown are the ones that carry the result.
    """

    def walk(
        node: OwnerNode, below: list[tuple[str, float]]
    ) -> Iterator[tuple[str, float, Listing]]:
        if keep is not None and id(node) not in keep:
            return
        path = [(node.name, node.share), *below]
        for listing in node.listed_under(regime):
            text = node.label(regime)
            product = 1.0
            for i, (_, share) in enumerate(path):
                following = path[i + 1][0] if i + 1 < len(path) else party
                text += f" → {_pct(share)} → {following}"
                product *= share / 100
            yield text, product * 100, listing
        for parent in node.owners:
            yield from walk(parent, path)

    for owner in owners:
        yield from walk(owner, [])


def ownership_test(
    party: str, owners: list[OwnerNode], regime: str, terms: OwnershipParams
) -> OwnershipResult | None:
    """The regime's test as its ownership rule states it: aggregate (OFAC) or one listed
    holder at a time (EU, UK; and the EU while aggregation is unsettled). None when no owner
    is listed under the regime."""
    if terms.aggregate is True:
        return aggregate_test(
            party, owners, regime, threshold=terms.threshold, inclusive=terms.inclusive
        )
    return single_holder_test(
        party,
        owners,
        regime,
        threshold=terms.threshold,
        inclusive=terms.inclusive,
        control=terms.control,
    )


def _meets(share: float, threshold: float, inclusive: bool) -> bool:
    return share >= threshold if inclusive else share > threshold


def aggregate_test(
    party: str, owners: list[OwnerNode], regime: str, *, threshold: float, inclusive: bool
) -> OwnershipResult | None:
    """Listed persons' stakes added up; an entity meeting the threshold counts as listed
    itself, so its whole stake counts one level down. None when no owner is listed."""
    counted: set[int] = set()

    def blocked(node: OwnerNode) -> bool:
        if node.listed_under(regime):
            counted.add(id(node))
            return True
        held = sum(o.share for o in node.owners if blocked(o))
        if _meets(held, threshold, inclusive):
            counted.add(id(node))
            return True
        return False

    direct = [o for o in owners if blocked(o)]
    chains = list(_chains(party, owners, regime))
    if not chains:
        return None
    share = min(100.0, sum(o.share for o in direct))
    kept = list(_chains(party, owners, regime, keep=counted)) if direct else chains
    return OwnershipResult(
        regime=regime,
        test="aggregate",
        owned=_meets(share, threshold, inclusive),
        share=share,
        aggregate=share,
        look_through=min(100.0, sum(p for _, p, _ in chains)),
        chains=[text for text, _, _ in kept],
        holders=_unique(listing for _, _, listing in kept),
        threshold=threshold,
        inclusive=inclusive,
        control_declared=_declares_control(owners, regime),
    )


def single_holder_test(
    party: str,
    owners: list[OwnerNode],
    regime: str,
    *,
    threshold: float,
    inclusive: bool,
    control: bool = False,
) -> OwnershipResult | None:
    """One listed person at a time: its direct stake plus the whole stake of entities it
    owns beyond the threshold. Separate listed persons are not added up. With ``control``,
    a declared controlling link (``OwnerNode.control``) counts as the whole entity."""
    chains = list(_chains(party, owners, regime))
    if not chains:
        return None
    used_control = False

    def holding(nodes: list[OwnerNode], entity_id: str) -> float:
        nonlocal used_control
        total = 0.0
        for node in nodes:
            is_holder = any(item.entity_id == entity_id for item in node.listed_under(regime))
            if is_holder or _meets(holding(node.owners, entity_id), threshold, inclusive):
                if control and node.control:
                    used_control = used_control or not _meets(node.share, threshold, inclusive)
                    total += 100.0
                else:
                    total += node.share
        return min(100.0, total)

    def controlled(node: OwnerNode) -> bool:
        if node.listed_under(regime):
            return True
        people = {item.entity_id for _, _, item in _chains(node.name, node.owners, regime)}
        return any(_meets(holding(node.owners, pid), threshold, inclusive) for pid in people)

    best: tuple[float, Listing] | None = None
    for person in _unique(listing for _, _, listing in chains):
        held = holding(owners, person.entity_id)
        if best is None or held > best[0]:
            best = (held, person)
    assert best is not None
    share, person = best
    used_control = False
    share = holding(owners, person.entity_id)  # recomputed so used_control is the winner's
    aggregate = min(100.0, sum(o.share for o in owners if controlled(o)))
    owned = _meets(share, threshold, inclusive)
    shown = [
        text for text, _, listing in chains if not owned or listing.entity_id == person.entity_id
    ]
    return OwnershipResult(
        regime=regime,
        test="single",
        owned=owned,
        share=share,
        aggregate=max(aggregate, share),
        look_through=min(100.0, sum(p for _, p, _ in chains)),
        chains=shown,
        holders=[person] if owned else _unique(listing for _, _, listing in chains),
        threshold=threshold,
        inclusive=inclusive,
        by_control=owned and used_control,
        control_declared=_declares_control(owners, regime),
    )


def _declares_control(owners: list[OwnerNode], regime: str) -> bool:
    """Some declared controlling link sits on a path from a listed person to the party."""

    def has_listed(node: OwnerNode) -> bool:
        return bool(node.listed_under(regime)) or any(has_listed(o) for o in node.owners)

    def walk(nodes: list[OwnerNode]) -> bool:
        return any((n.control and has_listed(n)) or walk(n.owners) for n in nodes)

    return walk(owners)


def _unique(items: Iterator[Listing]) -> list[Listing]:
    seen: dict[str, Listing] = {}
    for item in items:
        seen.setdefault(item.entity_id, item)
    return list(seen.values())
