"""The index a server answers from, and how a new one replaces it atomically.

An :class:`Index` is immutable once built: the screener (matcher and IMO look-up) over one
set of list snapshots, the policy, the dataset scopes and every merged entity as the API
shows it. A request takes :attr:`IndexHolder.current` once and uses that object to the end,
so it is answered from one index whatever happens meanwhile. A list update builds the next
index beside the current one (requests keep being answered from the old one) and then
replaces the reference in one assignment: no request ever sees half of each.

Each worker process holds its own holder. The worker that ran an update swaps at once; the
others notice the new snapshots within ``reload_seconds`` (:meth:`IndexHolder.refresh`) and
swap the same way. Every response names its index in the ``X-Corridor-Index`` header.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from corridor.errors import CorridorError
from corridor.model import Entity
from corridor.policy import Policy, load_policy
from corridor.screening.engine import build_screener, screen_trade
from corridor.screening.parties import MatcherScreener, lists_in_force
from corridor.screening.results import ScreeningResult
from corridor.screening.scopes import Scope, build_scopes
from corridor.store import Snapshot, Store
from corridor.trade import Trade

if TYPE_CHECKING:
    from corridor.matching import Matcher
    from corridor.settings import ApiSettings


class NotReady(CorridorError):
    """No index can be served yet (still loading, or no lists in the store)."""


def snapshot_signature(snapshots: list[Snapshot]) -> str:
    """A short id of a set of snapshots: equal iff the same snapshots are active."""
    text = "|".join(
        f"{s.dataset}:{s.id}:{s.file_hash}" for s in sorted(snapshots, key=lambda s: s.dataset)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


@dataclass(frozen=True)
class Index:
    """One loaded set of lists, ready to answer every endpoint."""

    version: str
    snapshots: tuple[Snapshot, ...]
    screener: MatcherScreener
    policy: Policy
    scopes: dict[str, Scope]
    #: entity id or source id -> the merged (canonical) entity id it belongs to.
    canonical: dict[str, str]
    #: canonical id -> the entity as the API shows it, pre-serialised properties included.
    entities: dict[str, dict[str, Any]]
    #: canonical id -> the source records behind it, as FtM JSON.
    records: dict[str, list[dict[str, Any]]]
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: As-of screeners built on demand for ``POST /screen`` (key: the as-of date).
    dated: dict[Any, MatcherScreener] = field(default_factory=dict)

    @property
    def matcher(self) -> Matcher:
        return self.screener.matcher

    def scope(self, name: str) -> Scope | None:
        return self.scopes.get(name)


def build_index(store: Store, settings: ApiSettings) -> Index:
    """Load the active lists into a new :class:`Index` (the index cache makes it quick)."""
    if not store.active_snapshots():
        raise NotReady(
            "no lists are loaded: run `corridor lists update` (or POST /lists/update) first"
        )
    screener = build_screener(store)
    snapshots = tuple(screener.lists.snapshots)
    policy = load_policy(list(settings.policy_files))
    matcher = screener.matcher
    table = matcher.entities
    canonical: dict[str, str] = {}
    for members in table.cluster_members:
        head = table.ids[members[0]]
        for m in members:
            canonical[table.ids[m]] = head
            canonical[table.source_ids[m]] = head
    by_id: dict[str, Entity] = {}
    seen: dict[str, datetime] = {}
    last_seen: dict[str, datetime] = {}
    for snap in snapshots:
        for entity in store.snapshot_entities(snap.id):
            by_id[entity.id] = entity
            last_seen[entity.id] = snap.imported_at
        seen.update(store.first_seen(snap.dataset))
    entities: dict[str, dict[str, Any]] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    for members in table.cluster_members:
        ids = [table.ids[m] for m in members]
        found = [by_id[i] for i in ids if i in by_id]
        if not found:
            continue
        head = found[0]
        props: dict[str, list[str]] = {}
        for ent in found:
            for key, values in ent.properties.items():
                bucket = props.setdefault(key, [])
                bucket.extend(v for v in values if v not in bucket)
        firsts = [seen[e.id] for e in found if e.id in seen]
        lasts = [last_seen[e.id] for e in found if e.id in last_seen]
        entities[head.id] = {
            "id": head.id,
            "caption": head.caption,
            "schema": head.schema,
            "properties": orjson.Fragment(orjson.dumps(props)),
            "datasets": sorted({e.dataset for e in found}),
            "referents": [e.source_id for e in found] + [e.id for e in found[1:]],
            "target": True,
            "first_seen": _iso(min(firsts)) if firsts else None,
            "last_seen": _iso(max(lasts)) if lasts else None,
            "last_change": None,
        }
        records[head.id] = [e.to_ftm() for e in found]
    return Index(
        version=snapshot_signature(list(snapshots)),
        snapshots=snapshots,
        screener=screener,
        policy=policy,
        scopes=build_scopes([s.dataset for s in snapshots], policy),
        canonical=canonical,
        entities=entities,
        records=records,
    )


class IndexHolder:
    """The current :class:`Index` of one worker, replaced whole by :meth:`swap`."""

    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings
        self.store = Store(settings.db_url)
        self._current: Index | None = None
        self._error: str | None = "the index is loading"
        self._build_lock = threading.Lock()
        #: Serialises list updates started through this worker.
        self.update_lock = threading.Lock()

    @property
    def current(self) -> Index:
        """The index to answer a request from (take it once per request)."""
        index = self._current
        if index is None:
            raise NotReady(self._error or "the index is loading")
        return index

    @property
    def ready(self) -> bool:
        return self._current is not None

    @property
    def status(self) -> str:
        return "ok" if self._current is not None else (self._error or "loading")

    def swap(self, index: Index) -> None:
        """Make ``index`` the one new requests see (one reference assignment).

        Then the garbage collector is told to leave the index alone: it holds some 300,000
        objects that never become garbage, and a full collection walking them took 150 ms,
        landing on whichever request triggered it.
        """
        self._current = index
        self._error = None
        gc.unfreeze()  # the previous index, if any, may be collected now
        gc.collect()
        gc.freeze()

    def reload(self, force: bool = False) -> bool:
        """Build an index of the active snapshots and swap it in, unless it is the one being
        served already; True when a new index was swapped in. Errors leave the old one."""
        with self._build_lock:
            try:
                active = self.store.active_snapshots()
                current = self._current
                if not force and current and snapshot_signature(active) == current.version:
                    return False
                index = build_index(self.store, self.settings)
            except CorridorError as exc:
                if self._current is None:
                    self._error = str(exc)
                return False
            self.swap(index)
            return True

    def refresh(self) -> bool:
        """Swap in a new index if the store's active snapshots changed (another worker or
        ``corridor lists update`` loaded lists)."""
        return self.reload(force=False)


#: As-of screeners kept per index (each holds an index of older snapshots).
DATED_SCREENERS = 2


def screen_with_index(
    store: Store, index: Index, trade: Trade, as_of: dt.date | None = None
) -> ScreeningResult:
    """Screen a trade against the index's lists, or those in force at an earlier date when
    the store still holds them (that screener is built once and kept with the index): what
    ``POST /screen`` and the workbench's screening page both run."""
    when = trade.judged_on(as_of)
    lists = lists_in_force(store, when)
    served = {s.id for s in index.snapshots}
    screener = index.screener
    if lists.as_of is not None and any(s.id not in served for s in lists.snapshots):
        screener = index.dated.get(lists.as_of)
        if screener is None:
            screener = MatcherScreener.from_store(store, as_of=when)
            if len(index.dated) >= DATED_SCREENERS:
                index.dated.pop(next(iter(index.dated)))
            index.dated[lists.as_of] = screener
    return screen_trade(trade, store=store, policy=index.policy, matcher=screener, as_of=when)
