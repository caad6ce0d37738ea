"""The UK Sanctions List (FCDO) CSV, which replaced OFSI's ConList.csv in January 2026.

Layout: a first line ``Report Date: DD-Mon-YYYY`` (the list date), a 58-column header
(``Last Updated, Unique ID, OFSI Group ID, UN Reference Number, Name 6, Name 1..5,
Name type, Alias strength, ...``) and one row per name of a designation, tied together
by ``Unique ID`` (e.g. ``RUS2176``), the native id. Multiple values inside a cell are
separated by ``|``. The mapping follows :mod:`corridor.sources.uk_hmt` (same name order,
weak aliases, day-first dates); ships carry IMO, flag and type in their own columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import Entity
from corridor.sources.base import ParsedList
from corridor.sources.ofac_csv import add_properties
from corridor.sources.reading import csv_rows, read_text
from corridor.sources.values import country_code, gender, parse_date, parse_dates

DATASET = "gb_fcdo_sanctions"
URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
REQUIRED = ("Unique ID", "Name 6", "Name type", "Designation Type", "Regime Name")
SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

#: Plain columns: (column, property). Properties a schema lacks end up in notes.
_COLUMNS = (
    ("Title", "title"), ("Position", "position"), ("Passport number", "passportNumber"),
    ("National Identifier number", "idNumber"), ("Phone number", "phone"),
    ("Website", "website"), ("Email address", "email"), ("Type of entity", "legalForm"),
    ("Business registration number (s)", "registrationNumber"), ("Type of ship", "type"),
    ("Tonnage of ship", "tonnage"), ("Other Information", "notes"),
    ("UK Statement of Reasons", "summary"),
)
_NOTE_COLUMNS = ("Passport additional information", "National Identifier additional information",
                 "Subsidiaries", "Parent company", "Current owner/operator (s)",
                 "Previous owner/operator (s)", "Length of ship",
                 "Hull identification number (HIN)", "UN Reference Number", "OFSI Group ID",
                 "Sanctions Imposed")


def _values(text: str | None) -> list[str]:
    return [v.strip() for v in (text or "").split("|") if v.strip()]


def parse_uk_fcdo(paths: Sequence[Path]) -> ParsedList:
    """Parse ``UK-Sanctions-List.csv`` into a ParsedList dated by its report date."""
    if len(paths) != 1:
        raise SourceError(f"expected one UK Sanctions List CSV, got {len(paths)}")
    path = Path(paths[0])
    text = read_text(path)
    first, _, rest = text.partition("\n")
    match = re.match(r"^\s*Report Date:\s*([^,]+)", first)
    if not match:
        raise SourceError("first line is not 'Report Date: <date>'; this is not the UK "
                          "Sanctions List CSV", path=str(path), line=1)
    header_line = rest.split("\n", 1)[0]
    header = [h.strip() for h in next(iter(
        csv_rows(path, columns=header_line.count(",") + 1, text=header_line)))[1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"header lacks column {missing[0]!r}; this is not the UK Sanctions "
                          "List CSV", path=str(path), line=2, field=missing[0])
    return ParsedList(dataset=DATASET, list_date=parse_date(match[1]),
                      entities=_entities(path, rest, header), files=[path])


def _entities(path: Path, text: str, header: list[str]) -> Iterator[Entity]:
    groups: dict[str, Entity] = {}
    rows = csv_rows(path, columns=len(header), text=text)
    next(rows)
    for line, values in rows:
        line += 1  # the report-date line was split off before reading
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        uid = row["Unique ID"]
        if not uid:
            raise SourceError("row has no Unique ID", path=str(path), line=line,
                              field="Unique ID")
        kind = row["Designation Type"].lower()
        if kind not in SCHEMA_BY_TYPE:
            raise SourceError(f"unknown Designation Type {row['Designation Type']!r}; expected "
                              "Individual, Entity or Ship", path=str(path), line=line,
                              field="Designation Type")
        entity = groups.get(uid)
        if entity is None:
            entity = groups[uid] = Entity.create(DATASET, uid, SCHEMA_BY_TYPE[kind])
            entity.add("topics", "sanction")
        elif entity.schema != SCHEMA_BY_TYPE[kind]:
            raise SourceError(f"Unique ID {uid} has rows of two Designation Types",
                              path=str(path), line=line, field="Designation Type")
        _row(entity, row, str(path), line)
    for entity in groups.values():
        if not entity.get("name"):
            entity.add("name", (entity.get("alias") or entity.get("weakAlias"))[0])
        yield entity


def _row(entity: Entity, row: dict[str, str], path: str, line: int) -> None:
    given = [row.get(f"Name {i}", "") for i in range(1, 6)]
    name = " ".join(p for p in (*given, row["Name 6"]) if p)
    if not name:
        raise SourceError("row has no name", path=path, line=line, field="Name 6")
    if row["Name type"].lower().startswith("primary") and not entity.get("name"):
        entity.add("name", name)
        if entity.schema == "Person":
            entity.add("lastName", row["Name 6"])
            entity.add("firstName", given[0])
            entity.add("middleName", *given[1:])
    elif row.get("Alias strength", "").lower().startswith(("low", "weak")):
        entity.add("weakAlias", name)
    elif name not in entity.get("name"):
        entity.add("alias", name)
    entity.add("alias", row.get("Name non-latin script"))
    entity.add("program", row["Regime Name"])
    entity.add("createdAt", parse_date(row.get("Date Designated")))
    entity.add("modifiedAt", parse_date(row.get("Last Updated")))
    props: dict[str, list[str]] = {}
    for column, prop in _COLUMNS:
        for value in _values(row.get(column)):
            props.setdefault(prop, []).append(value)
    for column in _NOTE_COLUMNS:
        for value in _values(row.get(column)):
            props.setdefault("notes", []).append(f"{column}: {value}")
    props["birthDate"] = [d for v in _values(row.get("D.O.B")) for d in parse_dates(v)]
    props["gender"] = [g for v in _values(row.get("Gender")) if (g := gender(v))]
    place = ", ".join(p for p in (row.get("Town of birth"), row.get("Country of birth")) if p)
    props["birthPlace"] = [place] if place else []
    props["birthCountry"] = [c for v in _values(row.get("Country of birth"))
                             if (c := country_code(v))]
    for column, prop in (("Nationality(/ies)", "nationality"),
                         ("Current believed flag of ship", "flag"),
                         ("Previous flags", "pastFlags")):
        for value in _values(row.get(column)):
            code = country_code(value)
            props.setdefault(prop if code else "notes", []).append(code or f"{column}: {value}")
    props["imoNumber"] = [f"IMO{m}" for v in _values(row.get("IMO number"))
                          for m in re.findall(r"\d{7}", v)]
    props["buildDate"] = [d for v in _values(row.get("Year Built")) for d in parse_dates(v)]
    if entity.schema != "Person":
        for prop in ("gender", "birthDate", "birthPlace", "birthCountry", "position"):
            props.pop(prop, None)
    add_properties(entity, {k: v for k, v in props.items() if v})
    parts = [row.get(f"Address Line {i}", "") for i in range(1, 7)]
    parts += [row.get("Address Postal Code", ""), row.get("Address Country", "")]
    entity.add("address", ", ".join(p for p in parts if p))
    entity.add("country", country_code(row.get("Address Country")))
