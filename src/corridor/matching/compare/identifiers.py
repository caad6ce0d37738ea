"""Identifier evidence: passport, national id, tax or registration number, IMO."""

from __future__ import annotations


def identifier_match(query: frozenset[str], listed: frozenset[str]) -> float:
    """An identifier of the query (passport, national id, tax id …) is the listed one."""
    return 1.0 if query and listed and not query.isdisjoint(listed) else 0.0


def imo_match(query: frozenset[str], listed: frozenset[str]) -> float:
    """The vessel's IMO number is the listed one."""
    return 1.0 if query and listed and not query.isdisjoint(listed) else 0.0


def imo_conflict(query: frozenset[str], listed: frozenset[str]) -> float:
    """Both vessels have IMO numbers and they differ (IMO numbers never change)."""
    return 1.0 if query and listed and query.isdisjoint(listed) else 0.0
