"""Cleaning of the values every list writes its own way: countries, dates, genders.

Countries become ISO 3166-1 alpha-2 codes (lower case, as in FtM data) with the answer
followthemoney's country type gives (``registry.country.clean``), which knows the official
long forms ("Iran (Islamic Republic of)", "Korea, North", "Türkiye"). Text it cannot map is
returned as ``None`` so callers keep it out of country properties (and usually put it in
``notes``).

That lookup is built on rigour's territory names; building its table transliterates some
28,000 names and costs about a second on first use, more than parsing the UN list. So
:func:`country_code` first asks a small table of the codes and Latin-script names only
(strong names before weak names before places, rigour's own order), keyed the way rigour
keys Latin text, built in a few milliseconds. Only text in other scripts goes on to the
full lookup. ``tests/sources/test_values.py`` checks that both give the same answers.

Dates become ISO 8601 prefixes. Approximate dates ("circa 1960") keep their year; a
range of years ("1960 to 1962", UN FROM_YEAR/TO_YEAR) becomes every year in it, because
a matcher comparing birth years must accept any of them (ranges over 30 years keep only
their two ends rather than flooding the record).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache, lru_cache

#: Strings lists use for "unknown" that a country lookup would wrongly map (``na`` = Namibia).
_UNKNOWN = {"", "na", "n/a", "n.a.", "unknown", "none", "-", "-0-", "stateless", "undetermined"}

#: Characters rigour's territory-name keys drop (``rigour.territories.util``).
_SKIP = frozenset(".()[],;:_-/ʻ'’")

#: FtM's genders and the spellings lists use for them; anything else asks followthemoney.
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female", "other": "other"}

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}

MAX_RANGE_YEARS = 30


def latin_key(text: str) -> str | None:
    """The lookup key rigour gives Latin-script text (accents off, casefolded, no
    punctuation, single spaces); ``None`` for text in any other script."""
    plain = text
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        if not plain.isascii():
            return None
    chars = [c if c.isalnum() else " " for c in plain.casefold() if c not in _SKIP]
    return " ".join("".join(chars).split())


@cache
def _country_tables() -> tuple[dict[str, str | None], dict[str, str | None]] | None:
    """Territory codes and Latin-script names → FtM country code, from rigour's data.

    ``None`` values are territories FtM has no country code for (the answer is None, as
    from followthemoney). Each name tier only fills keys the tiers before it left free.
    ``None`` if this rigour version no longer exposes its territory data this way: then
    every lookup takes the full (slower, same-answer) path.
    """
    try:
        from rigour._core import territories_jsonl
        from rigour.data import iter_jsonl_text
        from rigour.territories import get_territories, get_territory
        from rigour.territories.util import clean_code
    except ImportError:
        return None

    codes: dict[str, str | None] = {}
    for territory in get_territories():
        for code in (
            territory.code,
            territory.alpha3,
            *territory.other_codes,
            territory.qid,
            *territory.other_qids,
        ):
            if code:
                codes[clean_code(code)] = territory.ftm_country
    names: dict[str, str | None] = {}
    tiers: tuple[list[tuple[str, str | None]], ...] = ([], [], [])
    for data in iter_jsonl_text(territories_jsonl()):
        territory = get_territory(data["code"])
        if territory is None:
            continue
        strong = [*data.get("names_strong", []), territory.name, territory.full_name]
        for tier, values in zip(
            tiers, (strong, data.get("names_weak", []), data.get("places", [])), strict=True
        ):
            tier.extend((name, territory.ftm_country) for name in values)
    for position, tier in enumerate(tiers):
        found: dict[str, str | None] = {}
        for name, code in tier:
            key = latin_key(name)
            if key and (position == 0 or key not in names):
                found[key] = code
        names.update(found)
    return codes, names


def _full_country_lookup(value: str) -> str | None:
    from followthemoney import registry

    return registry.country.clean(value)


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2 (lower case) for a country name or code, or ``None`` if unknown."""
    if text is None:
        return None
    value = " ".join(text.split()).strip(" .,;")
    if value.lower() in _UNKNOWN:
        return None
    tables = _country_tables()
    if tables is None:
        return _full_country_lookup(value)
    codes, names = tables
    code = value.lower().replace("_", "-").strip()
    if code in codes:
        return codes[code]
    key = latin_key(value)
    if key is None:
        return _full_country_lookup(value)
    return names.get(key)


#: Quote pairs lists wrap whole names in (UN ``"The Base"``, OFAC ``a.k.a. ''FUPI''``).
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}


def unquote(name: str) -> str:
    """A name without the quotes wrapped around all of it; quotes inside stay
    (``JSC 'BLACK SEA BANK'`` is unchanged)."""
    value = name.strip()
    while len(value) > 2 and _QUOTES.get(value[0]) == value[-1]:
        inner = value[1:-1].strip()
        nested = inner[:1] == value[0] and inner[-1:] == value[-1]
        if not nested and (value[0] in inner or value[-1] in inner):
            break  # 'A' and 'B': the quotes are not around the whole name
        value = inner
    return value


def gender(text: str | None) -> str | None:
    """FtM's ``male`` / ``female`` / ``other`` for what a list writes, else ``None``."""
    if not text:
        return None
    value = text.strip().lower()
    if value in _GENDERS:
        return _GENDERS[value]
    from followthemoney import registry

    return registry.gender.clean(value)


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_DMY = re.compile(r"^(\d{1,2})[ ./-]([A-Za-z]{3,9}|\d{1,2})\.?[ ./-](\d{4})$")
_MY = re.compile(r"^([A-Za-z]{3,9})\.?[ ./-]?(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(.+?)\s*(?:\bto\b|\s-\s|–|—)\s*(.+)$", re.IGNORECASE)
_YEARS = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_CIRCA = re.compile(r"^(?:circa|ca\.?|c\.|approx(?:imately)?\.?|about)\s+", re.IGNORECASE)


def _month(token: str) -> int | None:
    if token.isdigit():
        n = int(token)
        return n if 1 <= n <= 12 else None
    return MONTHS.get(token[:3].lower())


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2999:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def us_date(text: str) -> str | None:
    """``06/19/2003`` → ``2003-06-19``; ISO dates pass through; anything else → None."""
    text = text.strip()
    if m := _US_DATE.match(text):
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return None


def parse_date(text: str | None) -> str | None:
    """One date in any of the lists' forms to an ISO prefix; ``None`` if not a date.

    Accepts ``1966-09-08``, ``08 Sep 1966``, ``08/09/1966`` (day first, as UK and EU
    lists write), ``Sep 1966``, ``1966``; zero day or month (``00/00/1966``) drop to the
    year.
    """
    if not text:
        return None
    value = _CIRCA.sub("", " ".join(text.split()).strip(" .,;"))
    if m := _ISO.match(value):
        return _fmt(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    if m := _DMY.match(value):
        month = _month(m[2])
        if month is None and not m[2].isdigit():
            return None
        return _fmt(int(m[3]), month, int(m[1]) if month else None)
    if m := _MY.match(value):
        month = _month(m[1])
        return _fmt(int(m[2]), month) if month else None
    if m := _YEAR.match(value):
        return _fmt(int(m[1]))
    return None


def year_range(start: int, end: int) -> list[str]:
    """Every year of an inclusive range (both ends only when it is implausibly long)."""
    if end < start:
        start, end = end, start
    if end - start > MAX_RANGE_YEARS:
        return [str(start), str(end)]
    return [str(y) for y in range(start, end + 1)]


def parse_dates(text: str | None) -> list[str]:
    """A date, circa date or range to ISO prefixes; ``[]`` when nothing is a date.

    ``1960 to 1962`` → ``1960, 1961, 1962``; ``circa 1960`` → ``1960``; a range of full
    dates keeps both exact dates plus the years between them.
    """
    if not text:
        return []
    value = _CIRCA.sub("", " ".join(text.split()).strip(" .,;"))
    if m := _YEARS.match(value):
        return year_range(int(m[1]), int(m[2]))
    if m := _RANGE.match(value):
        first, last = parse_date(m[1]), parse_date(m[2])
        if first and last:
            years = year_range(int(first[:4]), int(last[:4]))
            out = [first] if len(first) > 4 else []
            out += [
                y
                for y in years
                if y not in (first[:4], last[:4]) or len(first) == 4 or len(last) == 4
            ]
            if len(last) > 4:
                out.append(last)
            return list(dict.fromkeys(out))
    single = parse_date(value)
    return [single] if single else []
