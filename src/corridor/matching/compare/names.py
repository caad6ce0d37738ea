"""Name evidence: align the parts of two names and say which part matched which.

A name is a sequence of tokens (``corridor.names.tokens``), each with a weight: how rare
it is among listed names (IDF), so ``mohammed`` or ``trading`` count little and a rare
surname counts a lot. Parts are paired regardless of order (``LAST, First`` vs
``First LAST``) by best similarity; adjacent parts may pair with one glued part
(``Tong Chol`` / ``Tongchol``). Query parts left over count fully against the match (the
query says something the list does not); listed parts left over count a third (lists
carry middle names and patronymics that customers leave out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from corridor.names.skeleton import fold, skeleton

#: Below this similarity two parts are not considered the same part.
MIN_PART_SIMILARITY = 0.7
#: Share of a listed part's weight that counts against a match when the query lacks it.
UNMATCHED_LISTED_FACTOR = 0.35


@lru_cache(maxsize=1_000_000)
def part_similarity(a: str, b: str) -> float:
    """Similarity of two name parts in [0, 1]: spelling-variant aware, typo tolerant."""
    if a == b:
        return 1.0
    if a[0] == "@" or b[0] == "@":  # legal forms: same class or nothing
        return 0.0
    if len(a) == 1 or len(b) == 1:  # an initial stands for a part starting with it
        return 0.75 if a[0] == b[0] else 0.0
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return 0.96
    sim = Levenshtein.normalized_similarity(fa, fb)
    sk = skeleton(a)
    if len(sk) >= 3 and sk == skeleton(b):
        sim = max(sim, 0.88)
    return sim


@dataclass(slots=True)
class PartPair:
    """One aligned pair: the query part, the listed part, their similarity and weight."""

    query: str
    listed: str
    similarity: float
    weight: float

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "listed": self.listed,
            "similarity": round(self.similarity, 3),
            "weight": round(self.weight, 2),
        }


@dataclass(slots=True)
class NameComparison:
    """The alignment of a query name with a listed name and the resulting score."""

    score: float
    pairs: list[PartPair] = field(default_factory=list)
    unmatched_query: list[tuple[str, float]] = field(default_factory=list)
    unmatched_listed: list[tuple[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "score": round(self.score, 4),
            "pairs": [p.as_dict() for p in self.pairs],
            "unmatched_query": [
                {"part": t, "weight": round(w, 2)} for t, w in self.unmatched_query
            ],
            "unmatched_listed": [
                {"part": t, "weight": round(w, 2)} for t, w in self.unmatched_listed
            ],
        }


def _glued(
    singles: list[int], parts: tuple[str, ...], others: list[int], other_parts: tuple[str, ...]
) -> tuple[int, int, int, float] | None:
    """Find two adjacent unmatched parts on one side that together equal one on the other."""
    for i in singles:
        if i + 1 not in singles:
            continue
        joined = fold(parts[i] + parts[i + 1])
        for j in others:
            sim = Levenshtein.normalized_similarity(joined, fold(other_parts[j]))
            if sim >= 0.85:
                return i, i + 1, j, sim
    return None


def compare_names(
    query: tuple[str, ...],
    query_weights: tuple[float, ...],
    listed: tuple[str, ...],
    listed_weights: tuple[float, ...],
) -> NameComparison:
    """Best alignment of the query name's parts with the listed name's parts, scored."""
    scored = []
    for i, a in enumerate(query):
        for j, b in enumerate(listed):
            sim = part_similarity(a, b)
            if sim >= MIN_PART_SIMILARITY:
                scored.append((sim, listed_weights[j], i, j))
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[PartPair] = []
    num = den = 0.0
    for sim, weight, i, j in scored:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append(PartPair(query[i], listed[j], sim, weight))
        num += weight * sim
        den += weight
    free_q = [i for i in range(len(query)) if i not in used_q]
    free_c = [j for j in range(len(listed)) if j not in used_c]
    if free_q and free_c and len(free_q) + len(free_c) >= 3:
        glue = _glued(free_q, query, free_c, listed)
        if glue:
            i, i2, j, sim = glue
            pairs.append(PartPair(query[i] + " " + query[i2], listed[j], sim, listed_weights[j]))
            num += listed_weights[j] * sim
            den += listed_weights[j]
            free_q = [k for k in free_q if k not in (i, i2)]
            free_c = [k for k in free_c if k != j]
        else:
            glue = _glued(free_c, listed, free_q, query)
            if glue:
                j, j2, i, sim = glue
                weight = listed_weights[j] + listed_weights[j2]
                pairs.append(PartPair(query[i], listed[j] + " " + listed[j2], sim, weight))
                num += weight * sim
                den += weight
                free_q = [k for k in free_q if k != i]
                free_c = [k for k in free_c if k not in (j, j2)]
    unmatched_q = [(query[i], query_weights[i]) for i in free_q]
    unmatched_c = [(listed[j], listed_weights[j]) for j in free_c]
    den += sum(w for _, w in unmatched_q)
    den += UNMATCHED_LISTED_FACTOR * sum(w for _, w in unmatched_c)
    score = num / den if den > 0 else 0.0
    return NameComparison(score, pairs, unmatched_q, unmatched_c)
