"""UK OFSI Consolidated List of financial sanctions targets (``ConList``, 2022 format), in
its CSV and XLSX forms: the same 36 columns, one parser, two readers.

Layout: a first line ``Last Updated,<DD/MM/YYYY>`` (the list date; in the XLSX, cells A1
and B1), then a header row, then one row per name: the primary name and each alias of a
target are separate rows that repeat the target's other details, tied together by
``Group ID`` (the native id).

Mapping choices:
* ``Group Type`` Individual → Person, Entity → Organization, Ship → Vessel.
* Names: ``Name 1``..``Name 5`` are given/middle names and ``Name 6`` the surname (an
  entity's whole name is in ``Name 6``); ``name`` is them in natural order. The row with
  ``Alias Type`` "Primary name" gives ``name``; other rows → ``alias``, or ``weakAlias``
  when ``Alias Quality`` is "Low"; ``Name Non-Latin Script`` → ``alias``.
* OFSI numbers multiple values inside one cell, ``(1) Russia (2) Ukraine``: they are
  split. Dates are day first (``00/00/1965`` = year only).
* ``Regime`` → ``program``; ``Listed On`` → ``createdAt``; ``Other Information`` → notes
  (IMO numbers of ships are taken from it). Its labelled parts are read too:
  ``(UK Sanctions List Ref):RUS1831`` is the designation's FCDO ``Unique ID`` (kept as the
  note ``UK Sanctions List Ref: RUS1831``, which links the target to ``gb_fcdo_sanctions``),
  ``(Gender):Male`` → ``gender``.
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

DATASET = "gb_hmt_sanctions"
LAYOUT = Layout(
    DATASET,
    what="OFSI ConList (2022 format)",
    first_line=re.compile(r"^\s*Last Updated\s*,([^,]*),*\s*$", re.IGNORECASE),
    first_line_hint="Last Updated,<date>",
    required=("Name 6", "Name 1", "Group Type", "Alias Type", "Regime", "Group ID"),
    id_column="Group ID",
    type_column="Group Type",
)

_NUMBERED = re.compile(r"\(\d+\)")
#: The FCDO's ``Unique ID`` of a designation: regime letters and a number (``RUS1831``).
_UNIQUE_ID = re.compile(r"[A-Z]{2,5}\d{3,5}\b")
#: ``(Label):value`` parts of ``Other Information``.
_LABELLED = re.compile(r"\(([A-Za-z][^()]{1,60})\):\s*(.*?)(?=\s*\([A-Za-z][^()]{1,60}\):|$)", re.S)
_IMO = re.compile(r"IMO(?:\s*number)?\s*[:.]?\s*(\d{7})\b", re.IGNORECASE)


def split_numbered(text: str | None) -> list[str]:
    """``"(1) Russia (2) Ukraine"`` → ``["Russia", "Ukraine"]``; plain text → ``[text]``."""
    if not text or not text.strip():
        return []
    parts = _NUMBERED.split(text)
    return [p.strip(" ,;") for p in parts if p.strip(" ,;")]


def _labelled(text: str) -> dict[str, str]:
    """``(UK Sanctions List Ref):RUS1831. (Gender):Male`` → ``{label (lower): value}``."""
    return {m[1].strip().lower(): m[2].strip() for m in _LABELLED.finditer(text or "")}


def parse_uk_hmt(paths: Sequence[Path]) -> ParsedList:
    """Parse ``ConList.csv`` or ``ConList.xlsx`` into a ParsedList dated by its
    ``Last Updated`` line."""
    return parse_grouped_csv(paths, LAYOUT, _row)


def _row(entity: Entity, row: dict[str, str], path: str, line: int) -> None:
    add_row_name(
        entity,
        row,
        path,
        line,
        primary=row["Alias Type"].lower().startswith("primary name"),
        weak=row.get("Alias Quality", "").lower() == "low",
    )
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
        "notes": [
            v
            for v in (
                row.get("Passport Details"),
                row.get("National Identification Details"),
                row.get("Other Information"),
            )
            if v
        ],
    }
    place = ", ".join(p for p in (row.get("Town of Birth"), row.get("Country of Birth")) if p)
    if place:
        props["birthPlace"] = [place]
    if code := country_code(row.get("Country of Birth")):
        props["birthCountry"] = [code]
    for value in split_numbered(row.get("Nationality")):
        code = country_code(value)
        props.setdefault("nationality" if code else "notes", []).append(
            code or f"nationality: {value}"
        )
    other = _labelled(row.get("Other Information", ""))
    if ref := _UNIQUE_ID.match(other.get("uk sanctions list ref", "")):
        props["notes"].append(f"UK Sanctions List Ref: {ref[0]}")
    if entity.schema == "Person" and (sex := gender(other.get("gender"))):
        props["gender"] = [sex]
    if uk_date := parse_date(row.get("UK Sanctions List Date Designated")):
        props["notes"].append(f"UK Sanctions List date designated: {uk_date}")
    if entity.schema == "Vessel":
        props["imoNumber"] = [f"IMO{m}" for m in _IMO.findall(row.get("Other Information", ""))]
    if entity.schema != "Person":
        props["position"] = []
    add_properties(entity, {k: v for k, v in props.items() if v})
    parts = [row.get(f"Address {i}", "") for i in range(1, 7)]
    parts += [row.get("Post/Zip Code", ""), row.get("Country", "")]
    entity.add("address", ", ".join(p for p in parts if p))
    entity.add("country", country_code(row.get("Country")))
