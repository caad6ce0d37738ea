"""Records of different lists that are one party beyond equal names, found while an index
is built.

Each record of every list but the largest is matched, with its own names, birth dates,
countries and identifiers, against the records of the other lists; its best match in each
other list is the same party when (``LINK_*`` in ``tuning.py``) they share an identifier
and the names agree, or the names agree closely and the birth years agree (people), or
both carry no birth date, or (organisations) the names agree closely; never with
conflicting birth years or countries.

This is most of the build with several lists, so it does only what the rule needs: names
that cannot reach the score a link needs are not aligned in full, and with many records
to link, worker processes forked from the building one share them out.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from typing import TYPE_CHECKING

import numpy as np

from corridor.matching.compare.names import align_names
from corridor.matching.query import MAX_NAMES, PreparedQuery
from corridor.matching.tuning import (
    LINK_CLOSE_NAME_SCORE,
    LINK_FLOOR,
    LINK_NAME_SCORE,
    LINK_NAME_SCORE_WITH_DATE,
    WEAK_ALIAS_FACTOR,
)
from corridor.settings import link_workers

if TYPE_CHECKING:
    from corridor.matching.matcher import Matcher

#: Records are linked in the building process below this many per worker.
PARALLEL_MIN = 500
#: Runs of records per worker: the later ones even out unequal runs.
CHUNKS_PER_WORKER = 4

_BRACKETS = re.compile(r"\([^)]*\)")


def cross_list_links(matcher: Matcher) -> list[tuple[int, int]]:
    """Pairs of records of different lists that are one party (see the module)."""
    codes = matcher.entities.datasets.codes
    if len(matcher.entities.datasets.labels) < 2:
        return []
    largest = int(np.bincount(codes).argmax())
    queried = np.flatnonzero(codes != largest)
    workers = min(link_workers(), len(queried) // PARALLEL_MIN)
    if workers < 2 or not may_fork():
        return RecordLinker(matcher).links(queried.tolist())
    # Worker processes forked from this one share its index pages. Runs of records in
    # order, their links in order: what one process finds.
    global _LINKER
    _LINKER = RecordLinker(matcher)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = np.array_split(queried, workers * CHUNKS_PER_WORKER)
            parts = pool.map(_link_in_worker, [c.tolist() for c in chunks], chunksize=1)
    finally:
        _LINKER = None
    return [link for part in parts for link in part]


def may_fork() -> bool:
    """Workers are forked only from a process running no other thread (a fork copies only
    the calling thread: a lock another one holds would never be released) and allowed
    children (not a daemon, such as a Dask worker)."""
    return (
        threading.active_count() == 1
        and not multiprocessing.current_process().daemon
        and "fork" in multiprocessing.get_all_start_methods()
    )


#: The linker the forked workers run.
_LINKER: RecordLinker | None = None


def _link_in_worker(records: list[int]) -> list[tuple[int, int]]:
    assert _LINKER is not None
    return _LINKER.links(records)


class RecordLinker:
    """Links records of a matcher under construction to the records of the other lists."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        # The names of each entity: (offsets, name ids) by entity number.
        name_ent = matcher.index.name_ent
        self.name_order = np.argsort(name_ent, kind="stable")
        self.name_ptr = np.zeros(len(matcher.entities) + 1, dtype=np.int64)
        np.cumsum(np.bincount(name_ent, minlength=len(matcher.entities)), out=self.name_ptr[1:])

    def links(self, records: list[int]) -> list[tuple[int, int]]:
        """The links of these records, in their order."""
        m = self.matcher
        codes = m.entities.datasets.codes
        links: list[tuple[int, int]] = []
        for ent in records:
            pq = self.record_query(ent)
            if pq is None:
                continue
            best: dict[int, tuple[float, int]] = {}
            own = int(codes[ent])
            for other, (forward, _a, _q, _n) in m._best_names(pq, LINK_FLOOR, own).items():
                if codes[other] == own:
                    continue
                needed = self.link_name_score(pq, other)
                if needed is None:
                    continue
                # Either record may hold the other's name and add to it: the better way
                # round counts (``BIN LADEN, Hamza`` is held by ``HAMZA USAMA … BIN LADEN``).
                name_score = forward
                if name_score < needed:
                    name_score = max(forward, self.name_score(other, ent, needed))
                if name_score < needed:
                    continue
                code = int(codes[other])
                if code not in best or name_score > best[code][0]:
                    best[code] = (name_score, other)
            links.extend((ent, other) for _s, other in best.values())
        return links

    def entity_names(self, ent: int) -> list[int]:
        """The name ids of entity ``ent``."""
        return self.name_order[self.name_ptr[ent] : self.name_ptr[ent + 1]].tolist()

    def name_score(self, query_ent: int, listed_ent: int, needed: float = 0.0) -> float:
        """The best name score of one record's strong names against another's; exact when
        it reaches ``needed`` (names that cannot reach it are not aligned in full)."""
        m = self.matcher
        name_weak = m.index.name_weak
        kind = m.entities.kinds[listed_ent]
        person = m.entities.kinds[query_ent] == "person"
        query_nids = [n for n in self.entity_names(query_ent) if not name_weak[n]]
        listed_nids = self.entity_names(listed_ent)
        best = 0.0
        for q in query_nids:
            toks, weights = m._parts(q)
            for nid in listed_nids:
                ltoks, lweights = m._parts(nid)
                aligned = align_names(toks, weights, ltoks, lweights, kind, False, person, needed)
                if aligned is None:
                    continue
                factor = WEAK_ALIAS_FACTOR if name_weak[nid] else 1.0
                best = max(best, aligned[0] * factor)
        return best

    def record_query(self, ent: int) -> PreparedQuery | None:
        """A listed record as a query: its strong names and its other values."""
        m = self.matcher
        names_text, name_weak = m.index.name_text, m.index.name_weak
        listed = [names_text[n] for n in self.entity_names(ent) if not name_weak[n]]
        # An acronym in brackets after the name is the list's note, not the name.
        names = tuple(dict.fromkeys(listed + [_BRACKETS.sub(" ", n).strip() for n in listed]))
        if not names:
            return None
        t = m.entities
        return PreparedQuery(
            schema=t.schemata[ent],
            kind=t.kinds[ent],
            names=names[:MAX_NAMES],
            dates=t.dates[ent],
            countries=t.countries[ent],
            identifiers=t.identifiers[ent],
            imos=t.imos[ent],
        )

    def link_name_score(self, pq: PreparedQuery, other: int) -> float | None:
        """The linking rule for one pair of records: the name score that makes them one
        party, None when nothing would (a conflict)."""
        m = self.matcher
        values = {f.name: value for f, value, _c in m._feature_values(pq, other)}
        if values.get("dob_conflict") or values.get("country_mismatch"):
            return None
        if values.get("schema_mismatch") or values.get("imo_conflict"):
            return None
        if values.get("identifier_match") or values.get("imo_match"):
            return LINK_NAME_SCORE
        if pq.kind == "person" and values.get("dob_match") == 1.0:  # the same full date
            return LINK_NAME_SCORE
        years = {d[:4] for d in pq.dates} & {d[:4] for d in m.entities.dates[other]}
        if pq.kind == "person" and years:
            return LINK_NAME_SCORE_WITH_DATE
        if pq.kind != "person" or (not pq.dates and not m.entities.dates[other]):
            return LINK_CLOSE_NAME_SCORE
        return None
