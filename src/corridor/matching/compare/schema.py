"""Schema compatibility: a person is not a company, a company is not a vessel."""

from __future__ import annotations

from typing import Literal

from corridor.matching.tuning import RELATED_KIND_MISMATCH

#: Coarse kinds of entity the lists distinguish (``any``: person or organisation, unknown).
Kind = Literal["person", "org", "vessel", "aircraft", "any"]

#: The kind of each FtM schema. ``LegalEntity`` (unknown) fits persons and organisations;
#: OFAC non-individuals and UN entities are organisations.
KINDS: dict[str, Kind] = {
    "Person": "person",
    "Organization": "org",
    "Company": "org",
    "PublicBody": "org",
    "LegalEntity": "any",
    "Vessel": "vessel",
    "Aircraft": "aircraft",
    "Airplane": "aircraft",
}


#: The FtM schemata a query may name: the matchable people, organisations and vehicles
#: (``api.limits.MATCHABLE`` reads the same from the FtM model; a test holds them equal).
QUERY_SCHEMATA = (
    "Person",
    "Company",
    "Organization",
    "PublicBody",
    "LegalEntity",
    "Vessel",
    "Airplane",
    "Vehicle",
)


def kind_of(schema: str) -> Kind:
    """The coarse kind of an FtM schema name (unknown schemata count as ``any``)."""
    return KINDS.get(schema, "any")


def schema_mismatch(query_kind: Kind, listed_kind: Kind) -> float:
    """The query and the listed entity are different kinds (person, organisation, vessel)."""
    if query_kind == listed_kind or "any" in (query_kind, listed_kind):
        if {query_kind, listed_kind} & {"vessel", "aircraft"} and query_kind != listed_kind:
            return RELATED_KIND_MISMATCH
        return 0.0
    if {query_kind, listed_kind} <= {"org", "vessel", "aircraft"}:
        return RELATED_KIND_MISMATCH  # an owner company and its vessel often share a name
    return 1.0
