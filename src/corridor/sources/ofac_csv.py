"""OFAC SDN list in its legacy CSV form: ``sdn.csv`` + ``alt.csv`` + ``add.csv`` (+ comments).

The files have no header, write ``-0-`` for empty, end with a ``0x1A`` byte (skipped, the
only row ever skipped) and reference each other by ``ent_num``. Aliases, addresses and
remark continuations are loaded first (small), then ``sdn.csv`` streams; a row of
``alt.csv``/``add.csv`` whose ``ent_num`` is not in ``sdn.csv`` is an error, so no data
is silently dropped.

``SDN_Type``: ``individual`` → Person, ``vessel`` → Vessel, ``aircraft`` → Airplane (the
FtM schema for aircraft), ``-0-`` → Organization. Names stay as OFAC writes them
(``LAST, Given``) with ``lastName``/``firstName`` split off for people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_address, add_properties
from corridor.sources.ofac_remarks import parse_ofac_remarks
from corridor.sources.reading import csv_rows

DATASET = "us_ofac_sdn"
FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")

SCHEMA_BY_TYPE = {
    "individual": "Person",
    "vessel": "Vessel",
    "aircraft": "Airplane",
    "": "Organization",
}


def empty(value: str | None) -> str | None:
    """OFAC's ``-0-`` (with or without trailing space) and blanks → ``None``."""
    if value is None:
        return None
    value = value.strip()
    return None if value in ("", "-0-") else value


def split_programs(text: str | None) -> list[str]:
    """``"SDGT] [IFSR"`` → ``["SDGT", "IFSR"]``."""
    if not text:
        return []
    return [p.strip(" []") for p in text.split("] [") if p.strip(" []")]


@dataclass
class _Side:
    """Rows of a side file by ent_num, remembering where each came from."""

    path: Path | None
    rows: dict[str, list[tuple[int, list[str]]]] = field(default_factory=dict)

    def load(self, columns: int) -> _Side:
        if self.path is not None:
            for line, row in csv_rows(self.path, columns=columns, skip_eof_marker=True):
                key = row[0].strip()
                if not key.isdigit():
                    raise SourceError(
                        f"ent_num {key!r} is not a number",
                        path=str(self.path),
                        line=line,
                        field="ent_num",
                    )
                self.rows.setdefault(key, []).append((line, row))
        return self

    def pop(self, key: str) -> list[tuple[int, list[str]]]:
        return self.rows.pop(key, [])

    def check_consumed(self) -> None:
        if self.rows and self.path is not None:
            key, [(line, _), *_] = next(iter(self.rows.items()))
            raise SourceError(
                f"ent_num {key} is not in sdn.csv; the files are from different releases, "
                "download all OFAC files together",
                path=str(self.path),
                line=line,
                field="ent_num",
            )


def _by_name(paths: Sequence[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for p in paths:
        name = Path(p).name.lower()
        if name in FILES:
            found[name] = Path(p)
    if "sdn.csv" not in found:
        raise SourceError(
            "sdn.csv is missing; the OFAC CSV set needs sdn.csv, alt.csv and add.csv",
            path=str(paths[0]) if paths else None,
        )
    return found


def parse_ofac_csv(paths: Sequence[Path]) -> ParsedList:
    """Parse the OFAC SDN CSV set (``sdn.csv`` required; others attached when given)."""
    files = _by_name(paths)
    return ParsedList(
        dataset=DATASET,
        list_date=None,
        entities=_entities(files),
        files=[files[n] for n in FILES if n in files],
    )


def _entities(files: dict[str, Path]) -> Iterator[Entity]:
    aliases = _Side(files.get("alt.csv")).load(5)
    addresses = _Side(files.get("add.csv")).load(6)
    comments = _Side(files.get("sdn_comments.csv")).load(2)
    sdn = files["sdn.csv"]
    seen: set[str] = set()
    for line, row in csv_rows(sdn, columns=12, skip_eof_marker=True):
        ent_num = row[0].strip()
        if not ent_num.isdigit():
            raise SourceError(
                f"ent_num {ent_num!r} is not a number", path=str(sdn), line=line, field="ent_num"
            )
        if ent_num in seen:
            raise SourceError(
                f"ent_num {ent_num} appears twice", path=str(sdn), line=line, field="ent_num"
            )
        seen.add(ent_num)
        remarks = row[11] if empty(row[11]) else ""
        for _, extra in comments.pop(ent_num):
            remarks += extra[1]
        yield _entity(sdn, line, row, remarks, aliases.pop(ent_num), addresses.pop(ent_num))
    for side in (aliases, addresses, comments):
        side.check_consumed()


def _entity(
    path: Path,
    line: int,
    row: list[str],
    remarks: str,
    aliases: list[tuple[int, list[str]]],
    addresses: list[tuple[int, list[str]]],
) -> Entity:
    ent_num, name, sdn_type, program, title, call_sign, vess_type, tonnage, grt, flag, owner, _ = (
        empty(v) for v in row
    )
    kind = (sdn_type or "").lower()
    if kind not in SCHEMA_BY_TYPE:
        raise SourceError(
            f"unknown SDN_Type {sdn_type!r}; expected individual, vessel, aircraft or -0-",
            path=str(path),
            line=line,
            field="SDN_Type",
        )
    if not name:
        raise SourceError("entry has no name", path=str(path), line=line, field="SDN_Name")
    assert ent_num is not None
    entity = Entity.create(DATASET, ent_num, SCHEMA_BY_TYPE[kind])
    entity.add("name", name)
    if entity.schema == "Person" and "," in name:
        last, given = name.split(",", 1)
        entity.add("lastName", last)
        entity.add("firstName", given)
    entity.add("topics", "sanction")
    entity.add("program", *split_programs(program))
    if title:
        add_properties(entity, {"position" if entity.schema == "Person" else "notes": [title]})
    vessel: dict[str, list[str]] = {}
    for prop, value in (
        ("callSign", call_sign),
        ("type", vess_type),
        ("tonnage", tonnage),
        ("grossRegisteredTonnage", grt),
    ):
        if value:
            vessel[prop] = [value]
    if flag:
        code = country_code(flag)
        vessel["flag" if code else "notes"] = [code or f"flag: {flag}"]
    if owner:
        vessel.setdefault("notes", []).append(f"Owner: {owner}")
    add_properties(entity, vessel)
    add_properties(entity, parse_ofac_remarks(remarks))
    for _, alt in aliases:
        alt_type, alt_name = (empty(alt[2]) or "").lower(), empty(alt[3])
        if not alt_name:
            continue
        if alt_type == "fka":
            entity.add("previousName", alt_name)
        entity.add("alias", alt_name)
        if empty(alt[4]):
            entity.add("notes", f"{alt_name}: {empty(alt[4])}")
    for _, add in addresses:
        street, city, country, note = (empty(v) for v in add[2:6])
        add_address(entity, (street, city, country), country)
        entity.add("notes", note)
    return entity


__all__ = ["DATASET", "parse_ofac_csv", "parse_ofac_remarks", "split_programs"]
