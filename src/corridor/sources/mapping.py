"""Putting parsed values on an :class:`Entity` the same way in every parser.

Each official format has its own parser, but they agree on what happens to a value that
does not fit: a property the entity's FtM schema lacks, or a country no lookup knows,
goes to ``notes`` with a label, so nothing the list says is dropped and every entity
still validates against the followthemoney model.
"""

from __future__ import annotations

from collections.abc import Iterable

from corridor.countries import country_code
from corridor.model import Entity
from corridor.sources.ftm_schemata import schema_properties


def add_properties(entity: Entity, props: dict[str, list[str]]) -> None:
    """Add parsed properties, routing ones the schema lacks (and ``linkedTo``) to notes."""
    known = schema_properties(entity.schema) or frozenset()
    for prop, values in props.items():
        if prop == "linkedTo":
            entity.add("notes", *(f"Linked To: {v}" for v in values))
        elif prop in known:
            entity.add(prop, *values)
        else:
            entity.add("notes", *(f"{prop}: {v}" for v in values))


def add_country(entity: Entity, prop: str, value: str | None, label: str | None = None) -> None:
    """Add ``value`` to a country property as an ISO code, or to notes as ``label: value``."""
    if not value:
        return
    code = country_code(value)
    if code:
        entity.add(prop, code)
    else:
        entity.add("notes", f"{label or prop}: {value}")


def add_address(entity: Entity, parts: Iterable[str | None], country: str | None) -> None:
    """One ``address`` from its non-empty parts, and its country as ``country`` (or a note)."""
    entity.add("address", ", ".join(p for p in parts if p))
    add_country(entity, "country", country, "address country")
