"""Country and nationality evidence."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 (lower case) for a code or a country name as lists write it."""
    value = value.strip()
    if len(value) == 2 and value.isalpha():
        return value.lower()
    from followthemoney.types import registry

    return registry.country.clean(value)


def country_match(query: frozenset[str], listed: frozenset[str]) -> float:
    """The query's country or nationality is one the listed entity is linked to."""
    return 1.0 if query and listed and not query.isdisjoint(listed) else 0.0


def country_mismatch(query: frozenset[str], listed: frozenset[str]) -> float:
    """Both sides name countries and none of them agree."""
    return 1.0 if query and listed and query.isdisjoint(listed) else 0.0
