"""The FCDO UK Sanctions List in its 8-column summary form (ODS, or CSV with the same columns).

Columns: ``Unique ID, OFSI Group ID, Name, Regime Name, Type, Designation source, Date
Designated, Sanctions Imposed``; one row per designation, primary name only, dates
``DD-MM-YYYY``. It says *who* is designated under which regime, and links the FCDO's
``Unique ID`` (the native id, e.g. ``RUS0251``) to OFSI's ``Group ID`` (kept as the note
``OFSI Group ID: 14196``), but carries no aliases, birth dates, addresses or identifiers:
every snapshot made from it says so in its gaps.

The list date is the one in the FCDO's file name (``FCDO_SL_Mon_Aug_11_2025.ods``); a file
renamed without it has none, and ``--list-date`` supplies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.reading import csv_rows, ods_rows, read_text, single_file
from corridor.sources.values import parse_date

DATASET = "gb_fcdo_sanctions"
WHAT = "FCDO UK Sanctions List summary (8 columns)"
COLUMNS = (
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
)
SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
GAP = "summary publication: primary names only, no aliases, birth dates, addresses or identifiers"

#: ``FCDO_SL_Mon_Aug_11_2025`` (spaces or underscores between the parts).
_FILE_DATE = re.compile(r"_([A-Z][a-z]{2})[ _]+(\d{1,2})[ _]+(\d{4})", re.ASCII)


def file_date(path: Path) -> str | None:
    """The date in an FCDO export's file name, as ISO; None when the name has none."""
    found = _FILE_DATE.search(path.stem)
    return parse_date(f"{found[2]} {found[1]} {found[3]}") if found else None


def parse_uk_fcdo_summary(paths: Sequence[Path]) -> ParsedList:
    """Parse the summary sheet (``.ods``) or its CSV form into one entity per Unique ID."""
    path = single_file(paths, WHAT)
    if path.suffix.lower() == ".ods":
        rows: Iterator[tuple[int, list[str]]] = ods_rows(path, WHAT)
    else:
        text = read_text(path)
        rows = csv_rows(path, columns=len(COLUMNS), text=text)
    header = next(rows, None)
    if header is None or [c.strip().lstrip("\ufeff") for c in header[1]] != list(COLUMNS):
        raise SourceError(
            f"header is not {', '.join(COLUMNS)}; this is not the {WHAT}",
            path=str(path),
            line=header[0] if header else 1,
        )
    parsed = ParsedList(DATASET, file_date(path), iter(()), files=[path])
    parsed.gaps.append(GAP)
    parsed.entities = _entities(path, rows, parsed.gaps)
    return parsed


def _entities(
    path: Path, rows: Iterator[tuple[int, list[str]]], gaps: list[str]
) -> Iterator[Entity]:
    seen: set[str] = set()
    unnamed: list[str] = []
    for line, cells in rows:
        if len(cells) > len(COLUMNS):
            raise SourceError(
                f"row has {len(cells)} cells, expected {len(COLUMNS)}; the file is damaged or "
                "not in the expected layout, download it again",
                path=str(path),
                line=line,
            )
        row = dict(zip(COLUMNS, [c.strip() for c in cells] + [""] * (8 - len(cells)), strict=True))
        native = row["Unique ID"]
        if not native:
            raise SourceError("row has no Unique ID", path=str(path), line=line, field="Unique ID")
        if native in seen:
            raise SourceError(
                f"Unique ID {native} appears twice", path=str(path), line=line, field="Unique ID"
            )
        seen.add(native)
        schema = SCHEMA_BY_TYPE.get(row["Type"].lower())
        if schema is None:
            raise SourceError(
                f"unknown Type {row['Type']!r}; expected Individual, Entity or Ship",
                path=str(path),
                line=line,
                field="Type",
            )
        if not row["Name"]:
            # Real rows do this (BEL0174, RUS1467 in August 2025): the designation stays,
            # findable by its ids, and the gap is said.
            unnamed.append(native)
        designated = parse_date(row["Date Designated"])
        if row["Date Designated"] and designated is None:
            raise SourceError(
                f"Date Designated {row['Date Designated']!r} is not a DD-MM-YYYY date",
                path=str(path),
                line=line,
                field="Date Designated",
            )
        entity = Entity.create(DATASET, native, schema)
        entity.add("name", row["Name"])
        entity.add("topics", "sanction")
        entity.add("program", row["Regime Name"])
        entity.add("createdAt", designated)
        if row["OFSI Group ID"]:
            entity.add("notes", f"OFSI Group ID: {row['OFSI Group ID']}")
        if row["Designation source"]:
            entity.add("notes", f"Designation source: {row['Designation source']}")
        if row["Sanctions Imposed"]:
            entity.add("notes", f"Sanctions Imposed: {row['Sanctions Imposed']}")
        yield entity
    if unnamed:
        gaps.append(f"{len(unnamed)} designation(s) with an empty Name cell: {', '.join(unnamed)}")
