"""US trade.gov Consolidated Screening List (CSV with header, plain or ``.gz``): a dozen
US lists of three agencies in one file, split into one dataset per source list.

The ``source`` column names the list (``Entity List (EL) - Bureau of Industry and
Security``); its code in brackets picks the dataset from
:data:`corridor.sources.registry.CSL_LISTS` (``EL`` → ``us_bis_entity``, ``SDN`` →
``us_trade_csl_sdn`` …), so an Entity List hit can carry its own rule (a licence
requirement, not a blocking). A source list corridor does not know stops the import: its
entries would otherwise be screened under no rule.

Native id: ``entity_number`` where the source list has one (the OFAC lists: OFAC's
``ent_num``, so the entry is found on OFAC's own list), else a short hash of (list code,
name, ``start_date``) so rows of the BIS and State lists keep their ids from release to
release as long as the agency does not rename the party; the CSL's own record id
(``_id``) is kept in notes. Rows sharing an id (one party, several addresses or notices)
become one entity. The ``ids`` column writes OFAC-style identifiers backwards
(``"US, 80-0890696, Tax ID No."``); they are turned back into OFAC remark clauses and read
with :func:`parse_ofac_remarks`, so both OFAC parsers and this one agree on every
identifier convention. The file carries no list date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_properties
from corridor.sources.ofac_remarks import parse_ofac_remarks
from corridor.sources.reading import csv_header, csv_rows, read_text, single_file
from corridor.sources.values import parse_dates

DATASET = "us_trade_csl"
#: The code in brackets in a ``source`` value: ``(EL)``, ``(NS-MBS List)``, ``(MEU) List``.
_CODE = re.compile(r"\(([A-Z][A-Z-]*)(?: List)?\)")
#: Lists of the Bureau of Industry and Security: export controls, not sanctions.
_EXPORT_CONTROL = frozenset({"EL", "UVL", "MEU", "DPL"})
REQUIRED = (
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "addresses",
    "alt_names",
    "dates_of_birth",
    "ids",
)

SCHEMA_BY_TYPE = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "": "LegalEntity",
}


def _split(text: str | None, sep: str = ";") -> list[str]:
    return [p.strip() for p in (text or "").split(sep) if p.strip()]


def id_clause(text: str) -> str:
    """``"CO, 1978075, Matricula Mercantil No"`` → ``"Matricula Mercantil No 1978075 (CO)"``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2:
        return text.strip()
    kind = parts[-1]
    country = None
    if len(parts) >= 3 and re.fullmatch(r"[A-Z]{2}", parts[0]):
        country, parts = parts[0], parts[1:]
    value = ", ".join(parts[:-1])
    clause = f"{kind} {value}"
    return f"{clause} ({country})" if country else clause


def source_code(source: str) -> str | None:
    """``"Entity List (EL) - Bureau of Industry and Security"`` → ``"EL"``."""
    found = _CODE.search(source)
    return found[1] if found else None


def parse_trade_csl(paths: Sequence[Path]) -> ParsedList:
    """Parse the CSL ``consolidated.csv`` (``.gz`` too, or the ``us_csl_sample.csv``
    excerpt) into entities of the datasets of its source lists."""
    path = single_file(paths, "Consolidated Screening List CSV")
    text = read_text(path)
    header = csv_header(
        path,
        text.split("\n", 1)[0],
        line=1,
        required=REQUIRED,
        what="Consolidated Screening List CSV",
        clean=lambda h: h.strip().lstrip("_"),
    )
    return ParsedList(
        dataset=DATASET, list_date=None, entities=_entities(path, text, header), files=[path]
    )


def _entities(path: Path, text: str, header: list[str]) -> Iterator[Entity]:
    rows = csv_rows(path, columns=len(header), text=text)
    next(rows)
    groups: dict[str, Entity] = {}
    from corridor.sources.registry import CSL_LISTS

    for line, values in rows:
        row = dict(zip(header, values, strict=True))
        name = " ".join(row["name"].split())
        if not name:
            raise SourceError("row has no name", path=str(path), line=line, field="name")
        code = source_code(row["source"])
        if code not in CSL_LISTS:
            raise SourceError(
                f"source list {row['source']!r} is not one corridor knows "
                f"({', '.join(CSL_LISTS)}); its entries would be screened under no rule",
                path=str(path),
                line=line,
                field="source",
            )
        dataset = CSL_LISTS[code][0]
        native = row["entity_number"].strip() or native_id(code, name, row.get("start_date", ""))
        kind = row["type"].strip().lower()
        if kind not in SCHEMA_BY_TYPE:
            raise SourceError(
                f"unknown type {row['type']!r}", path=str(path), line=line, field="type"
            )
        # A party listed with several addresses or notices comes as several rows.
        key = f"{dataset}|{native}"
        entity = groups.get(key)
        if entity is None:
            entity = groups[key] = Entity.create(dataset, native, SCHEMA_BY_TYPE[kind])
            entity.add("topics", "export.control" if code in _EXPORT_CONTROL else "sanction")
        elif entity.schema != SCHEMA_BY_TYPE[kind]:
            raise SourceError(
                f"record {native} is listed with two types", path=str(path), line=line, field="type"
            )
        _fill(entity, name, row)
    yield from groups.values()


def native_id(code: str, name: str, start_date: str) -> str:
    """A stable id for an entry its list numbers not: list code, name and start date."""
    key = f"{code}|{' '.join(name.upper().split())}|{start_date.strip()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _fill(entity: Entity, name: str, row: dict[str, str]) -> None:
    if not entity.get("name"):
        entity.add("name", name)
    elif name not in entity.get("name"):
        entity.add("alias", name)
    entity.add("publisher", row["source"])
    if record := row.get("id", "").strip():
        entity.add("notes", f"CSL record id: {record}")
    entity.add(
        "sourceUrl", *(u for u in (row.get("source_information_url", ""),) if u.startswith("http"))
    )
    entity.add("program", *_split(row["programs"]))
    props: dict[str, list[str]] = {
        "alias": _split(row["alt_names"]),
        "birthDate": [d for v in _split(row["dates_of_birth"]) for d in parse_dates(v)],
        "birthPlace": _split(row.get("places_of_birth")),
        "position": _split(row.get("title")),
        "callSign": _split(row.get("call_sign")),
        "type": _split(row.get("vessel_type")),
        "tonnage": _split(row.get("gross_tonnage")),
        "grossRegisteredTonnage": _split(row.get("gross_registered_tonnage")),
        "createdAt": [d for v in _split(row.get("start_date")) for d in parse_dates(v)],
        "notes": _split(row.get("remarks")),
    }
    for column, prop in (
        ("citizenships", "citizenship"),
        ("nationalities", "nationality"),
        ("vessel_flag", "flag"),
    ):
        for value in _split(row.get(column), ","):
            code = country_code(value)
            props.setdefault(prop if code else "notes", []).append(code or f"{prop}: {value}")
    if row.get("vessel_owner", "").strip():
        props["notes"].append(f"Owner: {row['vessel_owner'].strip()}")
    if row.get("end_date", "").strip():
        props["notes"].append(f"Listing ends {row['end_date'].strip()}")
    for prop in ("license_requirement", "license_policy", "federal_register_notice"):
        if row.get(prop, "").strip():
            props["notes"].append(f"{prop.replace('_', ' ')}: {row[prop].strip()}")
    add_properties(entity, {k: v for k, v in props.items() if v})
    for address in _split(row["addresses"]):
        entity.add("address", address)
        tail = address.rsplit(",", 1)[-1].strip()
        if re.fullmatch(r"[A-Z]{2}", tail):
            entity.add("country", country_code(tail))
    remarks = "; ".join(id_clause(c) for c in _split(row["ids"]))
    add_properties(entity, parse_ofac_remarks(remarks))
