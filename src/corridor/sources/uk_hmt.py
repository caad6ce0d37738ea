"""UK OFSI Consolidated List of financial sanctions targets (``ConList.csv``, 2022 format).

Layout: a first line ``Last Updated,<DD/MM/YYYY>`` (the list date), then a header row,
then one row per name: the primary name and each alias of a target are separate rows that
repeat the target's other details, tied together by ``Group ID`` (the native id).

Mapping choices:
* ``Group Type`` Individual → Person, Entity → Organization, Ship → Vessel.
* Names: ``Name 1``..``Name 5`` are given/middle names and ``Name 6`` the surname (an
  entity's whole name is in ``Name 6``); ``name`` is them in natural order. The row with
  ``Alias Type`` "Primary name" gives ``name``; other rows → ``alias``, or ``weakAlias``
  when ``Alias Quality`` is "Low"; ``Name Non-Latin Script`` → ``alias``.
* OFSI numbers multiple values inside one cell, ``(1) Russia (2) Ukraine``: they are
  split. Dates are day first (``00/00/1965`` = year only).
* ``Regime`` → ``program``; ``Listed On`` → ``createdAt``; ``Other Information`` → notes
  (IMO numbers of ships are taken from it).
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
from corridor.sources.values import country_code, parse_date, parse_dates

DATASET = "gb_hmt_sanctions"
URL = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
REQUIRED = ("Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID")
SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

_NUMBERED = re.compile(r"\(\d+\)")
_IMO = re.compile(r"IMO(?:\s*number)?\s*[:.]?\s*(\d{7})\b", re.IGNORECASE)


def split_numbered(text: str | None) -> list[str]:
    """``"(1) Russia (2) Ukraine"`` → ``["Russia", "Ukraine"]``; plain text → ``[text]``."""
    if not text or not text.strip():
        return []
    parts = _NUMBERED.split(text)
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


def parse_uk_hmt(paths: Sequence[Path]) -> ParsedList:
    """Parse ``ConList.csv`` into a ParsedList dated by its ``Last Updated`` line."""
    if len(paths) != 1:
        raise SourceError(f"expected one ConList.csv, got {len(paths)}")
    path = Path(paths[0])
    text = read_text(path)
    first, _, rest = text.partition("\n")
    head = first.strip().rstrip(",").split(",")
    if len(head) != 2 or head[0].strip().lower() != "last updated":
        raise SourceError("first line is not 'Last Updated,<date>'; this is not OFSI's "
                          "ConList.csv (2022 format)", path=str(path), line=1)
    header_line = rest.split("\n", 1)[0]
    header = next(iter(csv_rows(path, columns=header_line.count(",") + 1,
                                text=header_line)))[1]
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(f"header lacks column {missing[0]!r}; this is not OFSI's ConList.csv",
                          path=str(path), line=2, field=missing[0])
    return ParsedList(dataset=DATASET, list_date=parse_date(head[1]),
                      entities=_entities(path, rest, header), files=[path])


def _entities(path: Path, text: str, header: list[str]) -> Iterator[Entity]:
    groups: dict[str, Entity] = {}
    rows = csv_rows(path, columns=len(header), text=text)
    next(rows)
    for line, values in rows:
        line += 1  # the 'Last Updated' line was split off before reading
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        group = row["Group ID"]
        if not group:
            raise SourceError("row has no Group ID", path=str(path), line=line,
                              field="Group ID")
        kind = row["Group Type"].lower()
        if kind not in SCHEMA_BY_TYPE:
            raise SourceError(f"unknown Group Type {row['Group Type']!r}; expected Individual, "
                              "Entity or Ship", path=str(path), line=line, field="Group Type")
        entity = groups.get(group)
        if entity is None:
            entity = groups[group] = Entity.create(DATASET, group, SCHEMA_BY_TYPE[kind])
            entity.add("topics", "sanction")
        elif entity.schema != SCHEMA_BY_TYPE[kind]:
            raise SourceError(f"Group ID {group} has rows of two Group Types", path=str(path),
                              line=line, field="Group Type")
        _row(entity, row, str(path), line)
    for entity in groups.values():
        if not entity.get("name"):
            # No row is marked "Primary name": promote the first alias, as OFSI's own
            # search does, rather than dropping the target.
            aliases = entity.get("alias") or entity.get("weakAlias")
            entity.add("name", aliases[0])
        yield entity


def _row(entity: Entity, row: dict[str, str], path: str, line: int) -> None:
    given = [row.get(f"Name {i}", "") for i in range(1, 6)]
    name = " ".join(p for p in (*given, row["Name 6"]) if p)
    if not name:
        raise SourceError("row has no name", path=path, line=line, field="Name 6")
    alias_type = row["Alias Type"].lower()
    if alias_type.startswith("primary name") and not entity.get("name"):
        entity.add("name", name)
        if entity.schema == "Person":
            entity.add("lastName", row["Name 6"])
            entity.add("firstName", given[0])
            entity.add("middleName", *given[1:])
    elif row.get("Alias Quality", "").lower() == "low":
        entity.add("weakAlias", name)
    elif name not in entity.get("name"):
        entity.add("alias", name)
    entity.add("alias", row.get("Name Non-Latin Script"))
    entity.add("program", row["Regime"])
    entity.add("createdAt", parse_date(row.get("Listed On")))
    entity.add("modifiedAt", parse_date(row.get("Last Updated")))
    props: dict[str, list[str]] = {
        "title": split_numbered(row.get("Title")),
        "position": split_numbered(row.get("Position")),
        "birthDate": [d for v in split_numbered(row.get("DOB")) for d in parse_dates(v)],
        "passportNumber": split_numbered(row.get("Passport Number")),
        "idNumber": split_numbered(row.get("National Identification Number")),
        "notes": [v for v in (row.get("Passport Details"),
                              row.get("National Identification Details"),
                              row.get("Other Information")) if v],
    }
    place = ", ".join(p for p in (row.get("Town of Birth"), row.get("Country of Birth")) if p)
    if place:
        props["birthPlace"] = [place]
    if code := country_code(row.get("Country of Birth")):
        props["birthCountry"] = [code]
    for value in split_numbered(row.get("Nationality")):
        code = country_code(value)
        props.setdefault("nationality" if code else "notes", []).append(
            code or f"nationality: {value}")
    if entity.schema == "Vessel":
        props["imoNumber"] = [f"IMO{m}" for m in _IMO.findall(row.get("Other Information", ""))]
    if entity.schema != "Person":
        props["position"] = []
    add_properties(entity, {k: v for k, v in props.items() if v})
    parts = [row.get(f"Address {i}", "") for i in range(1, 7)]
    parts += [row.get("Post/Zip Code", ""), row.get("Country", "")]
    entity.add("address", ", ".join(p for p in parts if p))
    entity.add("country", country_code(row.get("Country")))
