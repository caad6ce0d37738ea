"""Central Asian name forms: national patronymics and surnames, other Latin alphabets.

The rules are data (``names/data/central_asian.yaml``); this module reads them and
answers the questions the tokeniser, the index and the name comparison ask: which words
are the second half of a patronymic, whether two parts are the same patronymic or the
same surname in another form (``Zhakypuly`` / ``Zhakypovich``, ``Khalimzoda`` /
``Khalimov``), and how a part is spelled in the lists' romanisation (Uzbek
``Toxtaxunov`` / ``Tokhtakhunov``).
"""

from __future__ import annotations

from functools import cache

from rapidfuzz.distance import OSA

from corridor.memo import memo
from corridor.names import datafiles
from corridor.names.skeleton import digraph_key, fold, skeleton

#: Shortest stem a patronymic keeps (the father's name), and a surname.
PATRONYMIC_MIN_STEM = 3
SURNAME_MIN_STEM = 4
#: Two fathers' names this alike (edit similarity of their folded forms) are one name
#: written in two alphabets (Kamoliddin / Kamolitdin).
STEM_MIN_SIMILARITY = 0.8
#: The Russian patronymic endings, against which the Tajik -i patronymic is read.
_RUSSIAN_PATRONYMIC = ("ovich", "evich", "ovna", "evna")


@cache
def rules() -> dict:
    """The tables of ``names/data/central_asian.yaml``."""
    data = datafiles.load("central_asian.yaml")
    endings = {
        sex: tuple(sorted(set(words), key=len, reverse=True))
        for sex, words in data["patronymic_endings"].items()
    }
    return {
        "patronymic_words": frozenset(data["patronymic_words"]),
        "patronymic_endings": endings,
        "tajik_ending": str(data["tajik_patronymic_ending"]),
        "surname_endings": tuple(sorted(set(data["surname_endings"]), key=len, reverse=True)),
        "variants": tuple((str(k), str(v)) for k, v in data["variants"].items()),
    }


def is_patronymic_word(token: str) -> bool:
    """The second word of a patronymic written apart (``uly``, ``uulu``, ``ogli``, ``qyzy``)."""
    return token in rules()["patronymic_words"]


@memo(maxsize=100_000)
def patronymic_stems(token: str) -> tuple[tuple[str, str], ...]:
    """(father's name, sex) for each patronymic ending the part may have (``yuryevna`` is
    Yury + evna or Yur + yevna), none for another part."""
    out = []
    for sex, endings in rules()["patronymic_endings"].items():
        for ending in endings:
            if token.endswith(ending) and len(token) - len(ending) >= PATRONYMIC_MIN_STEM:
                out.append((token[: -len(ending)], sex))
    return tuple(out)


def patronymic_stem(token: str) -> tuple[str, str] | None:
    """(father's name, sex) with the longest ending, None for another part."""
    stems = patronymic_stems(token)
    return stems[0] if stems else None


def _close_stems(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return (
        fa == fb
        or skeleton(a) == skeleton(b)
        or digraph_key(fa) == digraph_key(fb)
        or OSA.normalized_similarity(fa, fb) >= STEM_MIN_SIMILARITY
    )


@memo(maxsize=200_000)
def same_patronymic(a: str, b: str) -> bool:
    """``a`` and ``b`` are one patronymic in two forms: the same father's name with the
    Russian and a national ending of the same sex (``zhakypuly`` / ``zhakypovich``,
    ``kamoliddinogli`` / ``kamolitdinovich``, Tajik ``sharifi`` / ``sharifovich``)."""
    pa, pb = patronymic_stems(a), patronymic_stems(b)
    if not pa and not pb:
        return False
    if not pa or not pb:  # a Tajik -i patronymic against a Russian one
        russian, other = (b, a) if not pa else (a, b)
        tajik = rules()["tajik_ending"]
        if not russian.endswith(_RUSSIAN_PATRONYMIC) or not other.endswith(tajik):
            return False
        return len(other) > PATRONYMIC_MIN_STEM and any(
            _close_stems(stem, other[: -len(tajik)]) for stem, _sex in patronymic_stems(russian)
        )
    return a != b and any(sa == sb and _close_stems(x, y) for x, sa in pa for y, sb in pb)


@memo(maxsize=200_000)
def surname_stems(token: str) -> frozenset[str]:
    """The stems a surname may stand for, folded and with romanisation digraphs reduced
    (``skeleton.digraph_key``): itself, and without each ending it has (``khalimzoda`` ->
    ``halim``, ``shlykov`` -> ``slik``)."""
    out = {token}
    for ending in rules()["surname_endings"]:
        if token.endswith(ending) and len(token) - len(ending) >= SURNAME_MIN_STEM:
            out.add(token[: -len(ending)])
    # Folded and not: folding a stem cut from its ending reads its last letter as final
    # (Usach- folds to usah, Usaç- to usak); the digraph key of the bare stems meets.
    kept = [s for s in out if len(s) >= SURNAME_MIN_STEM]
    return frozenset(digraph_key(fold(s)) for s in kept) | frozenset(digraph_key(s) for s in kept)


@memo(maxsize=200_000)
def same_surname(a: str, b: str) -> bool:
    """``a`` and ``b`` are one surname with and without a Russian or Tajik ending
    (``kasen`` / ``kasenov``, ``khalimzoda`` / ``khalimov``), not merely alike."""
    if a == b or surname_stems(a).isdisjoint(surname_stems(b)):
        return False
    fa, fb = fold(a), fold(b)
    # Karimov and Karimova are a man and a woman of one family, not one person.
    return fa != fb and fa + "a" != fb and fb + "a" != fa


@memo(maxsize=100_000)
def variant_spellings(token: str) -> tuple[str, ...]:
    """The part spelled the lists' way where another romanisation writes other letters."""
    out = []
    for letters, listed in rules()["variants"]:
        if letters in token:
            out.append(token.replace(letters, listed))
    return tuple(out)


def stem_keys(token: str) -> list[str]:
    """Blocking keys (``t:``) under which a part meets its other patronymic or surname
    forms: the folded father's name of a patronymic, the folded surname stems."""
    keys = {"t:" + s for s in surname_stems(token)}
    stems = patronymic_stems(token)
    for stem, _sex in stems:
        keys.add("t:" + digraph_key(fold(stem)))
    if not stems and token.endswith(rules()["tajik_ending"]) and len(token) > SURNAME_MIN_STEM:
        keys.add("t:" + digraph_key(fold(token[:-1])))
    return sorted(keys)
