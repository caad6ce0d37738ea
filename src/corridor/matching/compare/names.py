"""Name evidence: align the parts of two names and say which part matched which.

A name is a sequence of tokens (``corridor.names.tokens``), each with a weight: how rare
it is among listed names (IDF), so ``mohammed`` or ``trading`` count little and a rare
surname counts a lot. Parts are paired regardless of order (``LAST, First`` vs
``First LAST``) by best similarity; adjacent parts may pair with one glued part
(``Tong Chol`` / ``Tongchol``). Query parts left over count against the match (the
query says something the list does not); listed parts left over count less (lists
carry middle names and patronymics that customers leave out). A whole name within a
typo or two of the listed one scores as a misspelling of it (``_near_spelling_score``).
"""

from __future__ import annotations

import cython
from rapidfuzz.distance import OSA

from corridor.matching.compare.schema import Kind
from corridor.matching.result import NameAlignment, PartPair, UnmatchedPart
from corridor.matching.tuning import (
    ABJAD_CONSONANTS,
    ABJAD_SPELLING,
    CONFLICTING_INITIAL_MIN,
    CONTESTED_LISTED_FACTOR,
    CONTESTED_QUERY_FACTOR,
    CUT_OFF_MIN_LETTERS,
    DIGRAPH_MIN_LEN,
    DIGRAPH_SIMILARITY,
    EXTRA_GIVEN_FACTOR,
    EXTRA_GIVEN_MIN_PAIRS,
    FOLDED_SIMILARITY,
    FULL_CREDIT_MIN_LEN,
    FULL_CREDIT_SIMILARITY,
    GLUED_MIN_SIMILARITY,
    GLUED_PART_MIN_LEN,
    GLUED_TRIPLE_MIN_LEN,
    HELD_MIN_WEIGHT,
    HELD_PART_SIMILARITY,
    INITIAL_SIMILARITY,
    JOINED_MAX_PARTS,
    LONG_NAME_LETTERS,
    LONG_NAME_NEAR_SPELLING_EDITS,
    LOOSE_PAIR_MAX_EDITS,
    LOOSE_PAIR_SIMILARITY,
    LOOSE_PAIR_WEIGHT_RATIO,
    MIN_PART_SIMILARITY,
    NEAR_SPELLING_EDIT_COST,
    NEAR_SPELLING_EDITS,
    NEAR_SPELLING_MIN_PART,
    NEAR_SPELLING_PART_MIN_LEN,
    NEAR_SPELLING_SCORE,
    PAIR_MEMO_BUDGET,
    PATRONYMIC_FORM_SIMILARITY,
    PREFIX_MIN_LEN,
    RARE_PART_WEIGHT,
    SKELETON_MIN_EDIT_SIMILARITY,
    SKELETON_MIN_LEN,
    SKELETON_SIMILARITY,
    SURNAME_FORM_SIMILARITY,
    SWAP_MIN_LEN,
    TRUNCATED_SIMILARITY,
    TWO_EDIT_PART_LEN,
    UNMATCHED_LISTED_FACTOR,
    UNMATCHED_QUERY_FACTOR,
)
from corridor.memo import memo
from corridor.names.central_asian import (
    patronymic_stems,
    same_patronymic,
    same_surname,
    variant_spellings,
)
from corridor.names.skeleton import (
    abjad_spelling_match,
    consonants,
    digraph_key,
    fold,
    is_unvowelled,
    skeleton,
)
from corridor.names.tokens import is_weak

# The thresholds the comparisons below test C doubles and lengths against, as C values:
# compiled, a C double compared with a module's Python float is boxed first, in the
# alignment's loop once for every pair of parts.
_MIN_PART = cython.declare(cython.double, MIN_PART_SIMILARITY)
_LOOSE = cython.declare(cython.double, LOOSE_PAIR_SIMILARITY)
_LOOSE_RATIO = cython.declare(cython.double, LOOSE_PAIR_WEIGHT_RATIO)
_TRUNCATED = cython.declare(cython.double, TRUNCATED_SIMILARITY)
_FOLDED = cython.declare(cython.double, FOLDED_SIMILARITY)
_SKELETON_MIN_EDIT = cython.declare(cython.double, SKELETON_MIN_EDIT_SIMILARITY)
_SKELETON = cython.declare(cython.double, SKELETON_SIMILARITY)
_DIGRAPH = cython.declare(cython.double, DIGRAPH_SIMILARITY)
_PATRONYMIC = cython.declare(cython.double, PATRONYMIC_FORM_SIMILARITY)
_SURNAME = cython.declare(cython.double, SURNAME_FORM_SIMILARITY)
_GLUED_MIN = cython.declare(cython.double, GLUED_MIN_SIMILARITY)
_PREFIX_MIN_LEN = cython.declare(cython.Py_ssize_t, PREFIX_MIN_LEN)
_SKELETON_MIN_LEN = cython.declare(cython.Py_ssize_t, SKELETON_MIN_LEN)
_DIGRAPH_MIN_LEN = cython.declare(cython.Py_ssize_t, DIGRAPH_MIN_LEN)
_GLUED_PART_MIN_LEN = cython.declare(cython.Py_ssize_t, GLUED_PART_MIN_LEN)
_GLUED_TRIPLE_MIN_LEN = cython.declare(cython.Py_ssize_t, GLUED_TRIPLE_MIN_LEN)


@memo(maxsize=200_000)
def _spellings(token: str) -> tuple[str, str | None, tuple[str, ...]]:
    """What every comparison of a part reads of it, computed once per part: its folded
    spelling, its digraph key (None where that rule does not apply: short or not all
    letters) and its spellings in the lists' romanisation."""
    key = digraph_key(token) if len(token) >= DIGRAPH_MIN_LEN and token.isalpha() else None
    return fold(token), key, variant_spellings(token)


#: OSA similarity, looked up once (the hottest call of the comparison).
_osa_similarity = OSA.normalized_similarity


@cython.locals(sim=cython.double, folded_sim=cython.double)
def part_similarity(a: str, b: str, abjad: bool = False) -> float:
    """Similarity of two name parts in [0, 1]: spelling-variant aware, typo tolerant.

    ``abjad``: the query part was transliterated from a script without short vowels
    (Arabic, Persian), so equal consonants are strong evidence.
    """
    if a == b:
        return 1.0
    if a[0] == "@" or b[0] == "@":  # two legal forms pair up weakly; a word never does
        return MIN_PART_SIMILARITY if a[0] == b[0] else 0.0
    if len(a) == 1:  # a query initial stands for a listed part starting with it
        return INITIAL_SIMILARITY if a[0] == b[0] else 0.0
    if len(b) == 1:  # a listed initial says less than the query's full word
        return 0.0
    fa, key_a, variants = _spellings(a)
    fb, key_b, _ = _spellings(b)
    if fa == fb:
        return FOLDED_SIMILARITY
    # Typos are compared on the raw and the folded spelling (folding can hide or
    # magnify a typo); transpositions count as one edit.
    sim = _osa_similarity(a, b)
    folded_sim = _osa_similarity(fa, fb)
    if folded_sim > sim:
        sim = folded_sim
    if (
        sim >= _SKELETON_MIN_EDIT
        and len(fa) >= _SKELETON_MIN_LEN  # short ones collide
        and len(fb) >= _SKELETON_MIN_LEN
        and skeleton(a) == skeleton(b)
    ):
        sim = max(sim, _SKELETON)  # vowels differ (Mohammed / Muhammad)
    elif abjad and is_unvowelled(a):
        sim = max(sim, _abjad_similarity(a, b))
    # ISO 9 / Czech against BGN romanisation of Cyrillic (Anatol'evic / Anatolyevich).
    if (
        sim < _DIGRAPH
        and key_a is not None
        and len(key_a) >= _DIGRAPH_MIN_LEN - 1
        and key_a == key_b
    ):
        sim = _DIGRAPH
    if fa[0] == fb[0]:  # both forms start with the same stem
        if sim < _PATRONYMIC and same_patronymic(a, b):
            sim = _PATRONYMIC  # Zhakypuly / Zhakypovich
        elif sim < _SURNAME and same_surname(a, b):
            sim = _SURNAME  # Kasen / Kasenov, Khalimzoda / Khalimov
    if sim < _FOLDED:
        for variant in variants:  # Uzbek Toxtaxunov / Tokhtakhunov
            sim = max(sim, part_similarity(variant, b, abjad))
    return sim


class PairMemo:
    """Part similarities already worked out, one small table per query part.

    Alignments look up every pair of a query part and a listed part: about a million
    look-ups for 20,000 customer names, 290,000 of them distinct pairs. An LRU cache keyed
    by both parts held 200,000 of them in about 100 MB and, full, dropped pairs the next
    names needed again; these tables hold all 290,000 in about 15 MB, looked up by the
    listed part alone. At most ``budget`` pairs are held: past it every table is dropped
    and filling starts again.
    """

    __slots__ = ("budget", "held", "rows")

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0
        self.rows: dict[tuple[str, bool], dict[str, float]] = {}

    def row(self, part: str, abjad: bool) -> dict[str, float]:
        """The table of query part ``part`` (a new one the first time)."""
        key = (part, abjad)
        found = self.rows.get(key)
        if found is None:
            found = self.rows[key] = {}
        return found

    def rows_of(self, parts: tuple[str, ...], abjad: bool) -> tuple[dict[str, float], ...]:
        """The table of each of these query parts, in order: the alignments of one query
        name's candidates take them once, not once per candidate."""
        return tuple([self.row(part, abjad) for part in parts])

    @cython.locals(sim=cython.double)
    def add(self, row: dict[str, float], a: str, b: str, abjad: bool) -> float:
        """Work out the similarity of ``a`` and ``b`` and keep it in ``a``'s table."""
        sim = part_similarity(a, b, abjad)
        self.held += 1
        if self.held > self.budget:  # a new start: tables of parts no longer met go
            self.rows.clear()
            row.clear()
            self.rows[(a, abjad)] = row
            self.held = 1
        row[b] = sim
        return sim


#: The alignments' memo.
PAIRS = PairMemo(PAIR_MEMO_BUDGET)


def _abjad_similarity(a: str, b: str) -> float:
    """How well the unvowelled query part ``a`` and the listed part ``b`` agree."""
    cons = consonants(a)
    if len(cons) < 2 or cons != consonants(b):
        return 0.0
    if abjad_spelling_match(a, b):
        return ABJAD_SPELLING
    return ABJAD_CONSONANTS[min(len(cons), 3)]


def _credit(sim: float, length: int) -> float:
    """How much of a pair's weight a similarity earns: exact and spelling variants nearly
    all of it, a one-letter typo in a long part most of it, a loose likeness little.

    In parts of four letters or fewer one letter makes another name (Wang / Zhang,
    Huan / Huang), so a typo-level likeness there earns much less.
    """
    if sim >= FULL_CREDIT_SIMILARITY or length >= FULL_CREDIT_MIN_LEN:
        return sim * sim
    return sim**3


@memo(maxsize=100_000)
def glued_similarity(part: str, *parts: str) -> float:
    """Similarity of one part with two or three adjacent parts written together (Tongchol /
    Tong Chol, Rosoboronexport / Ros Oboron Export)."""
    return OSA.normalized_similarity(fold(part), fold("".join(parts)))


@cython.locals(
    n_b=cython.Py_ssize_t,
    i=cython.Py_ssize_t,
    j=cython.Py_ssize_t,
    size=cython.Py_ssize_t,
    length=cython.Py_ssize_t,
    longest=cython.Py_ssize_t,
    sim=cython.double,
)
def _glue_candidates(
    query: tuple[str, ...], listed: tuple[str, ...]
) -> list[tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """(similarity, query indexes, listed indexes) for one part against two or three
    adjacent parts of the other name written together."""
    found = []
    for side_a, side_b, a_first in ((query, listed, True), (listed, query, False)):
        n_b = len(side_b)
        if n_b < 2:
            continue
        # The first letter of each run's first part (none where a legal form starts it).
        firsts = [t[0] for t in side_b]
        for i, part in enumerate(side_a):
            length = len(part)
            if length < _GLUED_PART_MIN_LEN:
                continue
            letter = part[0]
            if letter == "@" or letter not in firsts:
                continue
            longest = JOINED_MAX_PARTS if length >= _GLUED_TRIPLE_MIN_LEN else 2
            for j in range(n_b - 1):
                if firsts[j] != letter:
                    continue
                for size in range(2, min(longest, n_b - j) + 1):
                    if firsts[j + size - 1] == "@":
                        break
                    sim = glued_similarity(part, *side_b[j : j + size])
                    if sim >= _GLUED_MIN:
                        others = tuple(range(j, j + size))
                        pair = ((i,), others) if a_first else (others, (i,))
                        found.append((sim, pair[0], pair[1]))
    return found


#: Index tuples of single parts, shared so the hot loop allocates none.
_ONE = tuple((i,) for i in range(256))


def compare_names(
    query: tuple[str, ...],
    query_weights: tuple[float, ...],
    listed: tuple[str, ...],
    listed_weights: tuple[float, ...],
    kind: Kind = "person",
    abjad: bool = False,
    query_person: bool = True,
) -> NameAlignment:
    """Best alignment of the query name's parts with the listed name's parts, scored.

    ``query_person``: the query is known to name a person (extra given names are usual).
    """
    score, pairs, unmatched_q, unmatched_c = align_names(
        query, query_weights, listed, listed_weights, kind, abjad, query_person
    )
    return NameAlignment(score, [PartPair(*p) for p in pairs], unmatched_q, unmatched_c)


#: One aligned pair on the fast path: (query text, listed text, similarity, weight), the
#: fields of :class:`PartPair` in order.
RawPair = tuple[str, str, float, float]
#: What :func:`align_names` returns: score, pairs, unmatched query and listed parts.
RawAlignment = tuple[float, list[RawPair], list[UnmatchedPart], list[UnmatchedPart]]


@cython.locals(
    n_q=cython.Py_ssize_t,
    n_c=cython.Py_ssize_t,
    i=cython.Py_ssize_t,
    j=cython.Py_ssize_t,
    last=cython.Py_ssize_t,
    sim=cython.double,
    weight=cython.double,
    loose_min=cython.double,
    num=cython.double,
    den=cython.double,
    score=cython.double,
    may_be_cut=cython.bint,
    row=dict,
)
def align_names(
    query: tuple[str, ...],
    query_weights: tuple[float, ...],
    listed: tuple[str, ...],
    listed_weights: tuple[float, ...],
    kind: Kind = "person",
    abjad: bool = False,
    query_person: bool = True,
    floor: float = 0.0,
    contested: bool = False,
    rows: tuple[dict[str, float], ...] | None = None,
) -> RawAlignment | None:
    """:func:`compare_names` as plain tuples: the matcher's hot path, which makes the
    explanation's objects only for the results it shows.

    ``floor``: None instead of an alignment when the name score cannot reach it
    (:func:`_score_bound`), so hopeless candidates cost no pairing. ``contested``: see
    :func:`_unmatched_penalty`. ``rows``: the query parts' tables of part similarities
    (``PAIRS.rows_of(query, abjad)``), for a caller that aligns one query name with many
    names.
    """
    scored: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    append = scored.append
    memo = PAIRS
    if rows is None:
        rows = memo.rows_of(query, abjad)
    n_q, n_c = len(query), len(listed)
    last = n_q - 1
    one = _ONE if max(n_q, n_c) <= len(_ONE) else tuple((i,) for i in range(max(n_q, n_c)))
    for i, a in enumerate(query):
        may_be_cut = i == last and len(a) >= _PREFIX_MIN_LEN
        qs = one[i]
        loose_min = _LOOSE_RATIO * query_weights[i]
        row = rows[i]
        for j, b in enumerate(listed):
            known = row.get(b)
            sim = memo.add(row, a, b, abjad) if known is None else known
            if may_be_cut and sim < _TRUNCATED and b.startswith(a) and _truncated(a, b):
                sim = _TRUNCATED
            # Loose pairs (two edits) only between parts of comparable weight: a
            # distinctive query part must not hide behind a weak listed one (Hakim / Haji).
            if sim >= _MIN_PART or (
                not contested
                and sim >= _LOOSE
                and listed_weights[j] >= loose_min
                and part_edits(a, b) <= LOOSE_PAIR_MAX_EDITS
            ):
                append((sim, listed_weights[j], qs, one[j]))
    if n_q != n_c:
        for sim, qs, cs in _glue_candidates(query, listed):
            weight = 0.0
            for j in cs:
                weight += listed_weights[j]
            append((sim, weight, qs, cs))
    if floor > 0.0:
        bound = _score_bound(scored, query, query_weights, listed, listed_weights, kind)
        if bound < floor:
            return None
    scored.sort(reverse=True)
    used_q = [False] * n_q
    used_c = [False] * n_c
    pairs: list[RawPair] = []
    num = den = 0.0
    for sim, weight, qs, cs in scored:
        if len(qs) == 1 and len(cs) == 1:
            i, j = qs[0], cs[0]
            if used_q[i] or used_c[j]:
                continue
            used_q[i] = used_c[j] = True
            q_text, c_text = query[i], listed[j]
            if len(q_text) == 1:  # an initial says only as much as an initial
                weight = min(weight, query_weights[i])
        else:
            if _any_used(used_q, qs) or _any_used(used_c, cs):
                continue
            for i in qs:
                used_q[i] = True
            for j in cs:
                used_c[j] = True
            q_text = " ".join([query[i] for i in qs])
            c_text = " ".join([listed[j] for j in cs])
        pairs.append((q_text, c_text, sim, weight))
        num += weight * _credit(sim, _folded_length(q_text, c_text))
        den += weight
    unmatched_q = [(query[i], query_weights[i]) for i in range(n_q) if not used_q[i]]
    unmatched_c = [(listed[j], listed_weights[j]) for j in range(n_c) if not used_c[j]]
    den += _unmatched_penalty(pairs, unmatched_q, unmatched_c, kind, query_person, contested)
    score = num / den if den > 0 else 0.0
    if pairs and not _any_word(unmatched_q) and not _any_word(unmatched_c):
        score = max(score, _near_spelling_score(pairs, query))
    return score, pairs, unmatched_q, unmatched_c


# The helpers below are loops, not generator expressions: compiled, a generator is an
# object made and resumed for every comparison.


@cython.locals(i=cython.Py_ssize_t)
def _any_used(used: list[bool], parts: tuple[int, ...]) -> bool:
    """One of these parts is already paired."""
    for i in parts:  # noqa: SIM110 (a loop: see above)
        if used[i]:
            return True
    return False


def _any_word(unmatched: list[UnmatchedPart]) -> bool:
    """One of these unmatched parts is a word (not a legal form)."""
    for t, _ in unmatched:  # noqa: SIM110 (a loop: see above)
        if t[0] != "@":
            return True
    return False


@cython.locals(
    i=cython.Py_ssize_t,
    j=cython.Py_ssize_t,
    sim=cython.double,
    weight=cython.double,
    credit=cython.double,
    q_factor=cython.double,
    l_factor=cython.double,
    cost=cython.double,
    earn=cython.double,
    earn_c=cython.double,
    distinctive_left=cython.bint,
)
def _score_bound(
    scored: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]],
    query: tuple[str, ...],
    query_weights: tuple[float, ...],
    listed: tuple[str, ...],
    listed_weights: tuple[float, ...],
    kind: Kind,
) -> float:
    """An upper bound of the name score, from the possible pairs alone (before pairing).

    A pair earns at most ``weight × similarity²`` (its listed parts' weight) and adds its
    weight to the denominator;
    a part that no possible pair holds stays unmatched and costs at least its smallest
    factor. With ``N`` the most the pairs can earn and ``K`` that least cost, the score
    ``num / (den + K)`` with ``num <= den`` is at most ``N / (N + K)``. A name whose every
    distinctive part has a possible partner may be a whole-name misspelling (score 0.95):
    no bound then (1.0).
    """
    reached_q = [False] * len(query)
    best = [0.0] * len(listed)
    earn_q = [0.0] * len(query)
    for sim, weight, qs, cs in scored:
        for i in qs:
            reached_q[i] = True
        credit = sim * sim
        for j in cs:
            if credit > best[j]:
                best[j] = credit
        if weight * credit > earn_q[qs[0]]:
            earn_q[qs[0]] = weight * credit
    q_factor = UNMATCHED_QUERY_FACTOR[kind]
    if kind == "person":
        q_factor = min(q_factor, EXTRA_GIVEN_FACTOR)
    cost = 0.0
    distinctive_left = False
    for i, reached in enumerate(reached_q):
        if not reached:
            cost += q_factor * query_weights[i]
            distinctive_left = distinctive_left or query[i][0] != "@"
    earn_c = 0.0
    l_factor = UNMATCHED_LISTED_FACTOR[kind]
    for j, credit in enumerate(best):
        if credit > 0.0:
            earn_c += listed_weights[j] * credit
        else:
            cost += l_factor * listed_weights[j]
            distinctive_left = distinctive_left or listed[j][0] != "@"
    if not distinctive_left:
        return 1.0
    # Pairs hold distinct listed parts and distinct first query parts: either side's
    # best earnings bound what they earn together.
    earn = min(earn_c, sum(earn_q))
    return earn / (earn + cost) if earn > 0.0 else 0.0


@memo(maxsize=200_000)
def _folded_length(a: str, b: str) -> int:
    """The longer folded spelling of a pair (what decides how a typo is credited)."""
    return max(len(fold(a)), len(fold(b)))


def _holds_listed_name(pairs: list[RawPair], unmatched_listed: list[UnmatchedPart]) -> bool:
    """Every distinctive listed part is paired, closely, with full query words, and the
    listed name is distinctive enough that holding it means something."""
    strong = [p for p in pairs if p[2] >= HELD_PART_SIMILARITY and len(p[0]) > 1 and p[0][0] != "@"]
    if len(strong) < EXTRA_GIVEN_MIN_PAIRS or len(strong) != len(pairs):
        return False
    for t, _ in unmatched_listed:
        if not is_weak(t):
            return False
    rarest = total = 0.0
    for p in strong:
        rarest = max(rarest, p[3])
        total += p[3]
    return rarest >= RARE_PART_WEIGHT and total >= HELD_MIN_WEIGHT


def _unmatched_penalty(
    pairs: list[RawPair],
    unmatched_query: list[UnmatchedPart],
    unmatched_listed: list[UnmatchedPart],
    kind: Kind,
    query_person: bool = True,
    contested: bool = False,
) -> float:
    """Weight the unmatched parts add to the denominator of the name score.

    Two person-name rules on top of the flat factors: a query that holds the whole
    listed name and adds a given name (``Ivan Sergei ZHUKOV`` for ``ZHUKOV, Sergei``)
    is penalised little; a query initial left over while the list has a given name of
    another letter (``H. GUZMAN LOERA`` for ``GUZMAN LOERA, Joaquin``) contradicts it
    and costs that given name's full weight (``CONFLICTING_INITIAL_MIN`` at least).

    ``contested``: another listed entity's name is the query's, part for part. What
    this name leaves over then names someone else (the son's given name before the
    father's name, a brother's given name, the group above its company): each
    distinctive part left over (loose pairs are not made) costs ``CONTESTED_QUERY_FACTOR`` /
    ``CONTESTED_LISTED_FACTOR``
    times its weight.
    """
    q_factor = UNMATCHED_QUERY_FACTOR[kind]
    l_factor = UNMATCHED_LISTED_FACTOR[kind]
    # Each sum adds its parts in the order of the name (loops, not generators: see above).
    if contested:  # a patronymic left over is only left out, as without a contest
        query_weak = query_strong = listed = 0.0
        for t, w in unmatched_query:
            if is_weak(t):
                query_weak += w
            else:
                query_strong += w
        for t, w in unmatched_listed:
            listed += w * (
                l_factor if is_weak(t) or patronymic_stems(t) else CONTESTED_LISTED_FACTOR
            )
        return CONTESTED_QUERY_FACTOR * query_strong + q_factor * query_weak + listed
    if kind != "person":
        query_all = listed_all = 0.0
        for _, w in unmatched_query:
            query_all += w
        for _, w in unmatched_listed:
            listed_all += w
        return q_factor * query_all + l_factor * listed_all
    listed_weak = 0.0
    listed_left: list[float] = []
    for t, w in unmatched_listed:
        if is_weak(t):
            listed_weak += w
        else:
            listed_left.append(w)
    if (
        query_person
        and unmatched_query
        and not _any_weak(unmatched_query)
        and _holds_listed_name(pairs, unmatched_listed)
    ):
        q_factor = EXTRA_GIVEN_FACTOR
    listed_left.sort(reverse=True)
    penalty = 0.0
    for token, weight in unmatched_query:
        if len(token) == 1 and listed_left:  # an initial naming another given name
            penalty += max(listed_left.pop(0), CONFLICTING_INITIAL_MIN)
        else:
            penalty += q_factor * weight
    return penalty + l_factor * (sum(listed_left) + listed_weak)


def _any_weak(parts: list[UnmatchedPart]) -> bool:
    """One of these parts is a weak word or a legal form."""
    for t, _ in parts:  # noqa: SIM110 (a loop: see above)
        if is_weak(t):
            return True
    return False


def _truncated(a: str, b: str) -> bool:
    """``a`` is ``b`` cut short: three letters or more, half of it kept, two or more cut.

    One missing letter is a typo's business (and tells Huan from Huang apart).
    """
    return (
        len(a) >= PREFIX_MIN_LEN
        and len(b) >= len(a) + CUT_OFF_MIN_LETTERS
        and 2 * len(a) >= len(b)
        and b.startswith(a)
    )


def _swapped(a: str, b: str) -> bool:
    """Two parts that differ only by two adjacent letters swapped."""
    if len(a) != len(b) or len(a) < SWAP_MIN_LEN:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and (a[diff[1]] == b[diff[0]])
    )


@memo(maxsize=200_000)
def part_edits(a: str, b: str) -> int:
    """Edits between two parts (transposition = 1), on the raw or the folded spelling."""
    if a == b:
        return 0
    return min(OSA.distance(a, b), OSA.distance(fold(a), fold(b)))


def _near_spelling_score(pairs: list[RawPair], query: tuple[str, ...]) -> float:
    """A whole name within one edit (two for names of 11+ letters) of the listed name.

    This is the usual definition of a misspelling of the same name; the per-part credit
    above undervalues it when the edits fall into one short part (``Umid`` / ``Unmd``).
    """
    letters = 0
    for t in query:
        if not is_weak(t):
            letters += len(t)
    long_name = letters > LONG_NAME_LETTERS
    budget = LONG_NAME_NEAR_SPELLING_EDITS if long_name else NEAR_SPELLING_EDITS
    edits = 0
    inexact = [p for p in pairs if p[2] < 1.0]
    for q_text, l_text, similarity, _weight in inexact:
        q_parts, l_parts = q_text.split(" "), l_text.split(" ")
        if len(q_parts) != 1 or len(l_parts) != 1:
            edits += OSA.distance(fold("".join(q_parts)), fold("".join(l_parts)))
        elif similarity < FOLDED_SIMILARITY:
            part = OSA.distance(q_text, l_text)  # typos are made on the spelling
            # In a short name, one edit in a short part is usually another name (Zou
            # / Su, Firat / Sirat); two swapped letters are a slip of the keyboard.
            short = len(l_text) < NEAR_SPELLING_MIN_PART
            if short and not long_name and not _swapped(q_text, l_text):
                return 0.0
            limit = 1 if len(l_text) < TWO_EDIT_PART_LEN else 2
            # A long name whose only inexact part has two typed letters wrong.
            if long_name and len(inexact) == 1:
                limit = 2
            if len(l_text) < NEAR_SPELLING_PART_MIN_LEN or part > limit:
                return 0.0
            edits += part
    if edits > budget:
        return 0.0
    return NEAR_SPELLING_SCORE - NEAR_SPELLING_EDIT_COST * edits
