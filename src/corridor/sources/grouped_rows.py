"""The layout both UK lists share: one CSV row per name, grouped into one entity per id.

OFSI's ``ConList.csv`` and the FCDO's UK Sanctions List repeat a designation's details on
one row per name (the primary name, then each alias), tied together by an id column
(``Group ID`` / ``Unique ID``); ``Name 1``..``Name 5`` are given names and ``Name 6`` the
surname (an entity's whole name). Only the other columns differ, so each parser maps its
own columns row by row (a :data:`RowMapper`) and leaves the rest to
:func:`parse_grouped_csv`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.reading import csv_header, csv_rows, read_text, single_file
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


def parse_grouped_csv(paths: Sequence[Path], layout: Layout, fill: RowMapper) -> ParsedList:
    """Parse one UK list file into a ParsedList dated by its first line."""
    path = single_file(paths, layout.what)
    text = read_text(path)
    first, _, rest = text.partition("\n")
    dated = layout.first_line.match(first)
    if not dated:
        raise SourceError(
            f"first line is not '{layout.first_line_hint}'; this file is not the {layout.what}",
            path=str(path),
            line=1,
        )
    header = csv_header(
        path, rest.split("\n", 1)[0], line=2, required=layout.required, what=layout.what
    )
    return ParsedList(
        dataset=layout.dataset,
        list_date=parse_date(dated[1]),
        entities=grouped_entities(path, rest, header, layout, fill),
        files=[path],
    )


def grouped_entities(
    path: Path, text: str, header: list[str], layout: Layout, fill: RowMapper
) -> Iterator[Entity]:
    """One entity per designation id from ``text`` (the file after its dated first line).

    A designation without a row marked as its primary name takes its first alias as
    ``name``, as the publishers' own search does, rather than being dropped.
    """
    groups: dict[str, Entity] = {}
    rows = csv_rows(path, columns=len(header), text=text)
    next(rows)
    id_col, type_col = layout.id_column, layout.type_column
    for line, values in rows:
        line += 1  # the dated first line was split off before reading
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
