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
from collections.abc import Sequence
from pathlib import Path

from corridor.countries import country_code
from corridor.model import Entity, ParsedList
from corridor.sources.grouped_rows import Layout, add_row_name, parse_grouped_csv
from corridor.sources.mapping import add_properties
from corridor.sources.values import gender, parse_date, parse_dates

DATASET = "gb_fcdo_sanctions"
LAYOUT = Layout(
    DATASET,
    what="UK Sanctions List CSV",
    first_line=re.compile(r"^\s*Report Date:\s*([^,]+)"),
    first_line_hint="Report Date: <date>",
    required=("Unique ID", "Name 6", "Name type", "Designation Type", "Regime Name"),
    id_column="Unique ID",
    type_column="Designation Type",
)

#: Plain columns: (column, property). Properties a schema lacks end up in notes.
_COLUMNS = (
    ("Title", "title"),
    ("Position", "position"),
    ("Passport number", "passportNumber"),
    ("National Identifier number", "idNumber"),
    ("Phone number", "phone"),
    ("Website", "website"),
    ("Email address", "email"),
    ("Type of entity", "legalForm"),
    ("Business registration number (s)", "registrationNumber"),
    ("Type of ship", "type"),
    ("Tonnage of ship", "tonnage"),
    ("Other Information", "notes"),
    ("UK Statement of Reasons", "summary"),
)
_NOTE_COLUMNS = (
    "Passport additional information",
    "National Identifier additional information",
    "Subsidiaries",
    "Parent company",
    "Current owner/operator (s)",
    "Previous owner/operator (s)",
    "Length of ship",
    "Hull identification number (HIN)",
    "UN Reference Number",
    "OFSI Group ID",
    "Sanctions Imposed",
)


def _values(text: str | None) -> list[str]:
    return [v.strip() for v in (text or "").split("|") if v.strip()]


def parse_uk_fcdo(paths: Sequence[Path]) -> ParsedList:
    """Parse ``UK-Sanctions-List.csv`` into a ParsedList dated by its report date."""
    return parse_grouped_csv(paths, LAYOUT, _row)


def _row(entity: Entity, row: dict[str, str], path: str, line: int) -> None:
    add_row_name(
        entity,
        row,
        path,
        line,
        primary=row["Name type"].lower().startswith("primary"),
        weak=row.get("Alias strength", "").lower().startswith(("low", "weak")),
    )
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
    props["birthCountry"] = [
        c for v in _values(row.get("Country of birth")) if (c := country_code(v))
    ]
    for column, prop in (
        ("Nationality(/ies)", "nationality"),
        ("Current believed flag of ship", "flag"),
        ("Previous flags", "pastFlags"),
    ):
        for value in _values(row.get(column)):
            code = country_code(value)
            props.setdefault(prop if code else "notes", []).append(code or f"{column}: {value}")
    props["imoNumber"] = [
        f"IMO{m}" for v in _values(row.get("IMO number")) for m in re.findall(r"\d{7}", v)
    ]
    props["buildDate"] = [d for v in _values(row.get("Year Built")) for d in parse_dates(v)]
    if entity.schema != "Person":
        for prop in ("gender", "birthDate", "birthPlace", "birthCountry", "position"):
            props.pop(prop, None)
    add_properties(entity, {k: v for k, v in props.items() if v})
    parts = [row.get(f"Address Line {i}", "") for i in range(1, 7)]
    parts += [row.get("Address Postal Code", ""), row.get("Address Country", "")]
    entity.add("address", ", ".join(p for p in parts if p))
    entity.add("country", country_code(row.get("Address Country")))
