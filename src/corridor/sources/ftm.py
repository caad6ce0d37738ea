"""FollowTheMoney JSON lines, as OpenSanctions and yente publish them.

Full exports hold one entity per line, including entities that are not screening
targets (``Sanction``, ``Address``, ``Ownership``, ``Family`` ...). Only the schemata a
name screen can match (:data:`SCREENING_SCHEMATA`) are yielded; the others describe
those entities rather than being matchable themselves. Properties the installed
followthemoney model does not know (a newer export) are kept as ``notes`` rather than
dropped, so every yielded entity passes :func:`corridor.model.validate_ftm`.

Delta files (``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}``) come through
:func:`parse_ftm_delta`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.ftm_schemata import schema_properties
from corridor.sources.reading import check_file

SCREENING_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
)
OPS = ("ADD", "MOD", "DEL")


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Decoded JSON objects of a JSON-lines file with their line numbers."""
    check_file(path)
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SourceError(
                    "not UTF-8 text (UTF-16 or binary?); FtM JSON lines are UTF-8",
                    path=str(path),
                    line=number,
                ) from exc
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(
                    f"not valid JSON ({exc.msg}); the file is damaged or "
                    "truncated, download it again",
                    path=str(path),
                    line=number,
                ) from exc
            if not isinstance(data, dict):
                raise SourceError("line is not a JSON object", path=str(path), line=number)
            yield number, data


def to_entity(data: dict[str, Any], dataset: str | None, path: Path, line: int) -> Entity:
    """Build an Entity from FtM JSON, moving unknown properties into ``notes``."""
    if not data.get("id"):
        raise SourceError("entity has no id", path=str(path), line=line, field="id")
    known = schema_properties(str(data.get("schema", "")))
    if known is None:
        raise SourceError(
            f"unknown FtM schema {data.get('schema')!r}", path=str(path), line=line, field="schema"
        )
    entity = Entity.from_ftm(data, dataset)
    for prop in [p for p in entity.properties if p not in known]:
        values = entity.properties.pop(prop)
        entity.add("notes", *(f"{prop}: {v}" for v in values))
    return entity


def parse_ftm(paths: Sequence[Path], dataset: str) -> ParsedList:
    """Parse FtM JSON-lines exports into one dataset (``source_id`` = ``dataset:id``)."""
    files = [Path(p) for p in paths]
    if not files:
        raise SourceError("no FtM file given")
    for p in files:
        check_file(p)
    return ParsedList(
        dataset=dataset, list_date=None, entities=_entities(files, dataset), files=files
    )


def _entities(files: list[Path], dataset: str) -> Iterator[Entity]:
    for path in files:
        for line, data in _lines(path):
            if data.get("schema") in SCREENING_SCHEMATA:
                yield to_entity(data, dataset, path, line)
            elif not data.get("schema"):
                raise SourceError("entity has no schema", path=str(path), line=line, field="schema")


def parse_ftm_delta(path: Path, dataset: str | None = None) -> Iterator[tuple[str, Entity]]:
    """Yield ``(op, entity)`` for each delta line; ``op`` is ``ADD``, ``MOD`` or ``DEL``.

    A ``DEL`` may carry only the entity id: it yields an Entity with that id and the
    schema given (``LegalEntity`` when none). Non-screening schemata are skipped as in
    :func:`parse_ftm`, except for deletions, which are always passed on.
    """
    path = Path(path)
    for line, data in _lines(path):
        op = str(data.get("op", "")).upper()
        if op not in OPS:
            raise SourceError(
                f"unknown delta op {data.get('op')!r}; expected ADD, MOD or DEL",
                path=str(path),
                line=line,
                field="op",
            )
        body = data.get("entity")
        if not isinstance(body, dict) or not body.get("id"):
            raise SourceError(
                "delta line has no entity id", path=str(path), line=line, field="entity.id"
            )
        if op == "DEL":
            ds = dataset or next(iter(body.get("datasets") or []), "ftm")
            yield (
                op,
                Entity.from_ftm(
                    {
                        "id": body["id"],
                        "schema": body.get("schema") or "LegalEntity",
                        "datasets": [ds],
                    },
                    ds,
                ),
            )
            continue
        if body.get("schema") not in SCREENING_SCHEMATA:
            continue
        yield op, to_entity(body, dataset, path, line)
