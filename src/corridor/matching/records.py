"""The listed entities as the matcher needs them: compact, comparable, merged across lists.

Each list record keeps only what scoring reads (kind, birth dates, countries,
identifiers, IMO numbers, topics), already normalised. Records of different lists that
are the same person or organisation (same normalised name, and for people the same birth
year) are merged into one *cluster*: one result that carries every source id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from corridor.countries import ftm_country
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
STRONG_NAME_PROPS = ("name", "alias", "previousName")
WEAK_NAME_PROPS = ("weakAlias",)


def imo_digits(value: str) -> str:
    """``IMO 9137246`` / ``9137246`` -> ``9137246`` (empty if there are no digits)."""
    return "".join(ch for ch in value if ch.isdigit())


@dataclass
class ListedEntities:
    """Column-wise table of listed entities (index = entity number used by the name index)."""

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
    cluster_members: list[tuple[int, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def collect_entities(
    entities: Iterable[Entity],
) -> tuple[ListedEntities, list[tuple[int, str, bool]]]:
    """Fill the table from entities; also return every name as (entity, name, is_weak)."""
    table = ListedEntities()
    names: list[tuple[int, str, bool]] = []
    interned: dict = {}

    def intern(value):
        return interned.setdefault(value, value)

    for ent in entities:
        idx = len(table.ids)
        props = ent.properties
        table.ids.append(ent.id)
        table.source_ids.append(ent.source_id)
        table.schemata.append(intern(ent.schema))
        table.datasets.append(intern(ent.dataset))
        table.captions.append(ent.caption)
        table.kinds.append(intern(kind_of(ent.schema)))
        table.dates.append(intern(tuple(props.get("birthDate", ()))))
        codes = set()
        for prop in COUNTRY_PROPS:
            for value in props.get(prop, ()):
                code = ftm_country(value)
                if code:
                    codes.add(code)
        table.countries.append(intern(frozenset(codes)))
        ids = {normalize_id(v) for p in ID_PROPS for v in props.get(p, ())}
        table.identifiers.append(intern(frozenset(i for i in ids if len(i) >= 4)))
        imos = {imo_digits(v) for v in props.get("imoNumber", ())}
        table.imos.append(intern(frozenset(i for i in imos if len(i) == 7)))
        table.topics.append(intern(tuple(props.get("topics", ()))))
        seen: set[str] = set()
        for prop in STRONG_NAME_PROPS:
            for value in props.get(prop, ()):
                if value not in seen:
                    seen.add(value)
                    names.append((idx, value, False))
        for prop in WEAK_NAME_PROPS:
            for value in props.get(prop, ()):
                if value not in seen:
                    seen.add(value)
                    names.append((idx, value, True))
    return table, names


def _merge_key(name: str, organisation: bool) -> str:
    return " ".join(sorted(fold(t) for t in name_tokens(name, organisation) if not is_weak(t)))


def cluster_entities(table: ListedEntities, names: list[tuple[int, str, bool]]) -> None:
    """Merge records of *different* datasets that name the same person or organisation.

    People: same normalised name (any strong name) and a common birth year. Organisations:
    same normalised primary name. A cluster never holds two records of one dataset:
    homonyms within a list are different entities.
    """
    parent = list(range(len(table)))
    members_ds: dict[int, set[str]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_by_key: dict[tuple, int] = {}
    primary = {idx: None for idx in range(len(table))}
    for idx, name, weak in names:
        if weak:
            continue
        kind = table.kinds[idx]
        if kind == "person":
            years = {d[:4] for d in table.dates[idx]}
            keys = [(kind, _merge_key(name, False), y) for y in years]
        else:
            if primary[idx] is not None:
                continue
            primary[idx] = name
            keys = [(kind, _merge_key(name, True))]
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
