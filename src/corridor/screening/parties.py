"""Who a trade party (or owner, or vessel) might be on the loaded lists.

Screening talks to the matching engine through one small protocol, :class:`PartyScreener`,
so the engine can be swapped (a remote yente, a test double over a fixture) without touching
the orchestration. :class:`MatcherScreener` adapts :class:`corridor.matching.Matcher` and adds
an exact IMO-number lookup for vessels: an IMO number is a unique hull identifier, so an
exact hit is decisive whatever the vessel is called today.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from corridor.errors import StoreError
from corridor.matching import ExactIdentifier, Matcher, MatchExplanation, MatchResult
from corridor.model import Entity

if TYPE_CHECKING:
    from corridor.store import Snapshot, Store

#: How many non-matching candidates to keep per party, and the least score worth showing:
#: an analyst sees the near misses without the noise of every shared token.
NEAR_MISSES = 2
NEAR_MISS_FLOOR = 0.6


#: FtM identifier properties of a party, owner or vessel (``imoNumber``, ``taxNumber`` …).
Identifiers = Mapping[str, str | list[str]]


class PartyScreener(Protocol):
    """What screening needs of a matching engine: the lists it screens against, the entries
    it finds for a name (each with ``match``, the alert flag), and a found entry's tags."""

    @property
    def lists(self) -> ListsInForce: ...

    def screen(
        self, name: str, schema: str, country: str | None, identifiers: Identifiers
    ) -> list[MatchResult]: ...

    def entry_tags(self, source_id: str) -> list[str]:
        """A source record's topics, programs and sub-list (:func:`entry_tags`): list rules
        key on them."""
        ...


@dataclass
class ListsInForce:
    """The list snapshots a screener was built from (``as_of`` None: the latest)."""

    snapshots: list[Snapshot]
    as_of: dt.date | None

    @property
    def datasets(self) -> list[str]:
        return [s.dataset for s in self.snapshots]


def lists_in_force(
    store: Store, as_of: dt.date | None, datasets: Sequence[str] | None = None
) -> ListsInForce:
    """The snapshots to screen against for ``as_of``.

    When the store holds a snapshot of every loaded list dated on or before ``as_of``, those
    are used. Otherwise (e.g. lists loaded today, trade dated last year) screening falls back
    to the latest lists and says so: a result against newer lists is still informative, a
    result against no lists would be wrong.
    """
    wanted = set(datasets) if datasets else None
    latest = [s for s in store.active_snapshots() if wanted is None or s.dataset in wanted]
    if as_of is None:
        return ListsInForce(latest, None)
    dated = {s.dataset: s for s in store.active_snapshots(as_of)}
    if all(s.dataset in dated for s in latest):
        return ListsInForce([dated[s.dataset] for s in latest], as_of)
    return ListsInForce(latest, None)


def newer_lists_note(snapshots: Sequence[Snapshot], as_of: dt.date) -> str | None:
    """Say so when lists newer than the as-of date were used (no older snapshot stored)."""
    newer = [s for s in snapshots if s.effective_at is not None and s.effective_at.date() > as_of]
    if not newer:
        return None
    names = ", ".join(
        f"{s.dataset} (list date {s.list_date})"
        if s.list_date
        else f"{s.dataset} (no list date; loaded {s.effective_at.date().isoformat()})"
        for s in newer
    )
    return (
        f"The store holds no snapshot as of {as_of.isoformat()} for {names}: the trade was "
        "screened against these later lists, which may include designations made after "
        "that date and miss entries removed since."
    )


def list_gaps_note(snapshots: Sequence[Snapshot]) -> str | None:
    """Say what a list screened against lacks (a release published without its companion
    files, a summary without aliases): a miss there may mean "not in this file"."""
    gaps = [f"{s.dataset} ({s.version}): {'; '.join(s.gaps)}" for s in snapshots if s.gaps]
    if not gaps:
        return None
    return "Lists screened against that lack data a complete release has: " + " | ".join(gaps)


class ImoIndex:
    """Exact IMO number → listed vessels (and companies that list an IMO company number)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self._by_imo: dict[str, list[Entity]] = {}
        for entity in entities:
            for value in entity.get("imoNumber"):
                digits = "".join(c for c in value if c.isdigit())
                if digits:
                    self._by_imo.setdefault(digits, []).append(entity)

    def lookup(self, imo: str) -> list[MatchResult]:
        """The listed entries with this IMO number: alerts at score 1, whatever their name."""
        digits = "".join(c for c in imo if c.isdigit())
        hit = ExactIdentifier(
            "imoNumber", digits, f"IMO {digits} is the listed hull's IMO number (exact)"
        )
        return [
            MatchResult(
                id=e.id,
                score=1.0,
                match=True,
                source_ids=[e.source_id],
                caption=e.caption,
                schema=e.schema,
                datasets=[e.dataset],
                topics=list(e.get("topics")),
                explanation=MatchExplanation(exact=[hit]),
            )
            for e in self._by_imo.get(digits, [])
        ]

    def __len__(self) -> int:
        return len(self._by_imo)


class MatcherScreener:
    """:class:`PartyScreener` over :class:`corridor.matching.Matcher`, built once, reused."""

    def __init__(
        self,
        matcher: Matcher,
        imo_index: ImoIndex,
        lists: ListsInForce,
        tags: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.matcher = matcher
        self.imo_index = imo_index
        self.lists = lists
        #: source id -> :func:`entry_tags`, read with the vessels in one pass over the lists
        self.tags: Mapping[str, list[str]] = tags or {}

    @classmethod
    def from_store(
        cls, store: Store, *, datasets: Sequence[str] | None = None, as_of: dt.date | None = None
    ) -> MatcherScreener:
        lists = lists_in_force(store, as_of, datasets)
        if not lists.snapshots:
            # Screening against nothing would print CLEAR for anyone: refuse instead.
            wanted = f" among {', '.join(datasets)}" if datasets else ""
            raise StoreError(
                f"no lists are loaded{wanted}: run `corridor lists update` (or "
                "`corridor lists update --from DIR`) with the same --db first"
            )
        chosen = lists.datasets
        matcher = Matcher.from_store(store, datasets=chosen, as_of=lists.as_of)
        vessels: list[Entity] = []
        tags: dict[str, list[str]] = {}
        for entity in store.iter_entities(chosen, lists.as_of):
            if entity.get("imoNumber"):
                vessels.append(entity)
            found = entry_tags(entity)
            if found:
                tags[entity.source_id] = found
        return cls(matcher, ImoIndex(vessels), lists, tags)

    def entry_tags(self, source_id: str) -> list[str]:
        return list(self.tags.get(source_id, ()))

    def screen(
        self, name: str, schema: str, country: str | None, identifiers: Identifiers
    ) -> list[MatchResult]:
        """The list entries for one name (and its identifiers), alerts first."""
        props: dict[str, list[str]] = {"name": [name]} if name.strip() else {}
        if country:
            props["country"] = [country]
        for key, value in identifiers.items():
            props[key] = [value] if isinstance(value, str) else list(value)
        results: list[MatchResult] = []
        if name.strip():
            query = {"schema": schema, "properties": props}
            results = keep_relevant(self.matcher.match(query))
        for imo in props.get("imoNumber", []):
            exact = self.imo_index.lookup(imo)
            known = {m.id for m in exact}
            results = exact + [r for r in results if r.id not in known]
        return keep_relevant(results)


#: The sub-list a Consolidated Screening List entry comes from, as its publisher names it:
#: "Entity List (EL) - Bureau of Industry and Security" -> EL.
_SUB_LIST = re.compile(r"\(([A-Z]{2,5})\)")


def entry_tags(entity: Entity) -> list[str]:
    """What list rules key on: the record's FtM topics (``sanction.secondary``), its sanctions
    programs (``RUSSIA-EO14024``, ``IRGC``), its sub-list (``list:EL``, ``list:SSI``,
    ``list:SDN`` of the US Consolidated Screening List) and ``entity_list.footnote3`` for
    Entity List entries whose licence requirement cites the Russia/Belarus military-end-user
    FDP rule (15 CFR 734.9(g))."""
    tags = [*entity.get("topics"), *entity.get("program"), *entity.get("programId")]
    for publisher in entity.get("publisher"):
        found = _SUB_LIST.search(publisher)
        if found:
            tags.append(f"list:{found[1]}")
    if any("734.9(g)" in note for note in entity.get("notes")):
        tags.append("entity_list.footnote3")
    return list(dict.fromkeys(tags))


def keep_relevant(results: Sequence[MatchResult]) -> list[MatchResult]:
    """All alerts, then the best few near misses, highest score first."""
    ranked = sorted(results, key=lambda r: (not r.match, -r.score))
    hits = [r for r in ranked if r.match]
    misses = [r for r in ranked if not r.match and r.score >= NEAR_MISS_FLOOR][:NEAR_MISSES]
    return hits + misses
