"""A match query (FtM-style ``{schema, properties}``) prepared once for comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corridor.countries import ftm_country
from corridor.errors import InputError
from corridor.matching.compare.schema import QUERY_SCHEMATA, Kind, kind_of
from corridor.matching.records import ID_PROPS, imo_digits
from corridor.names.normalize import normalize_id

#: Longest name and most names read from one query (bound the work per query).
MAX_NAME_LENGTH = 500
MAX_NAMES = 20
QUERY_COUNTRY_PROPS = ("nationality", "country", "citizenship", "jurisdiction")


@dataclass(slots=True)
class PreparedQuery:
    """The query's values, normalised the same way as the listed entities'."""

    schema: str
    kind: Kind
    names: tuple[str, ...]
    dates: tuple[str, ...]
    countries: frozenset[str]
    identifiers: frozenset[str]
    imos: frozenset[str]


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    return [str(v).strip() for v in raw if v is not None and str(v).strip()]


def prepare_query(query: dict[str, Any]) -> PreparedQuery:
    """Validate and normalise ``{"schema": …, "properties": {"name": [...], …}}``."""
    if not isinstance(query, dict):
        raise InputError("a query must be a JSON object", field="query")
    props = query.get("properties") or {}
    if not isinstance(props, dict):
        raise InputError("must be an object of lists", field="properties")
    schema = str(query.get("schema") or "LegalEntity")
    if schema not in QUERY_SCHEMATA:  # a typo must not pass for "person or organisation"
        raise InputError(
            f"{schema!r} is not a schema corridor matches; use one of {', '.join(QUERY_SCHEMATA)}",
            field="schema",
        )
    names = tuple(n[:MAX_NAME_LENGTH] for n in _values(props, "name")[:MAX_NAMES])
    if not names:
        raise InputError("a query needs at least one name", field="properties.name")
    # Only the properties the query has are read: most queries give a name, a country and
    # a date, and this runs for every query of a batch.
    countries = set()
    for prop in QUERY_COUNTRY_PROPS:
        if prop in props:
            for value in _values(props, prop):
                code = ftm_country(value)
                if code:
                    countries.add(code)
    ids = {normalize_id(v) for p in ID_PROPS if p in props for v in _values(props, p)}
    imos = {imo_digits(v) for v in _values(props, "imoNumber")}
    return PreparedQuery(
        schema=schema,
        kind=kind_of(schema),
        names=names,
        dates=tuple(_values(props, "birthDate")),
        countries=frozenset(countries),
        identifiers=frozenset(i for i in ids if len(i) >= 4),
        imos=frozenset(i for i in imos if len(i) == 7),
    )
