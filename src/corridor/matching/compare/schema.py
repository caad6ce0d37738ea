"""Schema compatibility: a person is not a company, a company is not a vessel."""

from __future__ import annotations

#: Coarse kinds the lists distinguish. ``LegalEntity`` (unknown) fits persons and
#: organisations; OFAC non-individuals and UN entities are organisations.
KINDS = {
    "Person": "person",
    "Organization": "org",
    "Company": "org",
    "PublicBody": "org",
    "LegalEntity": "any",
    "Vessel": "vessel",
    "Aircraft": "aircraft",
    "Airplane": "aircraft",
}


def kind_of(schema: str) -> str:
    """The coarse kind of an FtM schema name (unknown schemata count as ``any``)."""
    return KINDS.get(schema, "any")


def schema_mismatch(query_kind: str, listed_kind: str) -> float:
    """The query and the listed entity are different kinds (person, organisation, vessel)."""
    if query_kind == listed_kind or "any" in (query_kind, listed_kind):
        if {query_kind, listed_kind} & {"vessel", "aircraft"} and query_kind != listed_kind:
            return 0.5
        return 0.0
    if {query_kind, listed_kind} <= {"org", "vessel", "aircraft"}:
        return 0.5  # an owner company and its vessel often share a name
    return 1.0
