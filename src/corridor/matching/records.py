"""The listed entities as the matcher needs them: compact, comparable, merged across lists.

Each list record keeps only what scoring reads (kind, birth dates, countries,
identifiers, IMO numbers, topics), already normalised. Records of different lists that
are the same person or organisation (same normalised name, and for people the same birth
year) are merged into one *cluster*: one result that carries every source id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from corridor.countries import ftm_country
from corridor.matching.columns import (
    Arrays,
    CodeColumn,
    ListColumn,
    StringColumn,
    prefixed,
    sub_arrays,
)
from corridor.matching.compare.schema import Kind, kind_of
from corridor.model import Entity
from corridor.names.normalize import normalize_id
from corridor.names.skeleton import fold
from corridor.names.tokens import is_weak, name_tokens

COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag", "birthCountry")
ID_PROPS = (
    "idNumber",
    "passportNumber",
    "nationalId",
    "taxNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "vatCode",
)
_COUNTRY_SET = frozenset(COUNTRY_PROPS)
_ID_SET = frozenset(ID_PROPS)
STRONG_NAME_PROPS = ("name", "alias", "previousName")
WEAK_NAME_PROPS = ("weakAlias",)


def imo_digits(value: str) -> str:
    """``IMO 9137246`` / ``9137246`` -> ``9137246`` (empty if there are no digits)."""
    return "".join(ch for ch in value if ch.isdigit())


@dataclass
class EntityRows:
    """The entity table while it is filled, one Python list per column; ``compact()`` makes
    the :class:`ListedEntities` the matcher keeps."""

    ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    schemata: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    kinds: list[Kind] = field(default_factory=list)
    dates: list[tuple[str, ...]] = field(default_factory=list)
    countries: list[frozenset[str]] = field(default_factory=list)
    identifiers: list[frozenset[str]] = field(default_factory=list)
    imos: list[frozenset[str]] = field(default_factory=list)
    topics: list[tuple[str, ...]] = field(default_factory=list)
    cluster: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    cluster_members: list[tuple[int, ...]] | MemberColumn = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def compact(self, release: bool = False) -> ListedEntities:
        """The same table as numpy columns (``matching/columns.py``). ``release``: empty
        each list once its column is made (a million rows hold a lot of Python objects)."""

        def column(name: str, make: Callable[[list], Any]) -> Any:
            built = make(getattr(self, name))
            if release:
                setattr(self, name, [])
            return built

        return ListedEntities(
            ids=column("ids", StringColumn.build),
            source_ids=column("source_ids", StringColumn.build),
            schemata=column("schemata", CodeColumn.build),
            datasets=column("datasets", CodeColumn.build),
            captions=column("captions", StringColumn.build),
            kinds=column("kinds", CodeColumn.build),
            dates=column("dates", ListColumn.build),
            countries=column("countries", lambda v: ListColumn.build(v, as_set=True)),
            identifiers=column("identifiers", lambda v: ListColumn.build(v, as_set=True)),
            imos=column("imos", lambda v: ListColumn.build(v, as_set=True)),
            topics=column("topics", ListColumn.build),
            cluster=self.cluster,
            cluster_members=column("cluster_members", MemberColumn.of),
        )


class MemberColumn(Sequence[tuple[int, ...]]):
    """The entity numbers of each cluster: offsets into one ``int32`` column."""

    __slots__ = ("members", "ptr")

    def __init__(self, ptr: np.ndarray, members: np.ndarray) -> None:
        self.ptr = ptr
        self.members = members

    @classmethod
    def of(cls, rows: list[tuple[int, ...]] | MemberColumn) -> MemberColumn:
        """The column of ``rows``, or ``rows`` when it is one already."""
        return rows if isinstance(rows, MemberColumn) else cls.build(rows)

    @classmethod
    def build(cls, rows: list[tuple[int, ...]]) -> MemberColumn:
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        if rows:
            np.cumsum([len(r) for r in rows], out=ptr[1:])
        flat = np.fromiter((m for r in rows for m in r), dtype=np.int32, count=int(ptr[-1]))
        return cls(ptr, flat)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return tuple(self.members[self.ptr[i] : self.ptr[i + 1]].tolist())

    def arrays(self) -> Arrays:
        return {"ptr": self.ptr, "members": self.members}


#: Columns that read back as frozensets.
_SET_COLUMNS = ("countries", "identifiers", "imos")
_CODE_COLUMNS = ("schemata", "datasets", "kinds")


@dataclass
class ListedEntities:
    """Column-wise table of listed entities (index = entity number used by the name index).

    Each column is a sequence whose items are what the matcher compares (``dates[i]`` a
    tuple of ISO dates, ``countries[i]`` a frozenset of codes …), stored as numpy arrays.
    """

    ids: StringColumn
    source_ids: StringColumn
    schemata: CodeColumn
    datasets: CodeColumn
    captions: StringColumn
    kinds: CodeColumn  # of Kind
    dates: ListColumn
    countries: ListColumn
    identifiers: ListColumn
    imos: ListColumn
    topics: ListColumn
    cluster: np.ndarray
    cluster_members: MemberColumn

    def __len__(self) -> int:
        return len(self.ids)

    def arrays(self) -> Arrays:
        """Every array of the table by name (what the cache file holds)."""
        out: Arrays = {"cluster": self.cluster}
        for f in fields(self):
            if f.name != "cluster":
                out.update(prefixed(getattr(self, f.name).arrays(), f.name + "."))
        return out

    def meta(self) -> dict:
        return {name: getattr(self, name).meta() for name in _CODE_COLUMNS}

    @classmethod
    def from_arrays(cls, arrays: Arrays, meta: dict) -> ListedEntities:
        values: dict = {"cluster": arrays["cluster"]}
        for f in fields(cls):
            if f.name == "cluster":
                continue
            sub = sub_arrays(arrays, f.name + ".")
            if f.name in _CODE_COLUMNS:
                values[f.name] = CodeColumn.from_arrays(sub, meta[f.name])
            elif f.name in ("ids", "source_ids", "captions"):
                values[f.name] = StringColumn.from_arrays(sub)
            elif f.name == "cluster_members":
                values[f.name] = MemberColumn(sub["ptr"], sub["members"])
            else:
                values[f.name] = ListColumn.from_arrays(sub, as_set=f.name in _SET_COLUMNS)
        return cls(**values)


def collect_entities(
    entities: Iterable[Entity],
) -> tuple[EntityRows, list[tuple[int, str, bool]]]:
    """Fill the table from entities; also return every name as (entity, name, is_weak)."""
    table = EntityRows()
    names: list[tuple[int, str, bool]] = []
    interned: dict = {}
    intern = interned.setdefault  # intern(v, v): one shared copy of each value
    # Bound once: a million entities make a dozen appends each.
    add_id, add_source_id = table.ids.append, table.source_ids.append
    add_schema, add_dataset = table.schemata.append, table.datasets.append
    add_caption, add_kind = table.captions.append, table.kinds.append
    add_dates, add_countries = table.dates.append, table.countries.append
    add_identifiers, add_imos = table.identifiers.append, table.imos.append
    add_topics, add_name = table.topics.append, names.append
    no_values = intern(frozenset(), frozenset())
    # Most records carry no identifier or IMO number and one or two country values, of
    # a few hundred spellings in all: looked up once each.
    country_of: dict[str, str | None] = {}

    for idx, ent in enumerate(entities):
        props = ent.properties
        keys = props.keys()
        add_id(ent.id)
        add_source_id(ent.source_id)
        add_schema(intern(ent.schema, ent.schema))
        add_dataset(intern(ent.dataset, ent.dataset))
        add_caption(ent.caption)
        value = kind_of(ent.schema)
        add_kind(intern(value, value))
        value = tuple(props.get("birthDate", ()))
        add_dates(intern(value, value))
        if keys.isdisjoint(_COUNTRY_SET):
            add_countries(no_values)
        else:
            codes = set()
            for prop in COUNTRY_PROPS:
                for value in props.get(prop, ()):
                    code = country_of.get(value, "")
                    if code == "":
                        code = country_of[value] = ftm_country(value)
                    if code:
                        codes.add(code)
            value = frozenset(codes)
            add_countries(intern(value, value))
        if keys.isdisjoint(_ID_SET):
            add_identifiers(no_values)
        else:
            ids = {normalize_id(v) for p in ID_PROPS for v in props.get(p, ())}
            value = frozenset(i for i in ids if len(i) >= 4)
            add_identifiers(intern(value, value))
        if "imoNumber" not in keys:
            add_imos(no_values)
        else:
            imos = {imo_digits(v) for v in props["imoNumber"]}
            value = frozenset(i for i in imos if len(i) == 7)
            add_imos(intern(value, value))
        value = tuple(props.get("topics", ()))
        add_topics(intern(value, value))
        seen: set[str] = set()
        for prop in STRONG_NAME_PROPS:
            for value in props.get(prop, ()):
                if value not in seen:
                    seen.add(value)
                    add_name((idx, value, False))
        for prop in WEAK_NAME_PROPS:
            for value in props.get(prop, ()):
                if value not in seen:
                    seen.add(value)
                    add_name((idx, value, True))
    return table, names


def _merge_key(name: str, organisation: bool) -> str:
    return " ".join(sorted(fold(t) for t in name_tokens(name, organisation) if not is_weak(t)))


def cluster_entities(
    table: EntityRows,
    names: list[tuple[int, str, bool]],
    links: Iterable[tuple[int, int]] = (),
    merge_keys: Sequence[int] | None = None,
) -> None:
    """Merge records of *different* datasets that name the same person or organisation.

    People: same normalised name (any strong name) and a common birth year. Organisations:
    same normalised primary name. ``links``: more pairs of records found to be one
    party (the matcher's cross-list linking, ``matching/linking.py``), merged after
    those. A cluster never holds two records of one dataset: homonyms within a list are
    different entities. ``merge_keys``: each name's key hashed as ``NameIndex.build``
    made it, 0 for none (else made here).
    """
    if len(set(table.datasets)) < 2:  # one list: every record is its own party
        n = len(table)
        table.cluster = np.arange(n, dtype=np.int32)
        table.cluster_members = MemberColumn(
            np.arange(n + 1, dtype=np.int64), np.arange(n, dtype=np.int32)
        )
        return
    parent = list(range(len(table)))
    members_ds: dict[int, set[str]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_by_key: dict[tuple, int] = {}
    primary = {idx: None for idx in range(len(table))}
    for k, (idx, name, weak) in enumerate(names):
        if weak:
            continue
        kind = table.kinds[idx]
        if kind == "person":
            years = sorted({d[:4] for d in table.dates[idx]})  # in order: merges are first come
            if not years:
                continue
            key = merge_keys[k] if merge_keys is not None else _merge_key(name, False)
            keys = [(kind, key, y) for y in years]
        else:
            if primary[idx] is not None:
                continue
            primary[idx] = name
            key = merge_keys[k] if merge_keys is not None else _merge_key(name, True)
            keys = [(kind, key)]
        for key in keys:
            if not key[1]:
                continue
            other = first_by_key.setdefault(key, idx)
            if other == idx:
                continue
            ra, rb = find(other), find(idx)
            if ra == rb:
                continue
            da = members_ds.get(ra, {table.datasets[ra]})
            db = members_ds.get(rb, {table.datasets[rb]})
            if da & db:
                continue
            parent[rb] = ra
            members_ds[ra] = da | db
    for a, b in links:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        da = members_ds.get(ra, {table.datasets[ra]})
        db = members_ds.get(rb, {table.datasets[rb]})
        if da & db:
            continue
        parent[rb] = ra
        members_ds[ra] = da | db
    roots = [find(i) for i in range(len(table))]
    cluster_of_root: dict[int, int] = {}
    cluster = np.empty(len(table), dtype=np.int32)
    members: list[list[int]] = []
    for i, root in enumerate(roots):
        c = cluster_of_root.get(root)
        if c is None:
            c = cluster_of_root[root] = len(members)
            members.append([])
        cluster[i] = c
        members[c].append(i)
    table.cluster = cluster
    table.cluster_members = [tuple(m) for m in members]
