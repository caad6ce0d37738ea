"""Party-matching robustness: name variations the dev set does not contain.

    python benchmarks/robustness_matching.py                 # generate, run, score, print
    python benchmarks/robustness_matching.py --doc           # also write the docs section
    python benchmarks/robustness_matching.py --keep DIR      # keep queries/labels/results

The dev set (``../shared/eval/dev``) covers a fixed set of perturbation families; the
official held-out set adds families it does not show. This benchmark generates, from the
real OFAC SDN and UN list files, queries in families dev lacks (initials, an extra given
name, cut-off names, glued/split compounds, hyphens and apostrophes, diacritics, the UN
entries' real Arabic-script names, Cyrillic organisation names, Ukrainian/Kazakh and
German/French romanisations, company word order, organisation-word abbreviations,
a leading "The", two typos, phonetic misspellings, vessel prefixes, doubled letters)
plus negatives of similar structure, writes them in ``../shared/eval/PROTOCOL.md``'s
query and label format, and scores ``corridor match`` with ``../shared/eval/score.py``
(per family recall and FPR). Generation is deterministic (``--seed``); the generator
knows letters and name structure, never particular names.

Negatives are checked against every listed name the way the protocol's are: a negative is
dropped when its normalised (or token-sorted) name is within one edit (two for 11+
letters) of a listed name, or its tokens are a subset or superset of a listed name's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from doc_sections import git_commit, machine_line, replace_section, utc_now

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared"))
LISTS = SHARED / "data" / "lists"
SCORE = SHARED / "eval" / "score.py"
DATASETS = ("us_ofac_sdn", "un_sc_sanctions")
SECTION = "Party matching: robustness"
#: Queries per positive family and per negative family.
PER_FAMILY = 60
SEED = 20261127


# ----------------------------------------------------------------------------- lists
@dataclass
class Listed:
    """One list record as the generator needs it."""

    source_id: str
    kind: str  # person | org | vessel
    name: str  # primary name as written
    given: list[str]  # person: given names in order (empty for others)
    surname: str  # person: family name ("" for others)
    original: str = ""  # UN NAME_ORIGINAL_SCRIPT
    program: str = ""  # OFAC sanctions programme(s)


def _ofac_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as fh:
        return [r for r in csv.reader(fh) if len(r) >= 2]


def load_ofac() -> list[Listed]:
    out = []
    for row in _ofac_rows(LISTS / "ofac" / "sdn.csv"):
        ent, name, typ = row[0].strip(), row[1].strip(), row[2].strip()
        kind = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}.get(typ, "org")
        if kind == "aircraft":
            continue
        given, surname = [], ""
        if kind == "person" and "," in name:
            surname, rest = (p.strip() for p in name.split(",", 1))
            given = rest.split()
        out.append(Listed(f"us_ofac_sdn:{ent}", kind, name, given, surname, program=row[3].strip()))
    return out


def load_un() -> list[Listed]:
    root = ET.parse(LISTS / "un" / "UN_consolidated.xml").getroot()
    out = []
    for kind, tag in (("person", "INDIVIDUAL"), ("org", "ENTITY")):
        for node in root.iter(tag):
            parts = [
                (node.findtext(f) or "").strip()
                for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            words = " ".join(p for p in parts if p).split()
            if not words:
                continue
            name = " ".join(words)
            given, surname = (words[:-1], words[-1]) if kind == "person" else ([], "")
            original = (node.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            out.append(
                Listed(
                    f"un_sc_sanctions:{node.findtext('DATAID')}",
                    kind,
                    name,
                    given,
                    surname,
                    original,
                )
            )
    return out


def load_congress() -> list[str]:
    names = []
    with (LISTS / "negatives" / "us_congress_senzing.json").open(encoding="utf-8") as fh:
        for line in fh:
            for n in json.loads(line).get("NAMES", []):
                names.append(n.get("NAME_FULL", ""))
    return [n for n in names if n]


# ----------------------------------------------------------------------------- text
def plain(text: str) -> str:
    """Lower-case ASCII words (ICU for other scripts): the generator's own normal form."""
    if not text.isascii():
        import icu

        text = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII").transliterate(text)
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def person_name(e: Listed, given: list[str], rng: random.Random) -> str:
    """A person's name in one of the orders customers write it."""
    if not given:
        return e.surname
    g = " ".join(given)
    return rng.choice([f"{g} {e.surname}", f"{e.surname}, {g}", f"{g} {e.surname.title()}"])


def words_of(e: Listed) -> list[str]:
    return e.name.replace(",", " ").split()


# ------------------------------------------------------------- perturbation families
Perturb = Callable[[Listed, random.Random], str | None]


def initials(e: Listed, rng: random.Random) -> str | None:
    """Given names written as initials: ``S.V. Zhukov``, ``J. Smith``, ``Zhukov S. V.``."""
    if e.kind != "person" or not e.given or len(e.surname) < 3:
        return None
    keep_first = len(e.given) > 1 and rng.random() < 0.4
    inits = [g[0].upper() + "." for g in e.given]
    if keep_first:
        inits[0] = e.given[0]
    style = rng.choice(["glued", "spaced"])
    given = ["".join(inits)] if style == "glued" and not keep_first else inits
    return person_name(e, given, rng)


COMMON_GIVEN = (
    "Ali",
    "John",
    "Maria",
    "Ahmed",
    "Ivan",
    "Anna",
    "Omar",
    "David",
    "Elena",
    "Hassan",
    "Peter",
    "Fatima",
    "Alexander",
    "Yusuf",
    "Michael",
    "Nikolai",
)


def extra_given(e: Listed, rng: random.Random) -> str | None:
    """One more given name (a second forename or a patronymic-like name) added."""
    if e.kind != "person" or not e.given:
        return None
    given = list(e.given)
    extra = rng.choice(COMMON_GIVEN)
    if extra.lower() in (g.lower() for g in given):
        return None
    given.insert(rng.randint(1, len(given)), extra)
    return person_name(e, given, rng)


def truncated(e: Listed, rng: random.Random) -> str | None:
    """The name cut off inside its last word (a fixed-width field), half or more kept."""
    words = words_of(e)
    if len(words) < 2 or len(words[-1]) < 6:
        return None
    last = words[-1]
    cut = rng.randint((len(last) + 1) // 2, len(last) - 2)
    text = e.name[: e.name.rfind(last) + cut]
    return text


_COMPOUND_PREFIX = re.compile(r"^(abdul|abdel|abdur|abu|al|el|bin|nur|ul|ben)(?=[a-z]{4,})", re.I)


def compound(e: Listed, rng: random.Random) -> str | None:
    """A compound split or joined: ``Abdulrahman``/``Abdul Rahman``, ``Al Qaida``/``Alqaida``."""
    words = words_of(e)
    for i, w in enumerate(words):
        m = _COMPOUND_PREFIX.match(w)
        if m and rng.random() < 0.7:
            words[i] = w[: m.end()] + " " + w[m.end() :]
            return " ".join(words)
    pairs = [
        i
        for i in range(len(words) - 1)
        if 2 <= len(words[i]) <= 5
        and words[i].isalpha()
        and len(words[i + 1]) >= 4
        and words[i + 1].isalpha()
        and not _GENERIC_ORG.match(words[i + 1])
        and not _GENERIC_ORG.match(words[i])
    ]
    if not pairs or len(words) < 3:
        return None
    i = rng.choice(pairs)
    second = words[i + 1] if words[i].isupper() else words[i + 1].lower()
    joined = words[i] + second
    return " ".join(words[:i] + [joined] + words[i + 2 :])


def hyphen_apostrophe(e: Listed, rng: random.Random) -> str | None:
    """Hyphens and apostrophes added, removed or turned into spaces (``Al-Qaida``, ``Ch'ol``)."""
    name = e.name
    if "-" in name and rng.random() < 0.6:
        return name.replace("-", rng.choice(["", " ", " - "]))
    if "'" in name:
        return name.replace("'", rng.choice(["", " ", "`"]))
    words = words_of(e)
    if len(words) < 2:
        return None
    i = rng.randrange(len(words) - 1)
    if rng.random() < 0.5:
        return " ".join(words[:i] + [words[i] + "-" + words[i + 1]] + words[i + 2 :])
    w = words[i]
    vowels = [k for k in range(1, len(w) - 1) if w[k].lower() in "aeiou"]
    if not vowels:
        return None
    k = rng.choice(vowels)
    words[i] = w[: k + 1] + "'" + w[k + 1 :]
    return " ".join(words)


_ACCENTS = {
    "a": "áàâäã",
    "e": "éèêë",
    "i": "íîï",
    "o": "óôöõ",
    "u": "úûü",
    "c": "ç",
    "s": "şš",
    "n": "ñ",
    "g": "ğ",
    "z": "ž",
}


def diacritics(e: Listed, rng: random.Random) -> str | None:
    """Diacritics added to two or three letters, or removed where the list has them."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", e.name) if not unicodedata.combining(c)
    )
    if stripped != e.name:
        return stripped
    chars = list(e.name)
    spots = [i for i, c in enumerate(chars) if c.lower() in _ACCENTS]
    if len(spots) < 3:
        return None
    for i in rng.sample(spots, rng.randint(2, 3)):
        acc = rng.choice(_ACCENTS[chars[i].lower()])
        chars[i] = acc.upper() if chars[i].isupper() else acc
    return "".join(chars)


_ARABIC = re.compile(r"[\u0600-\u06ff]")


def arabic_script(e: Listed, rng: random.Random) -> str | None:
    """The UN entry's real name in Arabic script (``NAME_ORIGINAL_SCRIPT``)."""
    if not e.original or not _ARABIC.search(e.original):
        return None
    return e.original


#: OFAC programmes whose listed people mostly bear Arabic names.
_ARABIC_PROGRAMS = re.compile(r"SDGT|SYRIA|IRAQ|LIBYA|YEMEN|FTO|HIZBALLAH|SDT")
_LAT2AR = [
    ("kh", "خ"),
    ("sh", "ش"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("gh", "غ"),
    ("ee", "ي"),
    ("ii", "ي"),
    ("ou", "و"),
    ("oo", "و"),
    ("b", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("h", "ح"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("c", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("w", "و"),
    ("y", "ي"),
    ("g", "ج"),
    ("p", "ب"),
    ("v", "و"),
    ("x", "كس"),
]


def to_arabic(word: str) -> str:
    """A Latin-spelled Arabic name word in Arabic script, by rule: short vowels left
    out, a first vowel as alef, long ``aa``/final ``a`` as alef, ``al-`` as ال."""
    low = word.lower().replace("'", "")
    if low.startswith("al-") or low.startswith("el-"):
        return "ال" + to_arabic(low[3:])
    if "-" in low:
        return "".join(to_arabic(part) for part in low.split("-"))
    if low.startswith("abd"):  # the "servant of" element is written with ayn
        return "عبد" + (to_arabic(low[3:]) if len(low) > 3 else "")
    out, i = [], 0
    while i < len(low):
        if low[i] in "aeiou":
            if i == 0 or low.startswith("aa", i) or (low[i] == "a" and i == len(low) - 1):
                out.append("ا")
            elif low[i] in "iu" and i == len(low) - 1:
                out.append("ي" if low[i] == "i" else "و")
            i += 2 if low.startswith("aa", i) else 1
            continue
        for lat, ar in _LAT2AR:
            if low.startswith(lat, i):
                if i == 0 or low[i - 1] != low[i]:  # a doubled consonant is written once
                    out.append(ar)
                i += len(lat)
                break
        else:
            i += 1
    return "".join(out)


def arabic_by_rule(e: Listed, rng: random.Random) -> str | None:
    """A person with an Arabic name, listed in Latin letters, written in Arabic script by
    rule (real spellings differ: treat like the dev set's ``cyrillic_rule``)."""
    if e.kind != "person" or not e.given or not _ARABIC_PROGRAMS.search(e.program):
        return None
    words = e.given + e.surname.split()
    if not all(re.fullmatch(r"[A-Za-z'-]+", w) for w in words):
        return None
    return " ".join(to_arabic(w) for w in words)


_RU_ORG_FORMS = ("ООО", "АО", "ОАО", "ЗАО", "ПАО")
_LATIN_FORMS = re.compile(
    r"\b(LLC|OOO|JSC|AO|OJSC|OAO|CJSC|ZAO|PJSC|PAO|LIMITED LIABILITY COMPANY|"
    r"JOINT STOCK COMPANY|OPEN JOINT STOCK COMPANY|CLOSED JOINT STOCK COMPANY|"
    r"PUBLIC JOINT STOCK COMPANY)\b\.?",
)
_LAT2CYR = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("ye", "е"),
    ("yo", "ё"),
    ("iy", "ий"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "ы"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "к"),
    ("x", "кс"),
    ("w", "в"),
    ("j", "дж"),
    ("q", "к"),
]


def to_cyrillic(text: str) -> str:
    out, i, low = [], 0, text.lower()
    while i < len(low):
        for lat, cyr in _LAT2CYR:
            if low.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(low[i])
            i += 1
    return "".join(out).upper()


def cyrillic_org(e: Listed, rng: random.Random) -> str | None:
    """A Russian organisation in Cyrillic with «» quotes: ``АО «СТРОЙГАЗМОНТАЖ»``."""
    if e.kind != "org" or not _LATIN_FORMS.search(e.name):
        return None
    core = " ".join(_LATIN_FORMS.sub(" ", e.name).replace(",", " ").replace('"', " ").split())
    if not core or len(core) < 4:
        return None
    form = rng.choice(_RU_ORG_FORMS)
    quoted = f"«{to_cyrillic(core)}»"
    return f"{form} {quoted}" if rng.random() < 0.7 else f"{quoted} {form}"


_SLAVIC = re.compile(r"(ov|ova|ev|eva|in|ina|enko|vich|vna|sky|skiy|skaya|uk|yk)$", re.I)


def _slavic(e: Listed) -> bool:
    return e.kind == "person" and len(e.surname) >= 5 and bool(_SLAVIC.search(e.surname))


def _rewrite(
    e: Listed, rules: list[tuple[str, str]], rng: random.Random, most: int, once: bool = False
) -> str | None:
    """Apply up to ``most`` of the letter rules that occur in the name, everywhere (a
    romanisation system) or ``once`` (a slip); upper case kept."""
    name = e.name
    hits = [(p, r) for p, r in rules if re.search(p, name, re.I)]
    if not hits:
        return None
    for p, r in rng.sample(hits, min(most, len(hits))):
        name = re.sub(
            p,
            lambda m, r=r: r.upper() if m.group(0).isupper() else r,
            name,
            count=1 if once else 0,
            flags=re.I,
        )
    return name


_UA_KZ = [
    (r"(?<=[a-z])y(?=[aeiou])", "i"),
    (r"iy\b", "ii"),
    (r"(?<=\w)y\b", "i"),
    (r"ye", "ie"),
    (r"\bye", "e"),
    (r"kh", "h"),
    (r"ts", "c"),
    (r"shch", "sch"),
    (r"zh", "z"),
    (r"yu", "iu"),
    (r"ya", "ia"),
    (r"(?<=[a-z])i(?=[a-z])", "y"),
]


def translit_ua_kz(e: Listed, rng: random.Random) -> str | None:
    """Ukrainian / Kazakh romanisation of a Slavic name: i/y, ie/ye, kh/h, ts/c, shch/sch."""
    return _rewrite(e, _UA_KZ, rng, 2) if _slavic(e) else None


_DE_FR = [
    (r"sh", "sch"),
    (r"ch", "tsch"),
    (r"zh", "sch"),
    (r"(?<=[a-z])ov\b", "ow"),
    (r"(?<=[a-z])ev\b", "ew"),
    (r"(?<=[a-z])ov\b", "off"),
    (r"(?<=[a-z])u", "ou"),
    (r"kh", "ch"),
    (r"\by", "j"),
    (r"v(?=[aeiou])", "w"),
    (r"(?<=[a-z])ch", "tch"),
]


def translit_de_fr(e: Listed, rng: random.Random) -> str | None:
    """German / French spelling of a Russian name: sch, tsch, ou, -ow, -off, w, j."""
    return _rewrite(e, _DE_FR, rng, 2) if _slavic(e) else None


_GENERIC_ORG = re.compile(
    r"^(LLC|LTD|LIMITED|CO|INC|CORP|SA|GMBH|JSC|OOO|COMPANY|"
    r"CORPORATION|S\.A\.|L\.L\.C\.|CO\.,|LTD\.)\.?,?$",
    re.I,
)


def org_word_order(e: Listed, rng: random.Random) -> str | None:
    """Company words in another order: the distinctive words moved after the others."""
    if e.kind != "org":
        return None
    head, _, tail = e.name.partition(",")
    words = head.split()
    if _LATIN_FORMS.search(head) or not all(w.isalpha() or w[:-1].isalpha() for w in words):
        return None  # multi-word legal forms and bracketed parts stay where they are
    body = [w for w in words if not _GENERIC_ORG.match(w)]
    forms = [w for w in words if _GENERIC_ORG.match(w)] + tail.split()
    if len(body) < 2 or len(body) > 5:
        return None
    k = rng.randint(1, len(body) - 1)
    return " ".join(body[k:] + body[:k] + forms)


_ABBREV = [
    (r"\bCOMPANY\b", "Co."),
    (r"\bCORPORATION\b", "Corp."),
    (r"\bINTERNATIONAL\b", "Intl"),
    (r"\bINTERNATIONAL\b", "Int'l"),
    (r"\bMANUFACTURING\b", "Mfg"),
    (r"\bINDUSTRIES\b", "Ind."),
    (r"\bINDUSTRIAL\b", "Indl"),
    (r"\bLIMITED\b", "Ltd"),
    (r"\bBROTHERS\b", "Bros"),
    (r"\bTRADING\b", "Trdg"),
    (r"\bASSOCIATION\b", "Assn"),
    (r"\bNATIONAL\b", "Natl"),
    (r"\bCO\b\.?", "Company"),
    (r"\bCORP\b\.?", "Corporation"),
    (r"\bLTD\b\.?", "Limited"),
    (r"\bINC\b\.?", "Incorporated"),
    (r"\bINTL\b\.?", "International"),
]


def org_abbreviation(e: Listed, rng: random.Random) -> str | None:
    """Organisation words abbreviated or written out: Co., Corp., Intl, Int'l, Mfg, Ind."""
    if e.kind != "org":
        return None
    return _rewrite(e, _ABBREV, rng, 2, once=True)


def leading_the(e: Listed, rng: random.Random) -> str | None:
    """``The`` put before (or taken from) an organisation's name."""
    if e.kind != "org":
        return None
    if e.name.upper().startswith("THE "):
        return e.name[4:]
    return "The " + e.name


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["sub", "del", "ins", "swap"])
    letter = rng.choice("aeiourstnlkm")
    if op == "sub":
        return word[:i] + letter + word[i + 1 :]
    if op == "del":
        return word[:i] + word[i + 1 :]
    if op == "ins":
        return word[:i] + letter + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def two_typos(e: Listed, rng: random.Random) -> str | None:
    """Two character edits in a name of 12+ letters, in one word or two."""
    words = words_of(e)
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if sum(len(w) for w in words) < 12 or not long_words:
        return None
    first = rng.choice(long_words)
    words[first] = _typo(words[first], rng)
    second = rng.choice([i for i in long_words if i != first or len(words[i]) >= 8] or [first])
    words[second] = _typo(words[second], rng)
    return " ".join(words)


_PHONETIC = [
    (r"ph", "f"),
    (r"f", "ph"),
    (r"ck", "k"),
    (r"c(?=[aou])", "k"),
    (r"k", "c"),
    (r"(?<=[aeiou])s(?=[aeiou])", "z"),
    (r"z", "s"),
    (r"ei", "ey"),
    (r"ai", "ay"),
    (r"(?<=[a-z])i(?=[a-z])", "ee"),
    (r"oo", "u"),
    (r"q", "k"),
    (r"x", "ks"),
    (r"(?<=[a-z])d\b", "t"),
    (r"(?<=[aeiou])h\b", ""),
    (r"gh", "g"),
]


def phonetic(e: Listed, rng: random.Random) -> str | None:
    """Written as heard: ph/f, c/k, s/z, ei/ey, i/ee, final d/t, silent h."""
    return _rewrite(e, _PHONETIC, rng, 2, once=True)


_VESSEL_PREFIX = ("M/V ", "MV ", "M.V. ", "MT ", "M/T ", "M.T. ", "Vessel ")


def vessel_prefix(e: Listed, rng: random.Random) -> str | None:
    """A vessel name with a ship prefix (``M/V``, ``MT``) or without the list's one."""
    if e.kind != "vessel":
        return None
    m = re.match(r"^(M/?V|M/?T|MV|MT)\.?\s+", e.name, re.I)
    if m:
        return e.name[m.end() :]
    return rng.choice(_VESSEL_PREFIX) + e.name


def doubled_letters(e: Listed, rng: random.Random) -> str | None:
    """A consonant doubled or a double letter written once (Hassan/Hasan, Musa/Mussa)."""
    name = e.name
    doubles = [m.start() for m in re.finditer(r"([a-z])\1", name, re.I)]
    if doubles and rng.random() < 0.5:
        i = rng.choice(doubles)
        return name[:i] + name[i + 1 :]
    spots = [
        i
        for i in range(1, len(name) - 1)
        if name[i].isalpha()
        and name[i].lower() not in "aeiouy"
        and name[i - 1].lower() in "aeiou"
        and name[i + 1].lower() in "aeiou"
    ]
    if not spots:
        return None
    picks = rng.sample(spots, min(2, len(spots)))
    for i in sorted(picks, reverse=True):
        name = name[:i] + name[i] + name[i:]
    return name


POSITIVE: dict[str, Perturb] = {
    "initials": initials,
    "extra_given": extra_given,
    "truncated": truncated,
    "compound_split_join": compound,
    "hyphen_apostrophe": hyphen_apostrophe,
    "diacritics": diacritics,
    "arabic_script": arabic_script,
    "arabic_by_rule": arabic_by_rule,
    "cyrillic_org": cyrillic_org,
    "translit_ua_kz": translit_ua_kz,
    "translit_de_fr": translit_de_fr,
    "org_word_order": org_word_order,
    "org_abbreviation": org_abbreviation,
    "leading_the": leading_the,
    "two_typos": two_typos,
    "phonetic": phonetic,
    "vessel_prefix": vessel_prefix,
    "doubled_letters": doubled_letters,
}


# ------------------------------------------------------------------------ negatives
def skeleton_tokens(name: str) -> frozenset[str]:
    """Consonant skeletons of a name's words (``al`` dropped): how an Arabic-script
    spelling and its romanisation meet (Muhammad / محمد -> ``mhmd``)."""
    out = set()
    for tok in plain(name.replace("ة", "")).split():  # ta marbuta: Usama, not Usamat
        tok = re.sub(r"^(al|el)(?=[a-z]{3})", "", tok)
        sk = re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw]", "", tok))
        if tok not in ("al", "el") and sk:
            out.add(sk)
    return frozenset(out)


class ListedNames:
    """Every listed name (primary, aliases, original script) in the forms the negative
    check needs."""

    def __init__(self, entries: list[Listed]) -> None:
        names = [e.name for e in entries] + [e.original for e in entries if e.original]
        names += self._aliases()
        self.plain = sorted({plain(n) for n in names if plain(n)})
        self.sorted = sorted({" ".join(sorted(p.split())) for p in self.plain})
        self.token_sets = [frozenset(p.split()) for p in self.plain]
        self.token_sets += [skeleton_tokens(n) for n in names]
        self.by_token: dict[str, list[int]] = defaultdict(list)
        for i, toks in enumerate(self.token_sets):
            for t in toks:
                self.by_token[t].append(i)

    @staticmethod
    def _aliases() -> list[str]:
        out = [r[3] for r in _ofac_rows(LISTS / "ofac" / "alt.csv") if len(r) > 3]
        root = ET.parse(LISTS / "un" / "UN_consolidated.xml").getroot()
        out += [a.text or "" for a in root.iter("ALIAS_NAME")]
        return [a.strip() for a in out if a and a.strip() and a.strip() != "-0-"]

    def _shares_structure(self, toks: frozenset[str]) -> bool:
        """Tokens a subset or superset of a listed name's (two or more), where a one-letter
        token stands for any listed word with that initial."""
        words = {t for t in toks if len(t) > 1}
        initials = [t for t in toks if len(t) == 1]
        if not words:
            return False
        ids = set.intersection(*(set(self.by_token.get(t, ())) for t in words))
        for i in ids:
            listed = self.token_sets[i]
            if len(listed) < 2 and not initials:
                continue
            rest = listed - words
            if all(any(r.startswith(c) for r in rest) for c in initials) and (
                len(toks) >= 2 or len(listed) >= 2
            ):
                return True
        return False

    def too_close(self, name: str) -> bool:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        p = plain(name)
        if not p:
            return True
        limit = 2 if len(p.replace(" ", "")) >= 11 else 1
        key = " ".join(sorted(p.split()))
        for q, pool in ((p, self.plain), (key, self.sorted)):
            if process.extractOne(q, pool, scorer=Levenshtein.distance, score_cutoff=limit):
                return True
        return self._shares_structure(frozenset(p.split())) or self._shares_structure(
            skeleton_tokens(name)
        )


GENERIC_ORG_WORDS = (
    "Trading",
    "International",
    "Industries",
    "Group",
    "Holding",
    "Shipping",
    "Investment",
    "General Trading",
    "Engineering",
    "Technology",
)


def negatives(
    entries: list[Listed], congress: list[str], rng: random.Random
) -> dict[str, list[tuple[str, str]]]:
    """Negative families: (schema, name) pairs, checked against every listed name later."""
    persons = [
        e
        for e in entries
        if e.kind == "person" and e.given and len(e.given[0]) > 2 and e.given[0].isalpha()
    ]
    orgs = [e for e in entries if e.kind == "org"]
    firsts = [n.split()[0] for n in congress if len(n.split()) >= 2]
    lasts = [n.split()[-1] for n in congress if len(n.split()) >= 2]
    arabic = [
        e.original.split()
        for e in entries
        if e.original
        and _ARABIC.search(e.original)
        and e.kind == "person"
        and len(e.original.split()) >= 2
    ]
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _ in range(PER_FAMILY * 3):
        out["neg_common_person"].append(("Person", f"{rng.choice(firsts)} {rng.choice(lasts)}"))
        out["neg_initials_person"].append(
            ("Person", f"{rng.choice(firsts)[0]}. {rng.choice(lasts)}")
        )
        a, b = rng.choice(persons), rng.choice(persons)
        out["neg_recombined_person"].append(("Person", f"{a.given[0]} {b.surname}"))
        out["neg_recombined_initial"].append(("Person", f"{a.given[0][0]}. {b.surname}"))
        x, y = rng.choice(arabic), rng.choice(arabic)
        out["neg_arabic_script"].append(("Person", f"{x[0]} {y[-1]}"))
        org = rng.choice(orgs)
        generic = [
            w
            for w in org.name.replace(",", " ").split()
            if w.upper() in {g.upper() for g in GENERIC_ORG_WORDS} or _GENERIC_ORG.match(w)
        ]
        words = [rng.choice(lasts)] + (generic or [rng.choice(GENERIC_ORG_WORDS)])
        if rng.random() < 0.5:
            words.insert(1, rng.choice(GENERIC_ORG_WORDS))
        out["neg_generic_company"].append(
            (rng.choice(["Company", "Organization", "LegalEntity"]), " ".join(words))
        )
        out["neg_vessel_prefix"].append(
            ("Vessel", rng.choice(_VESSEL_PREFIX) + rng.choice(lasts).upper())
        )
    return out


# ----------------------------------------------------------------------------- build
def schema_of(e: Listed, rng: random.Random) -> str:
    if e.kind == "person":
        return "Person"
    if e.kind == "vessel":
        return "Vessel"
    return rng.choice(["Company", "Organization", "LegalEntity"])


def build(seed: int) -> tuple[list[dict], list[dict]]:
    """Queries and labels: every positive family, then every negative family."""
    rng = random.Random(seed)
    entries = load_ofac() + load_un()
    by_name: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        by_name[" ".join(sorted(plain(e.name).split()))].append(e.source_id)
    queries: list[dict] = []
    labels: list[dict] = []

    def add(schema: str, name: str, label: dict) -> None:
        qid = f"r{len(queries) + 1:05d}"
        queries.append({"id": qid, "schema": schema, "properties": {"name": [name]}})
        labels.append({"id": qid, "attrs": [], **label})

    for family, perturb in POSITIVE.items():
        pool = list(entries)
        rng.shuffle(pool)
        made = 0
        for e in pool:
            name = perturb(e, rng)
            if (
                not name
                or name == e.name
                or plain(name) == plain(e.name)
                and family
                not in ("diacritics", "hyphen_apostrophe", "vessel_prefix", "leading_the")
            ):
                continue
            twins = by_name[" ".join(sorted(plain(e.name).split()))]
            same_list = [
                s
                for s in twins
                if s != e.source_id and s.split(":")[0] == e.source_id.split(":")[0]
            ]
            other_list = [s for s in twins if s.split(":")[0] != e.source_id.split(":")[0]]
            add(
                schema_of(e, rng),
                name,
                {
                    "kind": "positive",
                    "family": family,
                    "expected": [e.source_id, *other_list],
                    "acceptable": same_list,
                    "source": e.source_id,
                    "source_name": e.name,
                },
            )
            made += 1
            if made == PER_FAMILY:
                break
    checker = ListedNames(entries)
    for family, items in negatives(entries, load_congress(), rng).items():
        seen: set[str] = set()
        made = 0
        for schema, name in items:
            bare = re.sub(r"^(M/V|MV|M\.V\.|MT|M/T|M\.T\.|Vessel) ", "", name)
            if name in seen or checker.too_close(name) or checker.too_close(bare):
                continue
            seen.add(name)
            add(
                schema,
                name,
                {"kind": "negative", "family": family, "expected": [], "acceptable": []},
            )
            made += 1
            if made == PER_FAMILY:
                break
    return queries, labels


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def ensure_db(db: Path) -> None:
    if db.exists():
        return
    cmd = [
        sys.executable,
        "-m",
        "corridor",
        "lists",
        "update",
        "--from",
        str(LISTS),
        "--db",
        str(db),
    ]
    for d in DATASETS:
        cmd += ["--dataset", d]
    subprocess.run(cmd, check=True, capture_output=True)


def score(queries: Path, labels: Path, db: Path, results: Path, src: Path | None = None) -> str:
    """score.py's report on ``corridor match`` (the installed code, or the code in ``src``)."""
    corridor = Path(sys.executable).with_name("corridor")
    env = f"PYTHONPATH={src} " if src else ""
    run = f"{env}CORRIDOR_DB={db} {corridor} match " + " ".join(f"--dataset {d}" for d in DATASETS)
    cmd = [
        sys.executable,
        str(SCORE),
        "--queries",
        str(queries),
        "--labels",
        str(labels),
        "--run",
        run,
        "--results",
        str(results),
        "--by-family",
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def checkout_src(rev: str, into: Path) -> Path:
    """``src/`` of an earlier commit, to measure the engine as it was (``--baseline``)."""
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def family_rates(report: str) -> dict[str, tuple[str, str, str]]:
    """family -> (kind, n, rate at match) from score.py's per-family lines."""
    out = {}
    for line in report.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in ("positive", "negative") and ":" not in parts[0]:
            out[parts[0]] = (parts[1], parts[2], parts[3])
    return out


def family_table(report: str, before: str | None = None, before_rev: str = "") -> str:
    """Per-family rates as a markdown table (recall for positives, FPR for negatives)."""
    now, then = family_rates(report), family_rates(before) if before else {}
    head = "| family | kind | n | " + (f"before ({before_rev}) | " if then else "") + "now |"
    rows = [head, "|---" * (5 if then else 4) + "|"]
    for fam, (kind, n, rate) in now.items():
        old = f"{then.get(fam, ('', '', '–'))[2]} | " if then else ""
        rows.append(f"| {fam} | {kind} | {n} | {old}{rate} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--keep", type=Path, help="write queries, labels and results here")
    ap.add_argument("--db", type=Path, help="database with OFAC SDN + UN (built if missing)")
    ap.add_argument("--baseline", metavar="REV", help="also score the engine of commit REV")
    ap.add_argument("--doc", action="store_true", help=f"write docs/benchmarks.md '{SECTION}'")
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="corridor-robust-"))
    out.mkdir(parents=True, exist_ok=True)
    queries, labels = build(args.seed)
    write_jsonl(out / "queries.jsonl", queries)
    write_jsonl(out / "labels.jsonl", labels)
    db = args.db or out / "lists.db"
    ensure_db(db)
    before = None
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="corridor-baseline-") as tmp:
            src = checkout_src(args.baseline, Path(tmp))
            before = score(
                out / "queries.jsonl", out / "labels.jsonl", db, out / "results_baseline.jsonl", src
            )
        print(f"== baseline {args.baseline}\n{before}")
    report = score(out / "queries.jsonl", out / "labels.jsonl", db, out / "results.jsonl")
    print(report)
    if args.doc:
        base = f" --baseline {args.baseline}" if args.baseline else ""
        lines = [
            f"Measured {utc_now()} at commit {git_commit()} on {machine_line()}.",
            "",
            f"Command: `.venv/bin/python benchmarks/robustness_matching.py --seed {args.seed}"
            f"{base} --doc`: {len(queries)} queries generated from OFAC SDN + UN in families the "
            "dev set lacks (name only, no birth date or country), scored by "
            '`../shared/eval/score.py --run "corridor match …" --by-family` at the default '
            "threshold. Rates: recall for positive families, false-positive rate for negative.",
            "",
            family_table(report, before, args.baseline or ""),
            "",
            "```",
        ]
        if before:
            lines.append(f"before: {before.strip().splitlines()[-1]}")
        lines += [f"now:    {report.strip().splitlines()[-1]}", "```"]
        replace_section(SECTION, "\n".join(lines))


if __name__ == "__main__":
    main()
