"""Countries: ISO 3166-1 alpha-2 codes, lower case as in FtM data, from rigour's territories.

One lookup for every stage: the parsers clean what the lists write, the matcher the
countries of a query, and the trade contract validates what a user declares.

* :func:`country_code` is lenient: a code (alpha-2, alpha-3, the usual others such as ``UK``)
  or a country name as lists write it ("Iran (Islamic Republic of)", "Korea, North",
  "Türkiye") becomes a code; text it cannot map is ``None``, so callers keep it out of country
  properties (and usually put it in ``notes``). The answers are followthemoney's
  (``registry.country.clean``), which is built on rigour's territory names; building that
  table transliterates some 28,000 names and costs about a second on first use, more than
  parsing the UN list. So a small table of the codes and Latin-script names only (strong
  names before weak names before places, rigour's own order), keyed the way rigour keys Latin
  text, answers first, built in a few milliseconds; only text in other scripts goes on to
  the full lookup. ``tests/test_countries.py`` checks that both give the same answers.
* :func:`ftm_country` reads FtM data, where two letters are already a code.
* :func:`iso_country` is strict: what a user declares must already be an alpha-2 code (any
  case), and the error suggests the code for anything else (``uk`` → ``gb``).
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

#: Strings lists use for "unknown" that a country lookup would wrongly map (``na`` = Namibia).
_UNKNOWN = {"", "na", "n/a", "n.a.", "unknown", "none", "-", "-0-", "stateless", "undetermined"}

#: Characters rigour's territory-name keys drop (``rigour.territories.util``).
_SKIP = frozenset(".()[],;:_-/ʻ'’")


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


def ftm_country(value: str) -> str | None:
    """A country property of FtM data or of a match query: a two-letter value is already a
    code and stays one (``na`` is Namibia here, not "n/a" as lists write it); anything longer
    is looked up as a name (:func:`country_code`)."""
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.lower()
    return country_code(value)


@lru_cache(maxsize=1024)
def iso_country(value: str) -> str:
    """A declared country as a lower-case ISO 3166-1 alpha-2 code; ``ValueError`` naming the
    right code when one is recognisable (``'uk' is not an ISO 3166-1 alpha-2 code (did you
    mean 'gb', United Kingdom?)``)."""
    from rigour.territories import get_territory, lookup_territory

    code = str(value).strip().lower()
    territory = get_territory(code) if len(code) == 2 else None
    if territory is not None and territory.code == code and territory.alpha3 is not None:
        return code
    hint = ""
    guess = lookup_territory(str(value))
    if guess is not None and len(guess.code) == 2 and guess.alpha3:
        hint = f" (did you mean {guess.code!r}, {guess.name}?)"
    raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code{hint}")
