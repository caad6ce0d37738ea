"""Organisation legal forms folded to one symbol per class (``ООО``/``OOO``/``LLC`` -> ``@llc``).

The classes are data (``names/data/legal_forms.yaml``); this module only loads them and
replaces the longest matching spelling in a token sequence by the class symbol.
"""

from __future__ import annotations

from functools import cache

from corridor.memo import memo
from corridor.names import datafiles
from corridor.names.normalize import normalize
from corridor.names.skeleton import fold

#: Prefix that marks a folded legal form among name tokens.
SYMBOL_PREFIX = "@"


@cache
def word_abbreviations() -> dict[str, tuple[str, ...]]:
    """Legal-form word -> its abbreviations (``company`` -> ``co``), from the data file."""
    data = datafiles.load("legal_form_words.yaml")
    return {str(w): tuple(str(a) for a in abbrs) for w, abbrs in data.items()}


def _abbreviated(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every spelling of a multi-word legal form with some of its words abbreviated."""
    if len(tokens) < 2:
        return [tokens]
    abbreviations = word_abbreviations()
    out: list[tuple[str, ...]] = [()]
    for tok in tokens:
        out = [prefix + (alt,) for prefix in out for alt in (tok, *abbreviations.get(tok, ()))]
    return out


@cache
def legal_form_table() -> dict[tuple[str, ...], str]:
    """Normalised spelling (as a token tuple) -> class symbol, from the YAML data file.

    Written-out spellings win over the abbreviated variants derived from them.
    """
    table: dict[tuple[str, ...], str] = {}
    derived: dict[tuple[str, ...], str] = {}
    for cls, spellings in datafiles.load("legal_forms.yaml").items():
        for spelling in spellings:
            tokens = tuple(normalize(str(spelling)).split())
            if tokens:
                table[tokens] = SYMBOL_PREFIX + str(cls)
                for variant in _abbreviated(tokens):
                    derived.setdefault(variant, SYMBOL_PREFIX + str(cls))
    return {**derived, **table}


#: Longest abbreviation that is also recognised written with its letters apart (``AG`` as
#: ``A.G.``); longer ones are words.
SPACED_MAX_LEN = 4


@cache
def spacing_table() -> dict[tuple[str, ...], str]:
    """Abbreviated legal forms written with or without their dots (``A.Ş.`` / ``AŞ``,
    ``S.L.`` / ``SL``, ``AG`` / ``A.G.``), for the end of a name only: there ``AS`` or
    ``CA`` is a legal form, elsewhere it may be a word or an article (``AS SALAM``)."""
    table = legal_form_table()
    out: dict[tuple[str, ...], str] = {}
    for key, symbol in table.items():
        if len(key) >= 2 and all(len(t) <= 2 for t in key):
            variant: tuple[str, ...] = ("".join(key),)
        elif len(key) == 1 and 2 <= len(key[0]) <= SPACED_MAX_LEN and key[0].isalpha():
            variant = tuple(key[0])
        else:
            continue
        if variant not in table:
            out.setdefault(variant, symbol)
    return out


@cache
def folded_table() -> dict[tuple[str, ...], str]:
    """The same table keyed by romanisation-folded tokens (``PZHSC`` is ``PJSC``)."""
    return {tuple(fold(t) for t in key): sym for key, sym in legal_form_table().items()}


@cache
def _first_words() -> tuple[frozenset[str], frozenset[str]]:
    """The first word of every spelling (plain or with its dots left out) and of every
    folded spelling: a run of words starting with neither is no legal form, and most words
    of a name start none."""
    plain = frozenset(k[0] for k in legal_form_table()) | frozenset(k[0] for k in spacing_table())
    return plain, frozenset(k[0] for k in folded_table())


@cache
def _max_len() -> int:
    return max(len(k) for k in legal_form_table())


#: Single-word spellings at least this long are also recognised with one typo
#: (``Limitd``, ``Compani``): short ones (``AO``, ``SA``) would swallow real words.
FUZZY_MIN_LEN = 6


@cache
def _fuzzy_words() -> dict[str, str]:
    """Deletion keys of long single-word spellings -> the spelling (SymSpell style)."""
    out: dict[str, str] = {}
    for key in legal_form_table():
        if len(key) == 1 and len(key[0]) >= FUZZY_MIN_LEN:
            word = key[0]
            out.setdefault(word, word)
            for i in range(len(word)):
                out.setdefault(word[:i] + word[i + 1 :], word)
    return out


@cache
def _folded_words() -> dict[str, str]:
    """Folded single-word spellings -> the spelling (``kompani`` -> ``company``)."""
    return {fold(key[0]): key[0] for key in legal_form_table() if len(key) == 1}


@memo(maxsize=100_000)
def _respell(token: str) -> str:
    """A token that is a legal-form word in another romanisation or with one typo,
    spelled as that word (``Compani`` -> ``company``)."""
    same = _folded_words().get(fold(token))
    if same is not None:
        return same
    if len(token) < FUZZY_MIN_LEN - 1 or not token.isalpha():
        return token
    fuzzy = _fuzzy_words()
    hit = fuzzy.get(token)
    if hit is None:
        for i in range(len(token)):
            hit = fuzzy.get(token[:i] + token[i + 1 :])
            if hit is not None:
                break
    if hit is None or abs(len(hit) - len(token)) > 1:
        return token
    return hit


#: Shortest cut-off legal-form word recognised at the end of a name (``COMP``, ``LIMIT``).
CUT_MIN_LEN = 4


@cache
def _long_words() -> tuple[str, ...]:
    words = {k[0] for k in legal_form_table() if len(k) == 1 and len(k[0]) >= 6}
    return tuple(sorted(words, key=lambda w: (len(w), w)))  # the shortest completion first


@cache
def _endings() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """(words before, last word) of every spelling ending in a word of six letters or
    more, by the last word's first four letters; shortest last word first."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for key in legal_form_table():
        if len(key[-1]) >= 6:
            out.setdefault(key[-1][:CUT_MIN_LEN], []).append((key[:-1], key[-1]))
    return {k: tuple(sorted(set(v), key=lambda e: (len(e[1]), e))) for k, v in out.items()}


def _uncut(tokens: list[str]) -> str:
    """The last word completed when it is a legal form's last word cut off by a
    fixed-width field (``CORPOR`` -> ``corporation``, ``SAL OFFS`` -> ``offshore``)."""
    last = tokens[-1]
    if len(last) < CUT_MIN_LEN or (last,) in legal_form_table():
        return last
    for before, word in _endings().get(last[:CUT_MIN_LEN], ()):
        if (
            word.startswith(last)
            and len(word) > len(last)
            and tuple(tokens[len(tokens) - 1 - len(before) : -1]) == before
        ):
            return word
    return last


def fold_legal_forms(tokens: list[str]) -> list[str]:
    """Replace legal-form spellings in ``tokens`` by their class symbol, longest match first.

    Longest anywhere, not leftmost: in ``Managing Company Limited Liability Company`` the
    four-word ``Limited Liability Company`` wins over ``Company Limited``. The last word
    may be a legal-form word cut short (names are truncated at the end).
    """
    table = legal_form_table()
    longest = _max_len()
    tokens = [t if (t,) in table else _respell(t) for t in tokens]
    if len(tokens) >= 2:
        tokens[-1] = _uncut(tokens)
    folded_keys = folded_table()
    spaced = spacing_table()
    folded = [fold(t) for t in tokens]
    n = len(tokens)
    found = []
    plain_first, folded_first = _first_words()
    for i in range(n):
        if tokens[i] not in plain_first and folded[i] not in folded_first:
            continue
        for size in range(min(longest, n - i), 0, -1):
            key = tuple(tokens[i : i + size])
            symbol = table.get(key) or folded_keys.get(tuple(folded[i : i + size]))
            if symbol is None and i + size == n and i > 0:
                symbol = spaced.get(key)
            if symbol is not None:
                found.append((-size, i, symbol))
    if not found:
        return tokens
    taken = [False] * n
    starts: dict[int, tuple[int, str]] = {}
    for neg_size, i, symbol in sorted(found):
        size = -neg_size
        if any(taken[i : i + size]):
            continue
        for k in range(i, i + size):
            taken[k] = True
        starts[i] = (size, symbol)
    out: list[str] = []
    i = 0
    while i < n:
        if i in starts:
            size, symbol = starts[i]
            out.append(symbol)
            i += size
        else:
            out.append(tokens[i])
            i += 1
    return out


def is_legal_form(token: str) -> bool:
    """True for a folded legal-form symbol."""
    return token.startswith(SYMBOL_PREFIX)
