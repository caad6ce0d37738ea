"""Text normalisation shared by the index and the query: one function, one result.

Every name goes through :func:`normalize` before anything else looks at it, so a
Cyrillic, Arabic, Han or accented Latin spelling ends up as lower-case ASCII words
separated by single spaces. Results are cached: list names and customer names repeat a
lot, and ICU transliteration is the slowest step (it is skipped for ASCII input).
"""

from __future__ import annotations

import re
import unicodedata

from corridor import icu_rules
from corridor.memo import memo

#: Letters ICU leaves alone or renders oddly (Kazakh, Ukrainian, Belarusian, Turkic).
#: Mapped before ICU to the romanisation official lists use.
_PRE_MAP = str.maketrans(
    {
        "ә": "a",
        "Ә": "A",
        "ғ": "g",
        "Ғ": "G",
        "қ": "k",
        "Қ": "K",
        "ң": "n",
        "Ң": "N",
        "ө": "o",
        "Ө": "O",
        "ұ": "u",
        "Ұ": "U",
        "ү": "u",
        "Ү": "U",
        "һ": "h",
        "Һ": "H",
        "і": "i",
        "І": "I",
        "ї": "yi",
        "Ї": "Yi",
        "є": "ye",
        "Є": "Ye",
        "ґ": "g",
        "Ґ": "G",
        "ў": "u",
        "Ў": "U",
        "ı": "i",
        "ə": "a",
        "Ə": "A",
        "ß": "ss",
    }
)

#: Apostrophes and quote-like marks inside words are dropped (QA'IDA -> qaida,
#: Ch'o'l -> chol); everything else that is not a letter or digit becomes a space.
_APOSTROPHES = re.compile(r"[’'`´ʻʼʹ‘ʾ]")
#: Ayn written as a half ring (scholarly and ICU transliteration of Arabic, ``shafʿ``) is
#: a vowel carrier, written ``a`` as in the Arabic-script path (شافع -> shafa).
_AYN_MARK = re.compile(r"ʿ")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_transliterator = None


def _icu():
    global _transliterator
    if _transliterator is None:
        import icu

        if icu_rules.warming is not None:  # rules read ahead are ICU's own: wait for them
            icu_rules.warming.join()  # (read here as well, they would be read twice)
        _transliterator = icu.Transliterator.createInstance(icu_rules.ICU_CHAIN)
    return _transliterator


@memo(maxsize=100_000)
def to_ascii(text: str) -> str:
    """Any script to plain ASCII Latin; ASCII input is returned unchanged (no ICU call)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text).translate(_PRE_MAP)
    if text.isascii():
        return text
    if _ARABIC_LETTERS.search(text):
        text = arabic_spelling(text)
    return " ".join([_transliterate(word) for word in text.split(" ")])


@memo(maxsize=100_000)
def _transliterate(word: str) -> str:
    """ICU's transliteration of one space-separated word, cached: given names and surnames
    repeat across names in Cyrillic and Arabic script as in Latin, and the chain's rules
    look no further than the word (the same output as the whole name at once, checked on
    every non-Latin name of the lists, the dev set and the 200,000-row batch file)."""
    return _icu().transliterate(word)


_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
#: The article written onto the next word (الأسد -> al-asad), split off so it is
#: dropped like a Latin "al-"; the rest of the word must still be a name (3+ letters).
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff]{3,})")
#: Ayn carries a vowel in Latin spellings (علي -> Ali, عبد -> Abd, سعيد -> Said): an
#: ``a`` keeps سعيد (Said) apart from سيد (Sayyid).
_AYN = re.compile(r"ع")


def arabic_spelling(text: str) -> str:
    """Arabic-script letters rewritten the way Latin spellings of names render them, before
    ICU: the article split off, ayn and ta marbuta as ``a``
    (فاطمة -> Fatima, not Fatimt)."""
    text = _ARABIC_ARTICLE.sub("ال ", text)
    return _AYN.sub("a", text).replace("ة", "a")


@memo(maxsize=100_000)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: the form every name is compared in."""
    text = to_ascii(text).lower()
    text = _APOSTROPHES.sub("", _AYN_MARK.sub("a", text))
    return _NON_ALNUM.sub(" ", text).strip()


_ABJAD = re.compile(
    r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
)


def is_abjad(text: str) -> bool:
    """Written in a script that leaves short vowels out (Arabic, Persian, Urdu, Hebrew)."""
    return not text.isascii() and _ABJAD.search(text) is not None


def normalize_id(value: str) -> str:
    """Identifiers compared without case, spaces or punctuation (``AB-123 45`` -> ``AB12345``)."""
    return "".join(ch for ch in to_ascii(value).upper() if ch.isalnum())
