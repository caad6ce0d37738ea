"""Country and nationality evidence."""

from __future__ import annotations


def country_match(query: frozenset[str], listed: frozenset[str]) -> float:
    """The query's country or nationality is one the listed entity is linked to."""
    return 1.0 if query and listed and not query.isdisjoint(listed) else 0.0


def country_mismatch(query: frozenset[str], listed: frozenset[str]) -> float:
    """Both sides name countries and none of them agree."""
    return 1.0 if query and listed and query.isdisjoint(listed) else 0.0
