"""US Commerce BIS Denied Persons List (``dpl.txt``: tab-separated, quoted, with header).

The file has no record id and repeats a party once per address, so rows are grouped by
(name, effective date) and the native id is a short hash of those two: stable across
releases as long as BIS does not rename the party. The list does not say whether a party
is a person or a company, hence schema ``LegalEntity``. Dates are US ``MM/DD/YYYY``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.reading import csv_rows, read_text, single_file
from corridor.sources.values import us_date

DATASET = "us_bis_denied"
COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)


def native_id(name: str, effective: str) -> str:
    key = f"{' '.join(name.upper().split())}|{effective.strip()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def parse_bis_dpl(paths: Sequence[Path]) -> ParsedList:
    """Parse ``dpl.txt``; the list date is the newest plausible ``Last_Update``."""
    path = single_file(paths, "BIS Denied Persons List dpl.txt")
    text = read_text(path)
    rows = list(csv_rows(path, columns=len(COLUMNS), delimiter="\t", text=text))
    if not rows or [c.strip() for c in rows[0][1]] != list(COLUMNS):
        raise SourceError(
            f"header is not {', '.join(COLUMNS)}; this is not the BIS DPL tab-separated file",
            path=str(path),
            line=1,
        )
    records = [(line, dict(zip(COLUMNS, row, strict=True))) for line, row in rows[1:]]
    # Two real rows carry typo years (2922, 3017): ignore dates after this year.
    this_year = date.today().year
    updates = [
        d for _, r in records if (d := us_date(r["Last_Update"])) and int(d[:4]) <= this_year
    ]
    return ParsedList(
        dataset=DATASET,
        list_date=max(updates) if updates else None,
        entities=_entities(path, records),
        files=[path],
    )


def _entities(path: Path, records: list[tuple[int, dict[str, str]]]) -> Iterator[Entity]:
    groups: dict[str, Entity] = {}
    for line, row in records:
        name = " ".join(row["Name"].split())
        if not name:
            raise SourceError("row has no name", path=str(path), line=line, field="Name")
        key = native_id(name, row["Effective_Date"])
        entity = groups.get(key)
        if entity is None:
            entity = groups[key] = Entity.create(DATASET, key, "LegalEntity")
            entity.add("name", name)
            entity.add("topics", "export.control")
            entity.add("program", "Denied Persons List")
            effective = us_date(row["Effective_Date"])
            expires = us_date(row["Expiration_Date"])
            entity.add("createdAt", effective)
            entity.add(
                "notes",
                f"Denial effective {effective or row['Effective_Date']}"
                + (f", expires {expires}" if expires else ""),
            )
            if row["Standard_Order"].strip().upper() == "Y":
                entity.add("notes", "Standard denial order")
            entity.add(
                "notes",
                " ".join(f"{row['Action']} ({row['FR_Citation']})".split())
                if row["FR_Citation"].strip()
                else row["Action"],
            )
        entity.add("modifiedAt", us_date(row["Last_Update"]))
        parts = [row[c] for c in ("Street_Address", "City", "State", "Postal_Code", "Country")]
        entity.add("address", ", ".join(p.strip() for p in parts if p.strip()))
        entity.add("country", country_code(row["Country"]))
    yield from groups.values()
