"""Spelling skeletons: one key for the romanisations of the same name.

The same Russian, Arabic, Kazakh or Turkic name is romanised in many ways (Zheleznyak /
Jelezniak, Yuriy / Iouri, Mohammed / Muhammad, Tajideen / Tajidin). Two general rule
sets, applied to single ASCII tokens, map such spellings together:

* :func:`fold` rewrites letter groups that romanisation systems disagree on (zh/j,
  kh/h, ks/x, y/i, ou/u, ee/i, ye/e, double letters …) but keeps the vowels, so it
  stays a strong signal;
* :func:`skeleton` goes further and writes every vowel group of the folded form as ``a``,
  which also absorbs vowel changes (Mohammed / Muhammad -> ``mahamad``) while keeping
  the syllable shape (Mahmoud -> ``mahmad`` stays apart): a weaker signal.

The rules are about letters, not about particular names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce
from operator import and_, itemgetter

import cython

from corridor.memo import memo

#: A rewrite rule ready to run: pattern, replacement, where its letter groups must be
#: (``_IN`` the word, at its ``_END`` or ``_START``; ``_DOUBLE``: the rule of letters
#: written twice, run where one is; ``_SEARCH``: no groups, the pattern itself is searched
#: first), the groups, and the letters every group has (as bits of :func:`_letters`: a
#: word missing one of them holds none of the groups).
Rule = tuple[re.Pattern[str], "str | Callable[[re.Match[str]], str]", int, tuple[str, ...], int]
_IN, _END, _START, _SEARCH, _DOUBLE = 0, 1, 2, 3, 4
#: The pattern of a letter written twice or more in a row (a rule of both tables).
DOUBLED = r"(.)\1+"
#: The replacement ``\1`` as a function: a template string is parsed again by every
#: ``sub`` call, matching or not.
_FIRST_GROUP = itemgetter(1)


def _rules(table: tuple[tuple[str, str, tuple[str, ...]], ...]) -> tuple[Rule, ...]:
    """Compile ``(pattern, replacement, groups)`` rows. A group written ``x$`` must end
    the word, ``^x`` start it; a rule whose groups are all absent cannot match and is
    skipped (a substring test is far cheaper than a regular expression)."""
    out: list[Rule] = []
    for pattern, repl, needs in table:
        if "\\" in repl and repl != r"\1":
            raise ValueError(f"rewrite rule {pattern!r}: of the templates only \\1 is supported")
        run: str | Callable[[re.Match[str]], str] = _FIRST_GROUP if repl == r"\1" else repl
        if pattern == DOUBLED:
            where = _DOUBLE
        elif not needs:
            where = _SEARCH
        elif all(g.endswith("$") for g in needs):
            where, needs = _END, tuple(g[:-1] for g in needs)
        elif all(g.startswith("^") for g in needs):
            where, needs = _START, tuple(g[1:] for g in needs)
        else:
            where = _IN
        # The letters every group has (none to require where a rule has no groups).
        common = reduce(and_, [_letters(group) for group in needs]) if needs else 0
        out.append((re.compile(pattern), run, where, needs, common))
    return tuple(out)


@cython.locals(bits=cython.ulonglong, code=cython.Py_UCS4)
def _letters(text: str) -> int:
    """The lower-case ASCII letters of ``text`` as bits (a: 1, b: 2, c: 4 …)."""
    bits = 0
    for code in text:
        if "a" <= code <= "z":
            bits |= cython.cast(cython.ulonglong, 1) << (ord(code) - 97)
    return bits


# Ordered rewrite rules for fold(): multi-letter groups first. The third item lists
# letter groups of which the pattern needs one.
_FOLD_RULES: tuple[Rule, ...] = _rules(
    (
        (r"dsch", "j", ("dsch",)),  # German Дж: Dschabarov / Dzhabarov
        (r"tsch", "ch", ("tsch",)),  # German Ч: Mitschailowitsch / Michailovich
        (r"(?<=[a-z]{3})off$", "ov", ("off$",)),  # French -ов: Azaroff / Azarov
        (r"shch|sch", "sh", ("shch", "sch")),  # Щ: shch / sch / sh
        (r"tch", "ch", ("tch",)),  # French-style Ch
        (r"dzh|dj|dzj", "j", ("dzh", "dj", "dzj")),  # Дж
        (r"zh|jh", "j", ("zh", "jh")),  # Ж: zh / j
        (r"kh|ch(?=[^aeiouy]|$)", "h", ("kh", "ch")),  # Х: kh / h (ch before a consonant)
        (r"gh", "g", ("gh",)),  # غ: gh / g (Ghassan is not Hassan)
        (r"ts", "c", ("ts",)),  # Ц: ts / c (Kuznetsov / Kuznecov)
        (r"ck|q|c(?=[^hiey]|$)", "k", ("c", "q")),  # hard c / q / ck
        (r"ph", "f", ("ph",)),
        (r"th", "t", ("th",)),
        (r"dh", "d", ("dh",)),
        (r"ks|cks|kcs", "x", ("ks", "kcs")),  # Кс: ks / x
        (r"w", "v", ("w",)),  # -ov / -ow, Vladimir / Wladimir
        (r"z$", "s", ("z$",)),  # Alvarez / Alvares, Cruz / Crus
        (r"d$", "t", ("d$",)),  # final devoicing: Mehmed / Mehmet, Ahmad / Ahmat
        (r"y", "i", ("y",)),  # й / ы / y: y / i / iy
        (r"ou|oo|uu", "u", ("ou", "oo", "uu")),  # French and Arabic ou / u
        (r"eie", "ee", ("eie",)),  # Timofeyev / Timofeev
        (r"ee|ii", "i", ("ee", "ii")),  # Arabic ee / i, -iy endings
        (r"ie(?=[aeiou])|ie$", "e", ("ie",)),  # Timofeyev / Timofeev, ye / e after folding y
        (r"^ie", "e", ("^ie",)),  # Yevgeny / Evgeny
        (r"ia(?=[aeiou])", "a", ("ia",)),
        (DOUBLED, r"\1", ()),  # double letters
    )
)


@cython.locals(k=cython.Py_ssize_t)
def _has_double(text: str) -> bool:
    """A character written twice in a row (what ``DOUBLED`` finds, without the regular
    expression engine: most words have none)."""
    for k in range(1, len(text)):  # noqa: SIM110 (compiled, a generator is an object a call)
        if text[k] == text[k - 1] and text[k] != "\n":
            return True
    return False


@cython.locals(present=cython.ulonglong, common=cython.ulonglong, where=cython.int)
def _rewrite(text: str, rules: tuple[Rule, ...]) -> str:
    """Apply ordered rewrite rules, skipping those that cannot match."""
    present = _letters(text)
    for pattern, repl, where, needs, common in rules:
        if present & common != common:  # a letter every group needs is missing
            continue
        if where == _IN:
            for group in needs:
                if group in text:
                    break
            else:
                continue
        elif where == _END:
            if not text.endswith(needs):
                continue
        elif where == _START:
            if not text.startswith(needs):
                continue
        elif where == _DOUBLE:
            if not _has_double(text):
                continue
        elif pattern.search(text) is None:
            continue
        rewritten = pattern.sub(repl, text)
        if rewritten != text:
            text = rewritten
            present = _letters(text)
    return text


_VOWELS = re.compile(r"[aeiou]+")
_DOUBLES = re.compile(DOUBLED)
_ARTICLE = re.compile(r"^(?:al|el|ul)(?=[^aeiou]{1}[a-z]{3,})")


@memo(maxsize=200_000)
def fold(token: str) -> str:
    """Romanisation-folded token: zh/j, kh/h, ks/x, y/i, ou/u, ee/i, ye/e, double letters."""
    if token.isdigit() or token.startswith("@"):
        return token
    out = _rewrite(token, _FOLD_RULES)
    return out or token


@memo(maxsize=200_000)
def skeleton(token: str) -> str:
    """Folded token with vowel groups as ``a``, glued article dropped (Aljarba -> ``jarba``)."""
    if token.isdigit() or token.startswith("@"):
        return token
    folded = _ARTICLE.sub("", fold(token))
    skel = _DOUBLES.sub(_FIRST_GROUP, _VOWELS.sub("a", folded))
    return skel or folded


#: Scholarly (ISO 9) and Czech-style romanisations of Cyrillic write one letter with a
#: diacritic where BGN/PCGN writes a digraph (č/ch, š/sh, ž/zh, ŝ/shch, c/ts, h/kh,
#: j/y, â/ya); with the diacritics stripped only the first letter is left. Reduced to
#: that letter both spellings meet (Bazen / Bazhen, Anatol'evic / Anatolyevich).
_DIGRAPH_RULES: tuple[Rule, ...] = _rules(
    (
        (r"shch|sch|sc", "s", ("sc", "shch")),
        (r"kh", "h", ("kh",)),
        (r"([csz])h", r"\1", ("ch", "sh", "zh")),
        (r"ts", "c", ("ts",)),
        (r"j", "y", ("j",)),
        (r"y(?=[aeou])", "", ("y",)),  # ya / yu / ye / yo: a / u / e / o (ISO 9 â, û, e, ë)
        (r"y", "i", ("y",)),
        (DOUBLED, r"\1", ()),
    )
)


@memo(maxsize=200_000)
def digraph_key(token: str) -> str:
    """Token with romanisation digraphs reduced to their first letter (see above)."""
    return _rewrite(token, _DIGRAPH_RULES)


_NOT_CONSONANT = re.compile(r"[aeiouywv]+")


@memo(maxsize=200_000)
def consonants(token: str) -> str:
    """Consonants only (y, w and v count as vowels), for spellings written without vowels.

    Arabic and Persian script transliterate to consonant strings (محمد -> ``mhmd``,
    حسين -> ``hsyn``); their consonants are those of the vowelled romanisation
    (Muhammad -> ``mhmd``, Husayn -> ``hsn``).
    """
    if token.isdigit() or token.startswith("@"):
        return token
    # و is a long u / o or, in Persian, v: left out like the vowels. Letters that only
    # meet because short vowels are not written are not a digraph (كسمري: k-s, not x).
    folded = _ARTICLE.sub("", fold(token.replace("w", "")).replace("x", "ks"))
    return _DOUBLES.sub(_FIRST_GROUP, _NOT_CONSONANT.sub("", folded))


@memo(maxsize=100_000)
def is_unvowelled(token: str) -> bool:
    """A word written the way Arabic script transliterates: no e/i/o/u, at most one inner a.

    Long vowels come out as a (alef), w and y; short vowels are not written at all
    (خالد -> ``khald``, الزبيدي -> ``alzbydy``).
    """
    if len(token) < 3 or not token.isalpha():
        return False
    body = _ARTICLE.sub("", token)[1:]
    if body.endswith("a"):  # ta marbuta, written a (فاطمة -> fatma)
        body = body[:-1]
    return not any(v in body for v in "eiou") and body.count("a") <= 1


#: What a letter of an Arabic-script transliteration may stand for in a Latin spelling
#: (after :func:`fold`): alef a long a (or e), و a long u / o (folded to v), ي a long
#: i / e (folded to i); any other letter itself.
_SLOTS = {
    "a": ("a", "e", "ah"),
    "v": ("u", "o", "v", "uv", "ov", "av"),
    "i": ("i", "e", "ei", "ai", "ia"),
}
#: After each written letter a Latin spelling may add one short vowel.
_SHORT = "aeiou"


@memo(maxsize=50_000)
def _abjad_slots(token: str) -> tuple[tuple[str, ...], ...] | None:
    """What each letter of an unvowelled transliteration may be written as in Latin."""
    folded = _ARTICLE.sub("", fold(token))
    if len(folded) < 2:
        return None
    slots = []
    for k, ch in enumerate(folded):
        if k == 0 and ch == "a":  # a first alef (or ayn) carries any vowel: Usama, Ibrahim
            slots.append(tuple(_SHORT))
        else:
            slots.append(_SLOTS.get(ch, (ch,)))
    return tuple(slots)


@cython.locals(k=cython.Py_ssize_t, pos=cython.Py_ssize_t, end=cython.Py_ssize_t)
def _spells(slots: tuple[tuple[str, ...], ...], k: int, text: str, pos: int) -> bool:
    """``text[pos:]`` writes ``slots[k:]``: a spelling of each letter in turn, each
    followed by at most one short vowel. Every way is tried, as a regular expression's
    backtracking would (this is the one ``^s0[aeiou]?s1[aeiou]?…$`` describes, without
    compiling one per token)."""
    if k == len(slots):
        return pos == len(text)
    for alt in slots[k]:
        if text.startswith(alt, pos):
            end = pos + len(alt)
            if _spells(slots, k + 1, text, end):
                return True
            if end < len(text) and text[end] in _SHORT and _spells(slots, k + 1, text, end + 1):
                return True
    return False


@memo(maxsize=200_000)
def abjad_spelling_match(token: str, latin: str) -> bool:
    """``latin`` spells the unvowelled ``token`` with short vowels added and nothing else.

    Stricter than equal consonants: حسن (``hsn``) is Hasan but not Husayn, whose long
    vowel Arabic script writes (حسين, ``hsyn``).
    """
    slots = _abjad_slots(token)
    if slots is None:
        return False
    return _spells(slots, 0, _ARTICLE.sub("", fold(latin)), 0)
