"""``Matcher``: index the listed entities once, then match queries fast and explainably.

Query flow: prepare (normalise once) -> blocking (rare shared evidence from the index,
top candidates only) -> name alignment for each candidate name -> qualifier features per
entity -> best per merged cluster -> ranked results.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.errors import InputError
from corridor.matching.cache import AsOf, IndexCache, cache_key
from corridor.matching.compare.names import PAIRS, RawAlignment, align_names
from corridor.matching.coverage import CoverageSum
from corridor.matching.index import NameIndex, gather_ranges, token_names
from corridor.matching.linking import cross_list_links
from corridor.matching.query import PreparedQuery, prepare_query
from corridor.matching.records import (
    ListedEntities,
    MemberColumn,
    cluster_entities,
    collect_entities,
)
from corridor.matching.result import (
    SCORE_DIGITS,
    FeatureValue,
    MatchExplanation,
    MatchResult,
    NameAlignment,
    PartPair,
)
from corridor.matching.score import FEATURES, Feature, combine
from corridor.matching.tuning import (
    COMMON_TOKEN_CAP,
    COMMON_TOKEN_SHARE,
    CONTESTED_MIN_SCORE,
    DEFAULT_THRESHOLD,
    GLUED_PAIR_MIN_LEN,
    GLUED_PART_MIN_LEN,
    GLUED_STRENGTH,
    GLUED_SYLLABLE_MAX_LEN,
    INITIAL_BONUS,
    INITIAL_WEIGHT,
    INITIALS_RERANK_LIMIT,
    JOINED_MAX_PARTS,
    LISTED_WEIGHT_SHARE,
    LONG_UNKNOWN_PART,
    MIN_COVERAGE,
    MIN_PART_SIMILARITY,
    MIN_SCORE,
    STRENGTH,
    TOP_K,
    UNKNOWN_PART_KEY_STRENGTH,
    UNKNOWN_PART_WEIGHT,
    WEAK_ALIAS_FACTOR,
    WEAK_FACTOR,
)
from corridor.memo import Memo
from corridor.model import Entity
from corridor.names.central_asian import patronymic_stems
from corridor.names.normalize import is_abjad
from corridor.names.skeleton import fold
from corridor.names.tokens import is_weak, name_tokens

if TYPE_CHECKING:
    from corridor.store import Snapshot, Store
    from corridor.store.quick import ActiveSnapshot

#: Queries prepared together (``Matcher.prepare_block``) by ``corridor match`` and the
#: batch run: a few hundred queries' name parts and their look-ups stay in memory at once.
PREPARE_BLOCK = 256

_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_W = np.zeros(0, dtype=np.float32)
#: Per candidate entity: (weighted name score, its alignment, query name number, listed
#: name id; -1 when an identifier alone found it).
BestName = tuple[float, RawAlignment, int, int]
#: A listed name as the alignment loop reads it: parts, weights, entity, weak alias or
#: not, the entity's kind and its dataset's code.
NameInfo = tuple[tuple[str, ...], tuple[float, ...], int, bool, str, int]
_NO_NAME: RawAlignment = (0.0, [], [], [])


#: What ``match`` and ``match_protocol`` take: a query ``{schema, properties}``, or what
#: ``Matcher.prepare_block`` gave for one (the query prepared, or the error that stops it).
Query = dict[str, Any] | PreparedQuery | InputError


def _prepared(query: Query) -> PreparedQuery:
    """The query prepared; an error ``prepare_block`` found is raised here, where the
    query is matched, as preparing it here would raise it."""
    if isinstance(query, PreparedQuery):
        return query
    if isinstance(query, InputError):
        raise query
    return prepare_query(query)


def _leaves_over(aligned: RawAlignment) -> bool:
    """The alignment leaves a distinctive part of either name without a partner, or pairs
    one only loosely (two edits: Hafiz / Afif). A listed patronymic left over is not one:
    customers leave patronymics out (``Ivan Petrov`` for ``PETROV, Ivan Sergeevich``)."""
    return (
        any(not is_weak(t) for t, _ in aligned[2])
        or any(not is_weak(t) and not patronymic_stems(t) for t, _ in aligned[3])
        or any(p[2] < MIN_PART_SIMILARITY for p in aligned[1])
    )


class Matcher:
    """Matches FtM-style queries against an in-memory index of listed entities."""

    def __init__(
        self,
        entities: ListedEntities,
        index: NameIndex,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.entities = entities
        self.index = index
        self.threshold = threshold
        self.cap = max(COMMON_TOKEN_CAP, index.n_names // COMMON_TOKEN_SHARE)
        self.min_coverage = MIN_COVERAGE
        self._id_map: dict[str, list[int]] | None = None
        self._similar = Memo(self._similar_uncached, 100_000)
        # A block's names, split by prepare_block and read again as each query is matched
        # (the most recent kept: a fresh start could drop names prepared and not matched).
        self._query_parts = lru_cache(maxsize=4 * PREPARE_BLOCK)(self._query_parts_uncached)
        self._parts = Memo(index.name_parts, 100_000)
        self._name_info = Memo(self._name_info_uncached, 100_000)
        self._postings = Memo(self._postings_uncached, 20_000)
        self._glued_postings = Memo(self._glued_postings_uncached, 50_000)
        self._listed_values = Memo(self._listed_values_uncached, 100_000)
        self._coverage = CoverageSum(index.n_names)

    def __getstate__(self) -> dict[str, Any]:
        return {"entities": self.entities, "index": self.index, "threshold": self.threshold}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["entities"], state["index"], state["threshold"])

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_entities(
        cls, entities: Iterable[Entity], threshold: float = DEFAULT_THRESHOLD
    ) -> Matcher:
        """Build from any iterable of entities (list records, FtM exports, generated data).

        The cyclic garbage collector is paused meanwhile: the build makes millions of
        objects and no reference cycles, and each full collection would walk them all
        again (a tenth of a million-entity build)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(entities, threshold)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _build(cls, entities: Iterable[Entity], threshold: float) -> Matcher:
        rows, names = collect_entities(entities)
        merge_keys = array("Q")
        index = NameIndex.build(names, rows.kinds, merge_keys)
        cluster_entities(rows, names, merge_keys=merge_keys)
        if len(set(rows.datasets)) < 2:  # one list: nothing to link, free the rows early
            del names, merge_keys
            return cls(rows.compact(release=True), index, threshold)
        matcher = cls(rows.compact(), index, threshold)
        links = cross_list_links(matcher)
        if links:  # the same party on several lists: one result with every record
            cluster_entities(rows, names, links, merge_keys)
            matcher.entities.cluster = rows.cluster
            matcher.entities.cluster_members = MemberColumn.of(rows.cluster_members)
        return matcher

    @classmethod
    def from_store(
        cls,
        store: Store,
        datasets: Sequence[str] | None = None,
        as_of: AsOf = None,
        threshold: float = DEFAULT_THRESHOLD,
        use_cache: bool = True,
    ) -> Matcher:
        """Build from a store's active (or as-of) snapshots, reusing the index cache beside
        the database (``use_cache=False``: always build, and write no cache file)."""
        snapshots = store.active_snapshots(as_of)
        if use_cache:
            found = cls.from_cache(str(store.url), snapshots, datasets, as_of, threshold)
            if found is not None:
                return found
        matcher = cls.from_entities(store.iter_entities(datasets=datasets, as_of=as_of), threshold)
        if use_cache:
            IndexCache.beside(str(store.url)).save(
                cache_key(snapshots, datasets, as_of), matcher.entities, matcher.index
            )
        return matcher

    @classmethod
    def from_cache(
        cls,
        url: str,
        snapshots: Sequence[Snapshot] | Sequence[ActiveSnapshot],
        datasets: Sequence[str] | None = None,
        as_of: AsOf = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Matcher | None:
        """The index of these snapshots of the database at ``url`` if the cache holds it,
        else None (:meth:`from_store` then builds it). ``corridor match`` calls it with the
        active snapshots read without opening the store (``store.quick``)."""
        found = IndexCache.beside(url).load(cache_key(snapshots, datasets, as_of))
        return None if found is None else cls(*found, threshold)

    # ---- query preparation ----------------------------------------------------------
    def _similar_uncached(
        self, token: str, abjad: bool = False
    ) -> tuple[tuple[int, ...], tuple[float, ...], float]:
        """Vocabulary tokens like ``token`` (ids, strengths) and the token's weight."""
        found = self.index.similar_tokens(token, abjad)
        weights = self.index.tok_weight
        tid = self.index.token_id(token)
        if tid is not None:
            weight = float(weights[tid])
        else:
            strong = [float(weights[t]) for t, s in found.items() if s >= UNKNOWN_PART_KEY_STRENGTH]
            cut = [float(weights[t]) for t, s in found.items() if s == STRENGTH["p"]]
            if strong:
                weight = max(strong)
            elif cut:  # a cut-off part weighs what its commonest completion does
                weight = min(cut)
            else:
                weight = self.index.max_weight * UNKNOWN_PART_WEIGHT
            if is_weak(token):
                weight *= WEAK_FACTOR
        if len(token) == 1:
            weight = min(weight, INITIAL_WEIGHT)
        return tuple(found), tuple(found.values()), weight

    def _query_parts_uncached(self, name: str, organisation: bool):
        """Parts of a query name, their weights, and whether it was written in an abjad."""
        toks = name_tokens(name, organisation)
        abjad = is_abjad(name)
        return toks, tuple([self._similar(t, abjad)[2] for t in toks]), abjad

    # ---- blocking -------------------------------------------------------------------
    def _postings_uncached(self, token: str, abjad: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Listed names holding a part like ``token``, with the best key strength per name.

        Cached per token: customer files repeat first names and surnames all the time.
        Parts in more than ``cap`` names are left out (too common to block on).
        """
        idx = self.index
        tids, strengths, _ = self._similar(token, abjad)
        chunks: list[np.ndarray] = []
        values: list[np.ndarray] = []
        if tids:  # every similar token's names at once, no array per token
            names, weights = token_names(idx, tids, strengths, self.cap)
            chunks.append(names)
            values.append(weights)
        if len(token) >= GLUED_PART_MIN_LEN:  # a glued part: listed names that write it as two
            joined = idx.joined_matches(token)
            if 0 < len(joined) <= self.cap:
                chunks.append(joined)
                values.append(np.full(len(joined), GLUED_STRENGTH, dtype=np.float32))
        if not chunks:
            return _EMPTY_IDS, _EMPTY_W
        if len(chunks) == 1:  # the usual case: the similar tokens' names alone, made here;
            # glued names alone are the index's own, mapped read-only: the sum takes a copy
            return (chunks[0], values[0]) if tids else (chunks[0].copy(), values[0])
        ids = np.concatenate(chunks)
        ws = np.concatenate(values)
        order = np.lexsort((-ws, ids))
        ids, ws = ids[order], ws[order]
        first = np.ones(len(ids), dtype=bool)
        first[1:] = ids[1:] != ids[:-1]
        return ids[first], ws[first]

    def _glued_postings_uncached(self, joined: str) -> np.ndarray:
        """Listed names with a part spelled like two query parts glued (exact fold only).
        Cached per glued spelling: customer files repeat given name and surname pairs."""
        idx = self.index
        tids = idx.key_tokens("f:" + fold(joined))
        if len(tids) == 0:  # the usual case: no listed part is spelled so
            return _EMPTY_IDS
        tids = tids.astype(np.int64)
        starts, ends = idx.tok_ptr[tids], idx.tok_ptr[tids + 1]
        keep = ends - starts <= self.cap
        return gather_ranges(idx.tok_names, starts[keep], ends[keep])[0]

    def _candidates(
        self, toks: tuple[str, ...], weights: tuple[float, ...], abjad: bool = False
    ) -> np.ndarray:
        """Listed names worth a full comparison with a query name (blocking).

        A name's *coverage* is the share of the query's weight it shares through some
        key; the name score cannot go much above it, so names covering less than
        ``min_coverage`` are skipped. Of the rest, the ``TOP_K`` best by weighted evidence
        (normalised by the listed name's own weight) are compared; exact full-name twins
        always are.
        """
        idx = self.index
        postings: list[tuple[np.ndarray, np.ndarray, float]] = []
        glued: list[tuple[np.ndarray, float]] = []
        total_w = 0.0
        for tok, w in zip(toks, weights, strict=True):
            if len(tok) == 1 and len(toks) > 1:
                continue  # an initial re-ranks candidates (below); it does not find them
            ids, ws = self._postings(tok, abjad)
            if len(ids):
                postings.append((ids, ws, w))
            elif len(tok) >= LONG_UNKNOWN_PART and not self._similar(tok, abjad)[0]:
                continue  # maybe a long part misspelt twice: let the other parts decide
            total_w += w
        weak = [is_weak(t) for t in toks]
        for size in range(2, JOINED_MAX_PARTS + 1):  # query parts glued: one listed part
            for i in range(len(toks) - size + 1):
                run = toks[i : i + size]
                if True in weak[i : i + size] or sum(map(len, run)) < GLUED_PAIR_MIN_LEN:
                    continue
                if size > 2 and max(map(len, run)) > GLUED_SYLLABLE_MAX_LEN:
                    continue  # three parts glued into one are syllables (Ros Oboron Export)
                ids = self._glued_postings("".join(run))
                if len(ids):
                    glued.append((ids, sum(weights[i : i + size]) * GLUED_STRENGTH))
        full = idx.full_matches(toks)
        if not postings and not glued:
            return full
        total_w = total_w or 1.0
        uniq, acc = self._coverage.names_over(postings, glued, self.min_coverage * total_w)
        if len(uniq) > TOP_K:
            score = acc / (total_w + LISTED_WEIGHT_SHARE * idx.name_weight[uniq])
            initials = [t for t in toks if len(t) == 1]
            if initials and len(uniq) <= INITIALS_RERANK_LIMIT:
                score = score + INITIAL_BONUS * self._initials_held(uniq, initials)
            uniq = uniq[np.argpartition(-score, TOP_K)[:TOP_K]]
        if len(full):
            uniq = np.union1d(full, uniq)
        return uniq

    def _initials_held(self, nids: np.ndarray, initials: list[str]) -> np.ndarray:
        """Per listed name, how many of the query's initials start one of its other parts.

        Initials have no blocking keys of their own; among many names sharing a common
        surname (``K.H. PAK``) they decide which ones are worth comparing.
        """
        out = np.zeros(len(nids), dtype=np.float64)
        for k, nid in enumerate(nids.tolist()):
            firsts = [t[0] for t in self._parts(nid)[0] if len(t) > 1]
            for letter in initials:
                if letter in firsts:
                    firsts.remove(letter)
                    out[k] += 1
        return out

    # ---- scoring --------------------------------------------------------------------
    def _name_info_uncached(self, nid: int) -> NameInfo:
        """What the alignment loop reads of listed name ``nid``: its parts and their
        weights, its entity, whether it is a weak alias, its entity's kind and dataset code
        (read once per name, not gathered from the arrays for every query)."""
        ltoks, lweights = self._parts(nid)
        ent = int(self.index.name_ent[nid])
        t = self.entities
        kind = t.kinds.labels[int(t.kinds.codes[ent])]
        weak = bool(self.index.name_weak[nid])
        return ltoks, lweights, ent, weak, kind, int(t.datasets.codes[ent])

    def _best_names(
        self, pq: PreparedQuery, link_floor: float = 0.0, own: int = -1
    ) -> dict[int, BestName]:
        """Per candidate entity: best name score, its alignment, query name, listed name.

        Linking a record (``linking.py``) needs less. ``link_floor``: where
        every candidate is kept (the query has identifiers), names whose score cannot
        reach it are not aligned in full; their entities stay, with score 0 and no
        alignment, as the caller only needs to know that they are under it. ``own``: the
        record's dataset, whose records are never linked to it; they count only if part
        for part the query's (the contest), so are not aligned in full under
        ``CONTESTED_MIN_SCORE``. Both floors are at most ``CONTESTED_MIN_SCORE``: what
        they skip could not be part for part the query's, so the contest is unchanged.
        """
        organisation = pq.kind != "person"
        person = pq.kind == "person"
        best: dict[int, BestName] = {}
        name_info = self._name_info
        # Names scoring under MIN_SCORE are dropped below unless an identifier may lift
        # them: the alignment may stop as soon as it cannot reach it.
        floor = 0.0 if pq.imos or pq.identifiers else MIN_SCORE
        below = floor == 0.0 and link_floor > 0.0  # names under link_floor: kept, score 0
        if below:
            floor = link_floor
        own_floor = max(floor, CONTESTED_MIN_SCORE)
        for qn, name in enumerate(pq.names):
            toks, weights, abjad = self._query_parts(name, organisation)
            if not toks:
                continue
            # Lists repeat names (one party on two lists, aliases spelled alike): each
            # distinct listed name is aligned once per query name (and floor).
            seen: dict[tuple[tuple[str, ...], str, bool], RawAlignment | None] = {}
            found: dict[int, tuple[float, RawAlignment, int, str]] = {}
            rows = PAIRS.rows_of(toks, abjad)
            for nid in self._candidates(toks, weights, abjad).tolist():
                ltoks, lweights, ent, weak, kind, dataset = name_info(nid)
                mine = dataset == own
                key = (ltoks, kind, mine)
                if key in seen:
                    aligned = seen[key]
                else:
                    aligned = seen[key] = align_names(
                        toks,
                        weights,
                        ltoks,
                        lweights,
                        kind,
                        abjad,
                        person,
                        own_floor if mine else floor,
                        rows=rows,
                    )
                if aligned is None:
                    if below and not mine and ent not in found:
                        found[ent] = (0.0, _NO_NAME, nid, kind)
                    continue
                score = aligned[0] * (WEAK_ALIAS_FACTOR if weak else 1.0)
                if ent not in found or score > found[ent][0]:
                    found[ent] = (score, aligned, nid, kind)
            if len(found) > 1:
                self._contest(found, toks, weights, abjad, person, rows)
            for ent, (score, aligned, nid, _kind) in found.items():
                if ent not in best or score > best[ent][0]:
                    best[ent] = (score, aligned, qn, nid)
        if pq.imos or pq.identifiers:
            for ent in self._identifier_lookup(pq.imos | pq.identifiers):
                if ent not in best:
                    best[ent] = (0.0, _NO_NAME, 0, -1)
        return best

    def _contest(
        self,
        found: dict[int, tuple[float, RawAlignment, int, str]],
        toks: tuple[str, ...],
        weights: tuple[float, ...],
        abjad: bool,
        person: bool,
        rows: tuple[dict[str, float], ...],
    ) -> None:
        """The right entity first: when a listed name is the query's part for part, other
        names that leave distinctive parts over are scored as naming someone else
        (``contested``, see ``compare.names._unmatched_penalty``). ``rows``: the query
        parts' tables of part similarities, as ``_best_names`` took them."""
        cluster = self.entities.cluster
        complete = {
            int(cluster[ent])
            for ent, (score, aligned, _nid, _kind) in found.items()
            if score >= CONTESTED_MIN_SCORE and not _leaves_over(aligned)
        }
        if not complete:
            return
        for ent, (_score, aligned, nid, kind) in list(found.items()):
            if int(cluster[ent]) in complete or not _leaves_over(aligned):
                continue
            ltoks, lweights, _ent, weak, _kind, _dataset = self._name_info(nid)
            again = align_names(
                toks, weights, ltoks, lweights, kind, abjad, person, contested=True, rows=rows
            )
            assert again is not None
            found[ent] = (again[0] * (WEAK_ALIAS_FACTOR if weak else 1.0), again, nid, kind)

    def _identifier_lookup(self, values: frozenset[str]) -> list[int]:
        """Entities carrying one of these identifiers or IMO numbers (exact lookup)."""
        if self._id_map is None:
            table: dict[str, list[int]] = {}
            for column in (self.entities.imos, self.entities.identifiers):
                for ent, ids in enumerate(column):
                    for v in ids:
                        table.setdefault(v, []).append(ent)
            self._id_map = table
        # In order: linking keeps the first of equally good records (a set's order varies).
        return [e for v in sorted(values) for e in self._id_map.get(v, ())]

    def _listed_values_uncached(self, ent: int) -> dict[str, Any]:
        """What the features compare of listed entity ``ent`` (read once per entity)."""
        t = self.entities
        return {
            "dates": t.dates[ent],
            "countries": t.countries[ent],
            "identifiers": t.identifiers[ent],
            "imos": t.imos[ent],
            "kinds": t.kinds[ent],
        }

    @staticmethod
    def _query_values(pq: PreparedQuery) -> list[tuple[Feature, Any]]:
        """The features the query can fire, each with what it compares of the query (made
        once per query): a feature of an attribute the query lacks never fires."""
        values = {
            "dates": pq.dates,
            "countries": pq.countries,
            "identifiers": pq.identifiers,
            "imos": pq.imos,
            "kinds": pq.kind,
        }
        return [(f, values[f.attribute]) for f in FEATURES if values[f.attribute]]

    def _feature_values(
        self, pq: PreparedQuery, ent: int, query: list[tuple[Feature, Any]] | None = None
    ) -> list[tuple[Feature, float, float]]:
        """(feature, value, contribution) for every feature that fired."""
        listed = self._listed_values(ent)
        if query is None:
            query = self._query_values(pq)
        out = []
        for f, q in query:
            c = listed[f.attribute]
            if not c:
                continue
            value = f.func(q, c)
            if value:
                out.append((f, value, f.weight * value))
        return out

    def _score_entities(
        self, pq: PreparedQuery, best: dict[int, BestName] | None = None
    ) -> list[tuple[float, int, int]]:
        """Ranked (score, cluster, best entity) for a prepared query."""
        per_cluster: dict[int, tuple[float, int]] = {}
        cluster = self.entities.cluster
        if best is None:
            best = self._best_names(pq)
        query = self._query_values(pq)
        for ent, (name_score, _aligned, _qn, _nid) in best.items():
            if name_score < MIN_SCORE and not pq.imos and not pq.identifiers:
                continue
            contrib = sum([c for _, _, c in self._feature_values(pq, ent, query)])
            score = combine(name_score, contrib)
            if score < MIN_SCORE:
                continue
            cl = int(cluster[ent])
            if cl not in per_cluster or score > per_cluster[cl][0]:
                per_cluster[cl] = (score, ent)
        ranked = sorted(((s, cl, e) for cl, (s, e) in per_cluster.items()), reverse=True)
        return ranked

    # ---- public API -------------------------------------------------------------------
    def prepare_block(self, queries: Sequence[dict[str, Any]]) -> list[PreparedQuery | InputError]:
        """Each query prepared (or why it cannot be), with what its names need from the
        index worked out first: their parts, the vocabulary tokens like each part and
        those tokens' names. Done for a block of queries before any is matched, each
        stage's code stays in the processor's caches from one query to the next (the
        20,000 batch rows in blocks of 256: 3.6 -> 3.1 s end to end, docs/matching.md).
        The results are those of matching each query alone: only caches are filled."""
        out: list[PreparedQuery | InputError] = []
        for query in queries:
            try:
                out.append(prepare_query(query))
            except InputError as exc:
                out.append(exc)
        for pq in out:
            if isinstance(pq, InputError):
                continue
            organisation = pq.kind != "person"
            for name in pq.names:
                toks, _weights, abjad = self._query_parts(name, organisation)
                for tok in toks:
                    self._postings(tok, abjad)
        return out

    def match_protocol(self, query: Query, limit: int = 10) -> list[dict[str, Any]]:
        """Results in the evaluation protocol's form (no explanations: the fast path)."""
        pq = _prepared(query)
        t = self.entities
        out = []
        for score, cl, _ent in self._score_entities(pq)[:limit]:
            members = t.cluster_members[cl]
            out.append(
                {
                    "id": t.ids[members[0]],
                    "score": round(score, SCORE_DIGITS),
                    "match": score >= self.threshold,
                    "source_ids": [t.source_ids[m] for m in members],
                }
            )
        return out

    def match(self, query: Query, limit: int = 10) -> list[MatchResult]:
        """Ranked candidates for one query ``{schema, properties}`` (or what
        :meth:`prepare_block` gave for it), with explanations."""
        pq = _prepared(query)
        best = self._best_names(pq)
        t = self.entities
        results = []
        for score, cl, ent in self._score_entities(pq, best)[:limit]:
            members = t.cluster_members[cl]
            results.append(
                MatchResult(
                    id=t.ids[members[0]],
                    score=round(score, SCORE_DIGITS),
                    match=score >= self.threshold,
                    source_ids=[t.source_ids[m] for m in members],
                    caption=t.captions[ent],
                    schema=t.schemata[ent],
                    datasets=sorted({t.datasets[m] for m in members}),
                    topics=sorted({tp for m in members for tp in t.topics[m]}),
                    explanation=self._explain(pq, ent, best[ent]),
                )
            )
        return results

    def _explain(self, pq: PreparedQuery, ent: int, best: BestName) -> MatchExplanation:
        """The best name pair and its alignment, and every feature of the table (0 for those
        that did not fire, so an analyst sees what was checked)."""
        _score, (name_score, pairs, unmatched_q, unmatched_l), qn, nid = best
        aligned = NameAlignment(name_score, [PartPair(*p) for p in pairs], unmatched_q, unmatched_l)
        features = {f.name: FeatureValue(0.0, 0.0, f.description) for f in FEATURES}
        for f, value, contribution in self._feature_values(pq, ent):
            features[f.name] = FeatureValue(value, contribution, f.description)
        return MatchExplanation(
            query_name=pq.names[qn],
            listed_name=self.index.name_text[nid] if nid >= 0 else self.entities.captions[ent],
            listed_name_weak=bool(nid >= 0 and self.index.name_weak[nid]),
            name=aligned,
            features=features,
            threshold=self.threshold,
        )

    def match_many(
        self, queries: Iterable[dict[str, Any]], limit: int = 10
    ) -> Iterator[list[MatchResult]]:
        """``match`` over a stream of queries, lazily."""
        for query in queries:
            yield self.match(query, limit=limit)
