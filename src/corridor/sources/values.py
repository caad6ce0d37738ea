"""Cleaning of the values every list writes its own way: dates, genders, quoted names.

Countries are cleaned by :func:`corridor.countries.country_code`, the one country lookup every
stage shares.

Dates become ISO 8601 prefixes. Approximate dates ("circa 1960") keep their year; a
range of years ("1960 to 1962", UN FROM_YEAR/TO_YEAR) becomes every year in it, because
a matcher comparing birth years must accept any of them (ranges over 30 years keep only
their two ends rather than flooding the record).
"""

from __future__ import annotations

import re
from datetime import date

#: FtM's genders and the spellings lists use for them; anything else asks followthemoney.
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female", "other": "other"}

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}

MAX_RANGE_YEARS = 30


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
