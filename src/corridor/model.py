"""The entity record every stage passes along: a FollowTheMoney-compatible entity.

Kept as a small slotted dataclass rather than ``followthemoney.EntityProxy`` because the
parsers and the index handle hundreds of thousands of them; ``to_ftm``/``from_ftm`` and
``validate_ftm`` bridge to the followthemoney model where full validation matters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Schemata corridor produces from official lists (FtM names: an aircraft is ``Airplane``).
SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


def make_entity_id(dataset: str, native_id: str) -> str:
    """The FtM entity id for a list record: ``<dataset>-<native id>``, FtM-id safe."""
    safe = "".join(c if c.isalnum() or c in ".-_" else "-" for c in str(native_id).strip())
    return f"{dataset.replace('_', '-')}-{safe}"


@dataclass(slots=True)
class Entity:
    """One listed person, organisation, vessel or aircraft.

    ``source_id`` is ``<dataset>:<native id>`` (OFAC ``ent_num``, UN ``DATAID``, EU
    ``logicalId``, UK ``Group ID``): what a user quotes to find the official entry.
    """

    id: str
    schema: str
    dataset: str
    source_id: str
    properties: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def create(cls, dataset: str, native_id: str | int, schema: str) -> Entity:
        native = str(native_id).strip()
        return cls(
            id=make_entity_id(dataset, native),
            schema=schema,
            dataset=dataset,
            source_id=f"{dataset}:{native}",
        )

    def add(self, prop: str, *values: str | None) -> None:
        """Append non-empty, stripped values to a property, keeping order and no repeats."""
        for value in values:
            if value is None:
                continue
            value = " ".join(str(value).split())
            if not value:
                continue
            bucket = self.properties.setdefault(prop, [])
            if value not in bucket:
                bucket.append(value)

    def get(self, prop: str) -> list[str]:
        return self.properties.get(prop, [])

    def first(self, prop: str) -> str | None:
        values = self.properties.get(prop)
        return values[0] if values else None

    @property
    def caption(self) -> str:
        return self.first("name") or self.id

    @property
    def names(self) -> list[str]:
        """Every strong name: ``name`` then ``alias`` (``weakAlias`` is kept apart)."""
        return self.get("name") + self.get("alias")

    def to_ftm(self) -> dict[str, Any]:
        """FtM JSON (as yente / OpenSanctions exports it), with corridor's provenance."""
        return {
            "id": self.id,
            "schema": self.schema,
            "properties": {k: list(v) for k, v in self.properties.items() if v},
            "datasets": [self.dataset],
            "referents": [self.source_id],
        }

    @classmethod
    def from_ftm(cls, data: dict[str, Any], dataset: str | None = None) -> Entity:
        datasets = data.get("datasets") or ([dataset] if dataset else [])
        ds = dataset or (datasets[0] if datasets else "ftm")
        referents = [r for r in data.get("referents", []) if ":" in r]
        source_id = referents[0] if referents else f"{ds}:{data['id']}"
        props: dict[str, list[str]] = {}
        for key, values in (data.get("properties") or {}).items():
            if isinstance(values, str):
                values = [values]
            props[key] = [str(v) for v in values if v is not None and str(v) != ""]
        return cls(
            id=str(data["id"]),
            schema=str(data.get("schema", "LegalEntity")),
            dataset=ds,
            source_id=source_id,
            properties=props,
        )


def validate_ftm(entity: Entity) -> None:
    """Raise ``ValueError`` if the entity does not fit the followthemoney model.

    Checks the schema and every property name, then builds an FtM proxy from the entity.
    Values are not held to FtM's cleaning: an FtM tool would normalise some (``www.x.org``
    → ``http://www.x.org/``) and drop a few that corridor keeps on purpose, such as the
    topic ``sanction.secondary`` or an INN as OFAC published it even if its check digit is
    wrong (see docs/lists.md).
    """
    from followthemoney import model

    schema = model.get(entity.schema)
    if schema is None:
        raise ValueError(f"{entity.source_id}: unknown FtM schema {entity.schema!r}")
    for prop in entity.properties:
        if schema.get(prop) is None:
            raise ValueError(f"{entity.source_id}: schema {entity.schema} has no property {prop!r}")
    model.get_proxy(entity.to_ftm(), cleaned=False)


@dataclass
class ParsedList:
    """A parsed official list: its own publication date and a stream of entities.

    ``entities`` is a generator so large files stream (for a file that holds several lists,
    such as the US Consolidated Screening List, each entity names its own dataset and the
    store makes one snapshot per dataset); a parser raises
    :class:`corridor.errors.SourceError` (file, line/element, field) as soon as it meets
    input it cannot trust, and the store then keeps the previous snapshot active.
    """

    dataset: str
    list_date: str | None
    entities: Iterator[Entity]
    files: list[Path] = field(default_factory=list)
    #: What this release lacks that a complete one has (companion files not published with
    #: it, fields cut short), one sentence each. A parser may add to it while streaming; the
    #: store keeps it with the snapshot, and status and reports repeat it.
    gaps: list[str] = field(default_factory=list)
