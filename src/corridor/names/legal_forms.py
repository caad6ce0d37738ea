"""Organisation legal forms folded to one symbol per class (``ООО``/``OOO``/``LLC`` -> ``@llc``).

The classes are data (``names/data/legal_forms.yaml``); this module only loads them and
replaces the longest matching spelling in a token sequence by the class symbol.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from corridor.names.normalize import normalize
from corridor.names.skeleton import fold

#: Prefix that marks a folded legal form among name tokens.
SYMBOL_PREFIX = "@"


@cache
def legal_form_table() -> dict[tuple[str, ...], str]:
    """Normalised spelling (as a token tuple) -> class symbol, from the YAML data file."""
    path = resources.files("corridor.names") / "data" / "legal_forms.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table: dict[tuple[str, ...], str] = {}
    for cls, spellings in data.items():
        for spelling in spellings:
            tokens = tuple(normalize(str(spelling)).split())
            if tokens:
                table[tokens] = SYMBOL_PREFIX + str(cls)
    return table


@cache
def folded_table() -> dict[tuple[str, ...], str]:
    """The same table keyed by romanisation-folded tokens (``PZHSC`` is ``PJSC``)."""
    return {tuple(fold(t) for t in key): sym for key, sym in legal_form_table().items()}


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


def fold_legal_forms(tokens: list[str]) -> list[str]:
    """Replace legal-form spellings in ``tokens`` by their class symbol, longest match first.

    Longest anywhere, not leftmost: in ``Managing Company Limited Liability Company`` the
    four-word ``Limited Liability Company`` wins over ``Company Limited``.
    """
    table = legal_form_table()
    longest = _max_len()
    tokens = [t if (t,) in table else _respell(t) for t in tokens]
    folded_keys = folded_table()
    folded = [fold(t) for t in tokens]
    n = len(tokens)
    found = []
    for i in range(n):
        for size in range(min(longest, n - i), 0, -1):
            symbol = table.get(tuple(tokens[i : i + size])) or folded_keys.get(
                tuple(folded[i : i + size])
            )
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
