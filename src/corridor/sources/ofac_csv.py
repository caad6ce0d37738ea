"""OFAC's lists in their legacy CSV form: the SDN set ``sdn.csv`` + ``alt.csv`` + ``add.csv``
+ ``sdn_comments.csv``, and the Consolidated (non-SDN) set ``cons_prim.csv`` +
``cons_alt.csv`` + ``cons_add.csv`` + ``cons_comments.csv`` (same columns).

The files have no header, write ``-0-`` for empty, end with a ``0x1A`` byte (skipped, the
only row ever skipped) and reference each other by ``ent_num``. Aliases, addresses and
remark continuations are loaded first (small), then the primary file streams; a row of a
side file whose ``ent_num`` is not in the primary file is an error, so no data is silently
dropped.

A release may come without its side files (a scraper that kept only ``sdn.csv``): it is
read with what it has, and :attr:`ParsedList.gaps` says what is missing (no strong
aliases, no addresses, and how many ``Remarks`` end exactly at OFAC's 1,000-character cut,
their rest being in the missing comments file). Side files of another release are never
joined: only files given together are read together.

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
CONS_DATASET = "us_ofac_cons"


@dataclass(frozen=True)
class CsvSet:
    """The four files of one OFAC CSV publication: primary, aliases, addresses, comments."""

    dataset: str
    primary: str
    aliases: str
    addresses: str
    comments: str

    @property
    def files(self) -> tuple[str, str, str, str]:
        return (self.primary, self.aliases, self.addresses, self.comments)


SDN_SET = CsvSet(DATASET, "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONS_SET = CsvSet(
    CONS_DATASET, "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"
)
FILES = SDN_SET.files

#: OFAC cuts ``Remarks`` at this many characters and continues them in the comments file.
REMARKS_CUT = 1000

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

    def check_consumed(self, primary: str) -> None:
        if self.rows and self.path is not None:
            key, [(line, _), *_] = next(iter(self.rows.items()))
            raise SourceError(
                f"ent_num {key} is not in {primary}; the files are from different releases, "
                "download all OFAC files together",
                path=str(self.path),
                line=line,
                field="ent_num",
            )


def _by_name(paths: Sequence[Path], files: CsvSet) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for p in paths:
        name = Path(p).name.lower()
        if name in files.files:
            found[name] = Path(p)
    if files.primary not in found:
        raise SourceError(
            f"{files.primary} is missing; the OFAC CSV set is {', '.join(files.files)}",
            path=str(paths[0]) if paths else None,
        )
    return found


def parse_ofac_csv(paths: Sequence[Path]) -> ParsedList:
    """Parse the OFAC SDN CSV set (``sdn.csv`` required; others attached when given)."""
    return _parse(paths, SDN_SET)


def parse_ofac_cons_csv(paths: Sequence[Path]) -> ParsedList:
    """Parse the OFAC Consolidated (non-SDN) CSV set (``cons_prim.csv`` and its side files)."""
    return _parse(paths, CONS_SET)


def _parse(paths: Sequence[Path], files: CsvSet) -> ParsedList:
    found = _by_name(paths, files)
    parsed = ParsedList(
        dataset=files.dataset,
        list_date=None,
        entities=iter(()),
        files=[found[n] for n in files.files if n in found],
    )
    lost = {
        files.aliases: "no strong aliases (only the weak a.k.a.s written in Remarks)",
        files.addresses: "no addresses",
    }
    parsed.gaps.extend(
        f"released without {name}: {what}" for name, what in lost.items() if name not in found
    )
    parsed.entities = _entities(found, files, parsed.gaps)
    return parsed


def highest_ent_num(paths: Sequence[Path]) -> int | None:
    """The highest ``ent_num`` of a primary file: OFAC numbers new entries upwards, so of two
    undated releases the one with the higher number is the later."""
    primary = next(
        (Path(p) for p in paths if Path(p).name.lower() in (SDN_SET.primary, CONS_SET.primary)),
        None,
    )
    if primary is None:
        return None
    numbers = [
        int(row[0])
        for _, row in csv_rows(primary, columns=12, skip_eof_marker=True)
        if row[0].strip().isdigit()
    ]
    return max(numbers, default=None)


def _entities(found: dict[str, Path], files: CsvSet, gaps: list[str]) -> Iterator[Entity]:
    aliases = _Side(found.get(files.aliases)).load(5)
    addresses = _Side(found.get(files.addresses)).load(6)
    comments = _Side(found.get(files.comments)).load(2)
    primary = found[files.primary]
    seen: set[str] = set()
    cut = 0
    for line, row in csv_rows(primary, columns=12, skip_eof_marker=True):
        ent_num = row[0].strip()
        if not ent_num.isdigit():
            raise SourceError(
                f"ent_num {ent_num!r} is not a number",
                path=str(primary),
                line=line,
                field="ent_num",
            )
        if ent_num in seen:
            raise SourceError(
                f"ent_num {ent_num} appears twice", path=str(primary), line=line, field="ent_num"
            )
        seen.add(ent_num)
        remarks = row[11] if empty(row[11]) else ""
        if files.comments not in found and len(row[11]) >= REMARKS_CUT:
            cut += 1
        for _, extra in comments.pop(ent_num):
            remarks += extra[1]
        yield _entity(
            files.dataset, primary, line, row, remarks, aliases.pop(ent_num), addresses.pop(ent_num)
        )
    for side in (aliases, addresses, comments):
        side.check_consumed(files.primary)
    if cut:
        gaps.append(
            f"released without {files.comments}: {cut} remarks cut at {REMARKS_CUT:,} "
            "characters (their rest is in that file)"
        )


def _entity(
    dataset: str,
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
    entity = Entity.create(dataset, ent_num, SCHEMA_BY_TYPE[kind])
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


__all__ = [
    "DATASET",
    "highest_ent_num",
    "parse_ofac_cons_csv",
    "parse_ofac_csv",
    "parse_ofac_remarks",
    "split_programs",
]
