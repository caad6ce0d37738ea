"""Synthetic list entities at any scale, in the scripts and name shapes real lists hold.

Faker supplies per-locale pools (given names, patronymics, surnames, company names, cities)
once; entities are then drawn from the pools with a seeded RNG, so a million are made in
seconds and the same seed always yields the same entities. Persons carry birth dates and
nationalities, companies a legal form of their country, vessels an IMO number with a valid
check digit and a flag. Names in non-Latin scripts get a romanised alias half the time, as
the UN list's ``NAME_ORIGINAL_SCRIPT`` entries do.

Surname and company-word pools are split in two halves: entities use the first half,
:func:`negative_queries` the second, so a negative query shares given names and legal
forms with the entities (the hard case) but is never one of them.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from corridor.model import Entity

# locale -> (nationality codes, weight): weighted toward the countries sanctions lists name
LOCALES: dict[str, tuple[tuple[str, ...], int]] = {
    "ru_RU": (("ru",), 18),
    "en_US": (("us", "gb", "ca"), 14),
    "ar_AA": (("sy", "iq", "ye", "ae", "lb"), 14),
    "zh_CN": (("cn",), 10),
    "fa_IR": (("ir",), 9),
    "uk_UA": (("ua", "by"), 6),
    "tr_TR": (("tr",), 5),
    "de_DE": (("de", "at"), 4),
    "es_ES": (("es", "ve", "mx"), 4),
    "fr_FR": (("fr",), 3),
    "ko_KR": (("kp", "kr"), 3),
    "az_AZ": (("az",), 2),
    "hy_AM": (("am",), 1),
    "ka_GE": (("ge",), 1),
    "el_GR": (("gr", "cy"), 2),
    "he_IL": (("il",), 1),
    "hi_IN": (("in",), 2),
    "ja_JP": (("jp",), 1),
}
# legal forms by locale, written as companies write them
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "ru_RU": ("ООО «{}»", "АО «{}»", "ПАО «{}»", "{} LLC", "OOO {}", "TOO «{}»"),
    "uk_UA": ("ТОВ «{}»", "ПрАТ «{}»", "{} LLC"),
    "en_US": ("{} LLC", "{} Inc.", "{} Ltd", "{} Limited", "{} Co., Ltd.", "{} Corporation"),
    "ar_AA": ("{} ش.م.م", "شركة {}", "{} LLC", "{} FZE", "{} Trading LLC"),
    "zh_CN": ("{}有限公司", "{} Co., Ltd.", "{}股份有限公司"),
    "fa_IR": ("شرکت {}", "{} Company", "{} PJS"),
    "tr_TR": ("{} A.Ş.", "{} Ltd. Şti.", "{} Dış Ticaret A.Ş."),
    "de_DE": ("{} GmbH", "{} AG", "{} GmbH & Co. KG"),
    "es_ES": ("{} S.L.", "{} S.A.", "{} C.A."),
    "fr_FR": ("{} SARL", "{} SA", "{} SAS"),
    "ko_KR": ("{} Co., Ltd.", "주식회사 {}", "{} Trading Corporation"),
    "az_AZ": ("{} MMC", "{} ASC", "{} LLC"),
    "hy_AM": ("{} ՍՊԸ", "{} LLC"),
    "ka_GE": ("შპს {}", "{} LLC"),
    "el_GR": ("{} Α.Ε.", "{} Shipping S.A."),
    "he_IL": ('{} בע"מ', "{} Ltd"),
    "hi_IN": ("{} Private Limited", "{} प्राइवेट लिमिटेड"),
    "ja_JP": ("株式会社{}", "{} K.K."),
}
BUSINESS_WORDS = (
    "Trading",
    "Logistics",
    "Energy",
    "Shipping",
    "Industrial",
    "Import Export",
    "Technologies",
    "Group",
    "Holding",
    "Engineering",
    "Petroleum",
    "Metals",
    "Electronics",
    "Construction",
    "Investment",
    "Marine",
    "Chemicals",
    "Agro",
)
VESSEL_SUFFIXES = (
    "",
    "",
    "STAR",
    "SPIRIT",
    "GLORY",
    "PRIDE",
    "EXPRESS",
    "TRADER",
    "I",
    "II",
    "III",
    "ONE",
    "SEA",
    "OCEAN",
    "QUEEN",
    "PRINCESS",
    "HOPE",
    "BRIGHT",
)
CJK = ("zh_CN", "ja_JP", "ko_KR")
SCHEMA_WEIGHTS = (("Person", 60), ("Company", 34), ("Vessel", 6))


# legal forms Faker already writes into company names; such names are not used as cores
FORM_IN_NAME = re.compile(
    r"(\b(ltd|llc|inc|plc|gmbh|ag|kg|kgaa|ohg|e\.?g|se|sa|sas|sarl|sl|s\.[al]|s\.?coop|"
    r"s\.?com|s\.c\.p|s\.?l\.?l|a\.ş|şti|tic|san|mmc|asc|qsc|"
    r"ооо|оао|зао|ао|пао|рао|ип|нпо|мку|гуп|муп|тов|прат|пп|ат|ε\.?ε|ο\.?ε|α\.?ε|"
    r"ε\.?π\.?ε)\b\.?|\(유\)|\(주\)|주식회사|유한회사|합자회사|株式会社|有限会社|有限公司|"
    r"合同会社|בע\"מ|& co|and sons|e hijos|et fils)",
    re.I,
)


@dataclass
class Pools:
    """Name parts of one locale, by gender (``m``/``f``), split into the entities' half
    (``*_a``) and the negatives' (``*_b``)."""

    given: dict[str, list[str]]
    middle: dict[str, list[str]]
    surname_a: dict[str, list[str]]
    surname_b: dict[str, list[str]]
    company_a: list[str]
    company_b: list[str]
    cities: list[str]
    latin: bool = True
    countries: tuple[str, ...] = field(default_factory=tuple)


def _unique(draw, n: int) -> list[str]:
    seen: dict[str, None] = {}
    for _ in range(n):
        seen.setdefault(draw().strip(), None)
    return [s for s in seen if s]


def _halves(values: list[str]) -> tuple[list[str], list[str]]:
    """Split by a hash of the first four letters, so that gender or spelling variants of
    one surname (Ivanov / Ivanova) and one name in both gender pools land in the same half."""
    a, b = [], []
    for v in sorted(values):
        (a if zlib.crc32(v.casefold()[:4].encode()) % 2 == 0 else b).append(v)
    return (a or b), (b or a)


def _gendered(fake, what: str, n: int) -> dict[str, list[str]]:
    """``first_name_male`` / ``..._female`` where the locale has them (Russian surnames and
    patronymics agree with gender), else the same neutral pool for both."""
    male, female = getattr(fake, f"{what}_male", None), getattr(fake, f"{what}_female", None)
    if male is not None and female is not None:
        try:
            return {"m": _unique(male, n), "f": _unique(female, n)}
        except AttributeError:
            pass
    neutral = getattr(fake, what, None)
    pool = _unique(neutral, n) if neutral is not None else []
    return {"m": pool, "f": pool}


def build_pools(seed: int) -> dict[str, Pools]:
    """Draw each locale's pools from Faker (a few seconds in all)."""
    from faker import Faker

    pools = {}
    for locale, (countries, _) in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        given = _gendered(fake, "first_name", 2000)
        middle = (
            _gendered(fake, "middle_name", 1000)
            if locale in ("ru_RU", "uk_UA")
            else {"m": [], "f": []}
        )
        surname_a, surname_b = {}, {}
        for g, pool in _gendered(fake, "last_name", 3000).items():
            surname_a[g], surname_b[g] = _halves(pool)
        companies = [c for c in _unique(fake.company, 3000) if not FORM_IN_NAME.search(c)]
        ca, cb = _halves(companies)
        cities = _unique(fake.city, 500)
        latin = all(ord(c) < 0x250 for c in "".join(given["m"][:20]))
        pools[locale] = Pools(given, middle, surname_a, surname_b, ca, cb, cities, latin, countries)
    return pools


class Romaniser:
    """ICU ``Any-Latin; Latin-ASCII``: the romanised alias of a non-Latin name."""

    def __init__(self) -> None:
        import icu

        self._tr = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")

    def __call__(self, text: str) -> str:
        return " ".join(self._tr.transliterate(text).split())


def imo_number(rng: random.Random) -> str:
    """A 7-digit IMO number whose last digit is the official check digit."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(5)]
    check = sum(d * w for d, w in zip(digits, (7, 6, 5, 4, 3, 2), strict=True)) % 10
    return "IMO" + "".join(map(str, digits)) + str(check)


def birth_date(rng: random.Random) -> str:
    year = rng.randint(1935, 2004)
    if rng.random() < 0.2:
        return str(year)
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


@dataclass(slots=True)
class Record:
    """What a query generator needs to know about an entity."""

    index: int
    schema: str
    locale: str
    name: str
    alias: str | None
    props: dict[str, list[str]]
    core: str = ""  # a company's name without its legal form


class Generator:
    """Deterministic synthetic entities: ``entity(i)`` is always the same for a seed."""

    def __init__(self, seed: int = 20261126) -> None:
        self.seed = seed
        self.pools = build_pools(seed)
        self.romanise = Romaniser()
        self.locales = list(LOCALES)
        self.locale_weights = [LOCALES[loc][1] for loc in self.locales]
        self.schemata = [s for s, _ in SCHEMA_WEIGHTS]
        self.schema_weights = [w for _, w in SCHEMA_WEIGHTS]

    # ---- names ------------------------------------------------------------------
    def person_name(self, rng: random.Random, locale: str, negative: bool = False) -> str:
        p = self.pools[locale]
        g = "m" if rng.random() < 0.75 else "f"
        surnames = (p.surname_b if negative else p.surname_a)[g]
        surname, given = rng.choice(surnames), rng.choice(p.given[g])
        if locale in CJK:  # family name first, no space, as written natively
            return surname + given
        parts = [given]
        if p.middle[g] and rng.random() < 0.7:
            parts.append(rng.choice(p.middle[g]))
        elif rng.random() < 0.35:
            parts.append(rng.choice(p.given[g]))
        if rng.random() < 0.08:
            surname = f"{surname}-{rng.choice(surnames)}"
        if p.latin and rng.random() < 0.4:  # the OFAC way: LAST, Given Middle
            return f"{surname.upper()}, {' '.join(parts)}"
        return " ".join([*parts, surname])

    def company_name(
        self, rng: random.Random, locale: str, negative: bool = False
    ) -> tuple[str, str]:
        """(full name with a legal form, the core name without it)."""
        p = self.pools[locale]
        surnames = (p.surname_b if negative else p.surname_a)["m"]
        roll = rng.random()
        companies = p.company_b if negative else p.company_a
        if roll < 0.4 and companies:
            core = rng.choice(companies)
        elif roll < 0.6:
            core = f"{rng.choice(surnames)} & {rng.choice(surnames)}"
        else:
            core = rng.choice(surnames)
        if roll >= 0.4 or rng.random() < 0.3:
            core = f"{core} {rng.choice(BUSINESS_WORDS)}"
        return rng.choice(LEGAL_FORMS[locale]).format(core), core

    def vessel_name(self, rng: random.Random, locale: str, negative: bool = False) -> str:
        p = self.pools[locale]
        base = rng.choice(p.cities if rng.random() < 0.5 else p.given["f"])
        if not p.latin:
            base = self.romanise(base)
        if negative:
            base = rng.choice(self.pools["en_US"].surname_b["m"])
        suffix = rng.choice(VESSEL_SUFFIXES)
        return " ".join(x for x in (base.upper(), suffix) if x)

    # ---- entities ------------------------------------------------------------------
    def record(self, i: int) -> Record:
        rng = random.Random(self.seed * 1_000_003 + i)
        locale = rng.choices(self.locales, self.locale_weights)[0]
        schema = rng.choices(self.schemata, self.schema_weights)[0]
        countries = self.pools[locale].countries
        props: dict[str, list[str]] = {}
        core = ""
        if schema == "Person":
            name = self.person_name(rng, locale)
            props["birthDate"] = [birth_date(rng)]
            props["nationality"] = [rng.choice(countries)]
            if rng.random() < 0.15:
                props["passportNumber"] = [f"{rng.choice('ABCEKNP')}{rng.randint(10**6, 10**8)}"]
        elif schema == "Company":
            name, core = self.company_name(rng, locale)
            props["country"] = [rng.choice(countries)]
            if rng.random() < 0.2:
                props["registrationNumber"] = [str(rng.randint(10**9, 10**12))]
        else:
            name = self.vessel_name(rng, locale)
            props["imoNumber"] = [imo_number(rng)]
            props["flag"] = [rng.choice(countries)]
        alias = None
        if not self.pools[locale].latin and schema != "Vessel" and rng.random() < 0.5:
            alias = self.romanise(name)
        return Record(i, schema, locale, name, alias, props, core)

    def entity(self, rec: Record) -> Entity:
        ent = Entity.create("synthetic", rec.index, rec.schema)
        ent.add("name", rec.name)
        if rec.alias:
            ent.add("alias", rec.alias)
        for prop, values in rec.props.items():
            ent.add(prop, *values)
        return ent

    def entities(self, n: int) -> Iterator[Entity]:
        for i in range(n):
            yield self.entity(self.record(i))

    def negative(self, rng: random.Random) -> dict:
        """A query that is none of the entities: a second-half surname or company word."""
        locale = rng.choices(self.locales, self.locale_weights)[0]
        schema = rng.choices(self.schemata, self.schema_weights)[0]
        countries = self.pools[locale].countries
        props: dict[str, list[str]] = {}
        if schema == "Person":
            props["name"] = [self.person_name(rng, locale, negative=True)]
            if rng.random() < 0.5:
                props["birthDate"] = [birth_date(rng)]
            if rng.random() < 0.5:
                props["nationality"] = [rng.choice(countries)]
        elif schema == "Company":
            props["name"] = [self.company_name(rng, locale, negative=True)[0]]
            if rng.random() < 0.5:
                props["country"] = [rng.choice(countries)]
        else:
            props["name"] = [self.vessel_name(rng, locale, negative=True)]
        return {"schema": schema, "properties": props}
