"""Split a name into the parts that are compared: words, legal forms, weak words.

``name_tokens("AL-ZUBAIDI, Dr. Khaled")`` -> ``("zubaidi", "khaled")``: normalised,
honorifics and articles dropped, ``bin``/``ibn``/``ben`` folded to one spelling, glued
``Abdul``/``Abdel`` split off (``Abdulsalam`` -> ``abd salam``), and for organisations
legal forms folded to a class symbol (``ООО`` -> ``@llc``). Token order is kept (``LAST,
First`` and ``First LAST`` give the same parts in another order; the scorer aligns parts
regardless of order).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from corridor.names import datafiles
from corridor.names.central_asian import is_patronymic_word
from corridor.names.legal_forms import SYMBOL_PREFIX, fold_legal_forms
from corridor.names.normalize import normalize

_ABD = re.compile(r"^abd(?:u|e|a|ou|o|i)?l(?=[a-km-z][a-z]{2,}$)")
_ABD_ALONE = frozenset({"abdul", "abdel", "abdal", "abdoul", "abdol", "abdil", "abdu"})


@cache
def name_words() -> dict:
    """Honorifics, particles and weak words from ``names/data/name_words.yaml``."""
    data = datafiles.load("name_words.yaml")
    return {
        "honorifics": frozenset(data["honorifics"]),
        "particles": frozenset(data["particles"]),
        "weak": dict(data["weak"]),
        "abbreviations": {normalize(str(k)): str(v) for k, v in data["abbreviations"].items()},
    }


@cache
def org_words() -> dict[str, str]:
    """Abbreviation -> word, for organisation names (``names/data/org_words.yaml``)."""
    data = datafiles.load("org_words.yaml")
    out: dict[str, str] = {}
    for word, variants in data.items():
        for variant in variants:
            key = normalize(str(variant)).replace(" ", "")
            if key:
                out[key] = str(word)
    return out


@cache
def weak_tokens() -> frozenset[str]:
    """Tokens that carry little identity (bin, de, of …): folded spellings."""
    return frozenset(name_words()["weak"].values())


def is_weak(token: str) -> bool:
    """A connective word or a legal form: kept, but weighs little in a comparison."""
    return token[:1] == SYMBOL_PREFIX or token in (_WEAK or _weak_set())


#: ``weak_tokens()`` once read (``is_weak`` is asked for every part of every comparison).
_WEAK: frozenset[str] = frozenset()


def _weak_set() -> frozenset[str]:
    global _WEAK
    _WEAK = weak_tokens()
    return _WEAK


def _join_org_words(tokens: list[str]) -> list[str]:
    """Two words that ``org_words.yaml`` knows as one (``Alma-Ata`` is ``Almaty``,
    ``Nur-Sultan`` is ``Astana``), written as that word."""
    table = org_words()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] + tokens[i + 1] in table:
            out.append(table[tokens[i] + tokens[i + 1]])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def _split_abd(token: str) -> list[str]:
    if token in _ABD_ALONE:
        return ["abd"]
    m = _ABD.match(token)
    if m:
        return ["abd", token[m.end() :]]
    return [token]


@lru_cache(maxsize=100_000)  # called with organisation= by keyword too
def name_tokens(name: str, organisation: bool = False) -> tuple[str, ...]:
    """The comparable parts of one name (see module docstring)."""
    words = name_words()
    raw = normalize(name).split()
    if organisation:
        abbreviations = org_words()
        raw = fold_legal_forms([abbreviations.get(t, t) for t in raw])
    if organisation:
        raw = _join_org_words(raw)
    out: list[str] = []
    for tok in raw:
        if tok in words["honorifics"] or tok in words["particles"]:
            continue
        if out and is_patronymic_word(tok) and not is_weak(out[-1]):
            out[-1] += tok  # Zhakyp uly -> zhakypuly, one part like Zhakypovich
            continue
        tok = words["weak"].get(tok, tok)
        if not organisation:
            tok = words["abbreviations"].get(tok, tok)
        if tok.startswith("abd"):
            out.extend(_split_abd(tok))
        else:
            out.append(tok)
    if not out:  # a name made only of particles/honorifics: keep it as written
        out = raw
    return tuple(out)
