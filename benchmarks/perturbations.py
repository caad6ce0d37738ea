"""The name-variation families of the robustness benchmark: one small function per family.

Each family turns a listed record into the variant a customer file might hold (initials, an
extra given name, a cut-off name, another romanisation…), or ``None`` when the family does not
apply to that record. The functions know letters and name structure, never particular names.
``FAMILIES`` fixes their order: the runner draws from one seeded RNG family after family, so
the order, like the seed, fixes the queries and with them the figures.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

from list_records import Listed, words_of

#: A family: the record's variant, or ``None`` where the family does not apply to it.
Perturb = Callable[[Listed, random.Random], str | None]

# Shared with the negatives, which are built to look like the same kinds of names.
#: A word that is a legal form or a generic company word, not a distinctive one.
GENERIC_ORG = re.compile(
    r"^(LLC|LTD|LIMITED|CO|INC|CORP|SA|GMBH|JSC|OOO|COMPANY|"
    r"CORPORATION|S\.A\.|L\.L\.C\.|CO\.,|LTD\.)\.?,?$",
    re.I,
)
ARABIC = re.compile(r"[\u0600-\u06ff]")
VESSEL_PREFIXES = ("M/V ", "MV ", "M.V. ", "MT ", "M/T ", "M.T. ", "Vessel ")


def person_name(e: Listed, given: list[str], rng: random.Random) -> str:
    """A person's name in one of the orders customers write it."""
    if not given:
        return e.surname
    g = " ".join(given)
    return rng.choice([f"{g} {e.surname}", f"{e.surname}, {g}", f"{g} {e.surname.title()}"])


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
        and not GENERIC_ORG.match(words[i + 1])
        and not GENERIC_ORG.match(words[i])
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


def arabic_script(e: Listed, rng: random.Random) -> str | None:
    """The UN entry's real name in Arabic script (``NAME_ORIGINAL_SCRIPT``)."""
    if not e.original or not ARABIC.search(e.original):
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
    """Latin letters in Russian Cyrillic by rule, upper case as the lists write organisations."""
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


def org_word_order(e: Listed, rng: random.Random) -> str | None:
    """Company words in another order: the distinctive words moved after the others."""
    if e.kind != "org":
        return None
    head, _, tail = e.name.partition(",")
    words = head.split()
    if _LATIN_FORMS.search(head) or not all(w.isalpha() or w[:-1].isalpha() for w in words):
        return None  # multi-word legal forms and bracketed parts stay where they are
    body = [w for w in words if not GENERIC_ORG.match(w)]
    forms = [w for w in words if GENERIC_ORG.match(w)] + tail.split()
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


def vessel_prefix(e: Listed, rng: random.Random) -> str | None:
    """A vessel name with a ship prefix (``M/V``, ``MT``) or without the list's one."""
    if e.kind != "vessel":
        return None
    m = re.match(r"^(M/?V|M/?T|MV|MT)\.?\s+", e.name, re.I)
    if m:
        return e.name[m.end() :]
    return rng.choice(VESSEL_PREFIXES) + e.name


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


FAMILIES: dict[str, Perturb] = {
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


# ---- families added for the Central Asian and joined/split name parts issue ------------
# Drawn after every family above and every negative, from their own RNG (robustness_matching
# .build), so the queries of the families above stay the same, byte for byte.

_PATRONYMIC = re.compile(r"^(?P<stem>[A-Z][a-z]+?)(?P<end>ovich|evich|ovna|evna)$", re.I)
_SURNAME_END = re.compile(r"^(?P<stem>[A-Z]{4,}?)(?P<end>OV|EV|OVA|EVA)$", re.I)
_SON = ("uly", "ulı", "uulu", "o'g'li", "oʻgʻli", "ugli")
_DAUGHTER = ("qyzy", "kyzy", "qizi", "kizi")
#: Kazakh 2021 / Uzbek / Turkmen Latin letters for the BGN digraphs (each used or not).
_LATIN = [
    ("zh", ("j",)),
    ("kh", ("h", "x")),
    ("sh", ("ş", "s'")),
    ("ch", ("ç", "c'")),
    ("k", ("q",)),
    ("ya", ("ia",)),
    ("v", ("w",)),
]


def _national_letters(text: str, rng: random.Random) -> str:
    """Some BGN digraphs written as a Central Asian Latin alphabet writes them."""
    for group, options in _LATIN:
        if group in text.lower() and rng.random() < 0.6:
            pattern = re.compile(group, re.I)
            choice = rng.choice(options)
            text = pattern.sub(lambda m, c=choice: c.upper() if m.group(0).isupper() else c, text)
    return text


def central_asian(e: Listed, rng: random.Random) -> str | None:
    """A person with a Russian-form patronymic or surname written in a national form: the
    patronymic as -uly / uulu / oʻgʻli / qyzy (glued or apart), the surname without its
    -ov or with -zoda, letters of the Kazakh, Uzbek or Turkmen Latin alphabets."""
    if e.kind != "person" or not e.given:
        return None
    given = list(e.given)
    surname = e.surname.title()
    changed = False
    for k, g in enumerate(given):
        m = _PATRONYMIC.match(g)
        if m and k > 0:
            female = m.group("end").lower().endswith("na")
            word = rng.choice(_DAUGHTER if female else _SON)
            given[k] = m.group("stem") + (word if rng.random() < 0.5 else " " + word)
            changed = True
    m = _SURNAME_END.match(e.surname)
    if m and rng.random() < 0.6:
        stem = m.group("stem").title()
        feminine = m.group("end").lower().endswith("a")
        if not feminine:
            surname = stem + rng.choice(["", "zoda"])
            changed = True
    if not changed:
        return None
    order = rng.choice(["given_first", "surname_first"])
    parts = [*given, surname] if order == "given_first" else [surname, *given]
    return _national_letters(" ".join(parts), rng)


def split_join(e: Listed, rng: random.Random) -> str | None:
    """Name parts joined or split, in person and organisation names alike: two or three
    adjacent words written as one (``KAZMUNAIGAZ``, ``KoreaKwangson``), a long word split in
    two or three (``ROS OBORON EXPORT``, ``Mohammed Ali``), with a space, a hyphen or
    nothing between, or an apostrophe dropped or added."""
    words = words_of(e)
    if not words:
        return None
    long_words = [i for i, w in enumerate(words) if len(w) >= 9 and w.isalpha()]
    joinable = [
        i
        for i in range(len(words) - 1)
        if words[i].isalpha()
        and words[i + 1].isalpha()
        and not GENERIC_ORG.match(words[i])
        and not GENERIC_ORG.match(words[i + 1])
    ]
    if long_words and (not joinable or rng.random() < 0.5):
        i = rng.choice(long_words)
        w = words[i]
        cuts = sorted(rng.sample(range(3, len(w) - 2), rng.choice([1, 2]) if len(w) >= 10 else 1))
        pieces = [w[a:b] for a, b in zip([0, *cuts], [*cuts, len(w)], strict=True)]
        if any(len(p) < 3 for p in pieces):
            return None
        words[i] = rng.choice([" ", "-"]).join(pieces)
        return " ".join(words)
    if not joinable:
        return None
    i = rng.choice(joinable)
    third = i + 2 < len(words) and words[i + 2].isalpha() and not GENERIC_ORG.match(words[i + 2])
    size = 3 if third and rng.random() < 0.3 else 2
    run = words[i : i + size]
    camel = rng.random() < 0.5  # KazMunaiGaz
    glued = "".join(w.title() for w in run) if camel else "".join(run)
    return " ".join([*words[:i], glued, *words[i + size :]])


#: Families of the Central Asian and joined/split issue, in the order they are drawn.
LATER_FAMILIES: dict[str, Perturb] = {
    "central_asian": central_asian,
    "split_join": split_join,
}
