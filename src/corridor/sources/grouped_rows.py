"""The layout both UK lists share: one row per name, grouped into one entity per id.

OFSI's ``ConList`` and the FCDO's UK Sanctions List repeat a designation's details on
one row per name (the primary name, then each alias), tied together by an id column
(``Group ID`` / ``Unique ID``); ``Name 1``..``Name 5`` are given names and ``Name 6`` the
surname (an entity's whole name). Only the other columns differ, so each parser maps its
own columns row by row (a :data:`RowMapper`) and leaves the rest to
:func:`parse_grouped_csv`. OFSI publishes the same columns as CSV and as XLSX: one parser,
two readers (:func:`table_rows` picks the reader by the file's suffix).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.reading import csv_rows, read_text, single_file, xlsx_rows
from corridor.sources.values import parse_date

SCHEMA_BY_TYPE = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

#: ``fill(entity, row, path, line)``: map one row's columns onto its entity.
RowMapper = Callable[[Entity, dict[str, str], str, int], None]


@dataclass(frozen=True)
class Layout:
    """One UK list's file: its dated first line, required columns, id and type columns."""

    dataset: str
    #: What the file is, for error messages ("OFSI ConList.csv (2022 format)").
    what: str
    #: The first line; group 1 is the list date.
    first_line: re.Pattern[str]
    #: The first line as a user should expect it ("Last Updated,<date>").
    first_line_hint: str
    required: tuple[str, ...]
    id_column: str
    type_column: str


#: Rows of a table after its first lines: ``(line or row number, cells)``.
Rows = Iterator[tuple[int, list[str]]]


def table_rows(path: Path, what: str) -> tuple[str, Rows]:
    """A UK list file's first line (as CSV text) and its other rows, whatever its form.

    CSV is read as text; XLSX (``.xlsx``) through openpyxl, each row's cells joined with
    commas for the dated first line, so both forms are checked by the same pattern.
    """
    if path.suffix.lower() == ".xlsx":
        rows = xlsx_rows(path, what)
        first = next(rows, None)
        if first is None:
            raise SourceError(f"the sheet is empty; this is not the {what}", path=str(path))
        return ",".join(first[1]), rows
    text = read_text(path)
    first_line, _, rest = text.partition("\n")
    header_line = rest.split("\n", 1)[0]
    columns = header_line.count(",") + 1
    rows = csv_rows(path, columns=columns, text=rest)
    # Line numbers count the dated first line, split off before reading.
    return first_line, ((line + 1, values) for line, values in rows)


def parse_grouped_csv(paths: Sequence[Path], layout: Layout, fill: RowMapper) -> ParsedList:
    """Parse one UK list file (CSV or XLSX) into a ParsedList dated by its first line."""
    path = single_file(paths, layout.what)
    first, rows = table_rows(path, layout.what)
    dated = layout.first_line.match(first.rstrip("\r"))
    if not dated:
        raise SourceError(
            f"first line is not '{layout.first_line_hint}'; this file is not the {layout.what}",
            path=str(path),
            line=1,
        )
    header_row = next(rows, None)
    if header_row is None:
        raise SourceError(f"no header row; this file is not the {layout.what}", path=str(path))
    line, cells = header_row
    header = [c.strip().lstrip("\ufeff") for c in cells]
    missing = [c for c in layout.required if c not in header]
    if missing:
        raise SourceError(
            f"header lacks column {missing[0]!r}; this file is not the {layout.what}",
            path=str(path),
            line=line,
            field=missing[0],
        )
    return ParsedList(
        dataset=layout.dataset,
        list_date=parse_date(dated[1]),
        entities=grouped_entities(path, rows, header, layout, fill),
        files=[path],
    )


def grouped_entities(
    path: Path, rows: Rows, header: list[str], layout: Layout, fill: RowMapper
) -> Iterator[Entity]:
    """One entity per designation id from ``rows`` (the table after its header).

    A designation without a row marked as its primary name takes its first alias as
    ``name``, as the publishers' own search does, rather than being dropped.
    """
    groups: dict[str, Entity] = {}
    id_col, type_col = layout.id_column, layout.type_column
    for line, values in rows:
        if len(values) > len(header):
            raise SourceError(
                f"row has {len(values)} cells, the header {len(header)}; the file is damaged "
                "or not in the expected layout, download it again",
                path=str(path),
                line=line,
            )
        values = values + [""] * (len(header) - len(values))
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        native = row[id_col]
        if not native:
            raise SourceError(f"row has no {id_col}", path=str(path), line=line, field=id_col)
        schema = SCHEMA_BY_TYPE.get(row[type_col].lower())
        if schema is None:
            raise SourceError(
                f"unknown {type_col} {row[type_col]!r}; expected Individual, Entity or Ship",
                path=str(path),
                line=line,
                field=type_col,
            )
        entity = groups.get(native)
        if entity is None:
            entity = groups[native] = Entity.create(layout.dataset, native, schema)
            entity.add("topics", "sanction")
        elif entity.schema != schema:
            raise SourceError(
                f"{id_col} {native} has rows of two {type_col}s",
                path=str(path),
                line=line,
                field=type_col,
            )
        fill(entity, row, str(path), line)
    for entity in groups.values():
        if not entity.get("name"):
            entity.add("name", (entity.get("alias") or entity.get("weakAlias"))[0])
        yield entity


def add_row_name(
    entity: Entity, row: dict[str, str], path: str, line: int, *, primary: bool, weak: bool
) -> None:
    """The row's name in natural order: ``name`` (with its parts, for a person) when it is
    the primary name and none is set yet, else ``weakAlias`` or ``alias``."""
    given = [row.get(f"Name {i}", "") for i in range(1, 6)]
    name = " ".join(p for p in (*given, row["Name 6"]) if p)
    if not name:
        raise SourceError("row has no name", path=path, line=line, field="Name 6")
    if primary and not entity.get("name"):
        entity.add("name", name)
        if entity.schema == "Person":
            entity.add("lastName", row["Name 6"])
            entity.add("firstName", given[0])
            entity.add("middleName", *given[1:])
    elif weak:
        entity.add("weakAlias", name)
    elif name not in entity.get("name"):
        entity.add("alias", name)
