"""Which input column is which field, and a row made into a match query.

The default mapping is the header of the evaluation's customer file,
``id,name,schema,country,birth_date``. Columns are renamed with ``--column FIELD=COLUMN``
or a small YAML file (``name: full_name``, ``birth_date: dob`` …). A row maps to a query as
``corridor match`` and the evaluation protocol read it: ``country`` is the ``nationality`` of
a person and the ``country`` of anything else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corridor import textyaml
from corridor.errors import InputError
from corridor.matching.compare.schema import QUERY_SCHEMATA

#: Fields a row may have, in output order; ``name`` is required.
FIELDS = ("id", "name", "schema", "country", "birth_date", "id_number", "imo")
#: Schemata a row may name (an empty cell: ``default_schema``): those the matcher takes.
SCHEMATA = frozenset(QUERY_SCHEMATA)
#: A longer name is refused as a bad row (it is no one's name).
MAX_NAME_LENGTH = 500

#: A row ready for the matcher: (line, row id, query) or, for a bad row, (line, id, message).
Row = tuple[int, str, dict[str, Any] | str]


@dataclass(frozen=True)
class ColumnMapping:
    """Field -> input column; a field without a column is absent.

    ``explicit``: the fields given a column by flags or a mapping file. Their column must be
    in the input; a default column that is not is left out (a file of companies has no
    birth dates), except the name's.
    """

    columns: dict[str, str] = field(default_factory=lambda: {f: f for f in FIELDS[:5]})
    default_schema: str = "LegalEntity"
    explicit: frozenset[str] = frozenset()

    @classmethod
    def build(cls, pairs: Sequence[str] = (), mapping_file: Path | None = None) -> ColumnMapping:
        """The default mapping, changed by a mapping file, then by ``FIELD=COLUMN`` pairs."""
        columns = {f: f for f in FIELDS[:5]}
        explicit: set[str] = set()
        default_schema = "LegalEntity"
        if mapping_file is not None:
            text = textyaml.read(mapping_file, "mapping file")
            try:
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError as exc:
                raise InputError(
                    f"cannot read the mapping: {exc}", path=str(mapping_file)
                ) from None
            if not isinstance(data, dict):
                raise InputError("a mapping is FIELD: COLUMN lines", path=str(mapping_file))
            default_schema = str(data.pop("default_schema", default_schema))
            given = _checked(data, str(mapping_file))
            columns.update(given)
            explicit.update(given)
        for pair in pairs:
            fld, sep, column = pair.partition("=")
            if not sep:
                raise InputError(f"--column {pair!r}: write FIELD=COLUMN, e.g. name=full_name")
            given = _checked({fld.strip(): column.strip()}, "--column")
            columns.update(given)
            explicit.update(given)
        columns = {f: c for f, c in columns.items() if c}
        if "name" not in columns:
            raise InputError("the mapping has no name column; map it with --column name=COLUMN")
        if default_schema not in SCHEMATA:
            raise InputError(f"default_schema {default_schema!r}: use one of {_schemata()}")
        return cls(columns, default_schema, frozenset(explicit & set(columns)))

    def for_header(self, header: Sequence[str], source: str) -> ColumnMapping:
        """This mapping on an input with these columns: refused, before any work, when the
        name's column or a column given by flag or file is missing; default columns the
        input lacks are left out. A column is found whatever its case when no other column
        has its name in another case (a spreadsheet's ``Name``, ``COUNTRY``)."""
        found, missing = self._columns_in(header)
        if missing:
            raise InputError(
                f"no column for {', '.join(missing)}; the columns are {', '.join(header)}. "
                "Map them with --column FIELD=COLUMN (or --mapping FILE)",
                path=source,
            )
        return ColumnMapping(found, self.default_schema, self.explicit)

    def fits(self, header: Sequence[str]) -> bool:
        """Whether :meth:`for_header` takes these columns."""
        return not self._columns_in(header)[1]

    def _columns_in(self, header: Sequence[str]) -> tuple[dict[str, str], list[str]]:
        """Field -> its column in ``header``, and the required fields without one."""
        by_fold: dict[str, list[str]] = {}
        for column in header:
            by_fold.setdefault(column.casefold(), []).append(column)
        found: dict[str, str] = {}
        for fld, column in self.columns.items():
            if column in header:
                found[fld] = column
            elif len(by_fold.get(column.casefold(), ())) == 1:
                found[fld] = by_fold[column.casefold()][0]
        missing = [
            f"{f} ({c!r})"
            for f, c in self.columns.items()
            if f not in found and (f == "name" or f in self.explicit)
        ]
        return found, missing

    def row(self, line: int, record: Mapping[str, Any]) -> Row:
        """One input record as a query, or as a bad row with what is wrong with it."""
        get = self._getter(record)
        rid = get("id") or f"line-{line}"
        name = get("name")
        if not name:
            return line, rid, "no name"
        if len(name) > MAX_NAME_LENGTH:
            return line, rid, f"name of {len(name)} characters, above {MAX_NAME_LENGTH}"
        schema = get("schema") or self.default_schema
        if schema not in SCHEMATA:
            return line, rid, f"schema {schema!r}: use one of {_schemata()}"
        props: dict[str, list[str]] = {"name": [name]}
        country = get("country")
        if country:
            props["nationality" if schema == "Person" else "country"] = [country]
        for fld, prop in (
            ("birth_date", "birthDate"),
            ("id_number", "idNumber"),
            ("imo", "imoNumber"),
        ):
            value = get(fld)
            if value:
                props[prop] = [value]
        return line, rid, {"schema": schema, "properties": props}

    def _getter(self, record: Mapping[str, Any]):
        columns = self.columns

        def get(fld: str) -> str:
            column = columns.get(fld)
            if column is None:
                return ""
            value = record.get(column)
            return "" if value is None else str(value).strip()

        return get


def _checked(pairs: Mapping[Any, Any], where: str) -> dict[str, str]:
    out = {}
    for fld, column in pairs.items():
        if fld not in FIELDS:
            raise InputError(f"unknown field {fld!r}; fields are {', '.join(FIELDS)}", path=where)
        out[str(fld)] = "" if column is None else str(column)
    return out


def _schemata() -> str:
    return ", ".join(sorted(SCHEMATA))
