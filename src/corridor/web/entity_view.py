"""What the entity page shows: each source record behind a merged entity, its properties
sorted into what an analyst looks for, and its history across the stored snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corridor.matching.records import ID_PROPS as MATCHED_ID_PROPS
from corridor.sources.registry import DATASETS
from corridor.store import EntityVersion, Store

NAME_PROPS = ("name", "alias", "weakAlias", "previousName", "firstName", "lastName")
#: Identifiers: those the matcher compares, then the other numbers a record may carry.
ID_PROPS = (*MATCHED_ID_PROPS, "okpoCode", "swiftBic", "imoNumber", "mmsi", "callSign")
ADDRESS_PROPS = ("address", "country", "addressEntity", "jurisdiction", "nationality")
SHOWN_APART = {"program", "createdAt", "listingDate", "modifiedAt", "sourceUrl", "topics"}
#: Lists whose entries have a public page of their own, by native id.
ENTRY_URLS = {
    "us_ofac_sdn": "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={native}",
    "us_ofac_cons": "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={native}",
}


@dataclass
class SourceRecord:
    """One official record behind a merged entity."""

    id: str
    dataset: str
    dataset_title: str
    native_id: str
    schema: str
    programmes: list[str]
    listed_on: list[str]
    modified_on: list[str]
    names: list[tuple[str, str]]
    identifiers: list[tuple[str, str]]
    addresses: list[tuple[str, str]]
    other: list[tuple[str, str]]
    entry_url: str | None
    list_url: str | None
    history: list[EntityVersion] = field(default_factory=list)


def _pairs(props: dict[str, list[str]], keys: tuple[str, ...]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for key in keys:
        if key in seen:
            continue
        seen.add(key)
        out += [(key, v) for v in props.get(key, ())]
    return out


def source_record(record: dict[str, Any], store: Store | None = None) -> SourceRecord:
    """The record (FtM JSON as the index keeps it) sorted for the page; with ``store``,
    its history across the stored snapshots of its list."""
    props: dict[str, list[str]] = record.get("properties") or {}
    dataset = record.get("dataset") or (record.get("datasets") or [""])[0]
    source_id = (record.get("referents") or [""])[0] or record.get("source_id", "")
    native = source_id.split(":", 1)[1] if ":" in source_id else source_id
    known = set(NAME_PROPS) | set(ID_PROPS) | set(ADDRESS_PROPS) | SHOWN_APART
    spec = DATASETS.get(dataset)
    entry_url = (props.get("sourceUrl") or [None])[0]
    if entry_url is None and dataset in ENTRY_URLS and native:
        entry_url = ENTRY_URLS[dataset].format(native=native)
    return SourceRecord(
        id=record["id"],
        dataset=dataset,
        dataset_title=spec.title if spec else dataset,
        native_id=native,
        schema=record.get("schema", ""),
        programmes=list(props.get("program", ())),
        listed_on=list(props.get("createdAt", ())) + list(props.get("listingDate", ())),
        modified_on=list(props.get("modifiedAt", ())),
        names=_pairs(props, NAME_PROPS),
        identifiers=_pairs(props, ID_PROPS),
        addresses=_pairs(props, ADDRESS_PROPS),
        other=[(k, v) for k in sorted(props) if k not in known for v in props[k]],
        entry_url=entry_url,
        list_url=next(iter(spec.files.values()), None) if spec else None,
        history=store.entity_history(dataset, record["id"]) if store and dataset else [],
    )
