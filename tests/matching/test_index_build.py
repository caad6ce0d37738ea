"""The index build's fast paths make what the name-by-name definitions say, array for array.

``NameIndex.build`` works on token ids and on each distinct run of parts once; these tests
work the same arrays out the slow, obvious way (``name_tokens``, ``full_key``,
``joined_pairs``, ``stable_hash`` per name) over the real UN + OFAC lists and a few
awkward names, and compare.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from corridor.matching.columns import ListColumn, StringColumn, stable_hash
from corridor.matching.index import NameIndex, full_key, joined_pairs
from corridor.matching.records import EntityRows, collect_entities
from corridor.model import Entity
from corridor.names.tokens import name_tokens
from corridor.sources import registry

EVAL_DATASETS = ("un_sc_sanctions", "us_ofac_sdn")

#: Names that exercise the edges: weak parts inside runs, repeated parts, legal forms,
#: a name of particles only, one of punctuation only, other scripts.
AWKWARD = [
    ("Person", ["Abu Bakr bin Ali al Baghdadi", "bin bin bin", "---", "Ali Ali Ali Ali"]),
    ("Company", ["Kaz Munai Gaz LLP", "ООО «Рос Оборон Экспорт»", "of the", "Da Group 22"]),
    ("Person", ["Zhakyp uly Nurlan", "AL-ZUBAIDI, Dr. Khaled", "颜宇", "Abdulsalam"]),
    ("Vessel", ["SEA STAR", "Sea Star"]),
]


def _entities(lists_dir: Path) -> list[Entity]:
    found = registry.detect(lists_dir)
    out: list[Entity] = []
    for name in EVAL_DATASETS:
        out.extend(registry.parse_dataset(name, found[name]).entities)
    for k, (schema, names) in enumerate(AWKWARD):
        entity = Entity.create("awkward", k, schema)
        entity.add("name", names[0])
        entity.add("alias", *names[1:])
        out.append(entity)
    return out


def _grouped(pairs: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct keys, CSR offsets, members unique and sorted within each key)."""
    groups: dict[int, set[int]] = {}
    for key, member in pairs:
        groups.setdefault(key, set()).add(member)
    keys = sorted(groups)
    members = [sorted(groups[k]) for k in keys]
    ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(m) for m in members], out=ptr[1:])
    flat = [m for group in members for m in group]
    return np.asarray(keys, dtype=np.uint64), ptr, np.asarray(flat, dtype=np.int32)


@pytest.fixture(scope="module")
def collected(lists_dir: Path) -> tuple[EntityRows, list[tuple[int, str, bool]]]:
    return collect_entities(_entities(lists_dir))


@pytest.fixture(scope="module")
def built(collected) -> tuple[NameIndex, list, list, array]:
    rows, names = collected
    merge_keys = array("Q")
    index = NameIndex.build(names, rows.kinds, merge_keys)
    return index, names, rows.kinds, merge_keys


def test_names_tokens_and_merge_keys(built) -> None:
    index, names, kinds, merge_keys = built
    tok_id: dict[str, int] = {}
    tids: list[int] = []
    ptr, ents, weak, text, merge = [0], [], [], [], []
    for ent, name, is_weak_alias in names:
        toks = name_tokens(name, kinds[ent] != "person")
        key = full_key(toks)
        merge.append(stable_hash(key) if key else 0)
        if not toks:
            continue
        tids.extend(tok_id.setdefault(t, len(tok_id)) for t in toks)
        ptr.append(len(tids))
        ents.append(ent)
        weak.append(is_weak_alias)
        text.append(name)
    assert list(merge_keys) == merge
    assert list(index.tok_str) == list(tok_id)
    assert index.name_ptr.tolist() == ptr and index.name_tids.tolist() == tids
    assert index.name_ent.tolist() == ents and index.name_weak.tolist() == weak
    assert list(index.name_text) == text
    owners = (nid for nid in range(len(ents)) for _ in range(ptr[nid + 1] - ptr[nid]))
    tokens, tok_ptr, tok_names = _grouped(zip(tids, owners, strict=True))
    assert tokens.tolist() == list(range(len(tok_id)))
    assert np.array_equal(index.tok_ptr, tok_ptr) and np.array_equal(index.tok_names, tok_names)


def test_full_and_joined_keys(built) -> None:
    index, _names, _kinds, _merge = built
    full, joined = [], []
    for nid in range(index.n_names):
        toks, _weights = index.name_parts(nid)
        key = full_key(toks)
        if key:
            full.append((stable_hash(key), nid))
        joined.extend((stable_hash(j), nid) for j in joined_pairs(toks))
    for pairs, lookup, ptr, members in (
        (full, index.full_lookup, index.full_ptr, index.full_names),
        (joined, index.joined_lookup, index.joined_ptr, index.joined_names),
    ):
        keys, want_ptr, want_members = _grouped(pairs)
        assert lookup.ids is None and np.array_equal(lookup.hashes, keys)
        assert np.array_equal(ptr, want_ptr) and np.array_equal(members, want_members)
    assert len(joined) > 10_000  # the lists do hold many runs of parts


def test_entity_columns(collected) -> None:
    """String and list columns hold what encoding and numbering row by row gives."""
    rows, _names = collected
    for strings in (rows.ids, rows.captions, ["", "a", "é", ""], [], iter(["x", "yz"])):
        strings = list(strings)
        column = StringColumn.build(iter(strings))
        encoded = [s.encode() for s in strings]
        assert column.blob.tobytes() == b"".join(encoded)
        assert column.offsets.tolist() == [0, *np.cumsum([len(b) for b in encoded]).tolist()]
        assert list(column) == strings
    for values in (rows.dates, rows.countries, rows.identifiers, rows.imos, rows.topics, []):
        column = ListColumn.build(values)
        numbers: dict[str, int] = {}
        ids = [numbers.setdefault(v, len(numbers)) for row in values for v in row]
        assert column.value_ids.tolist() == ids and list(column.values) == list(numbers)
        assert column.ptr.tolist() == [0, *np.cumsum([len(r) for r in values]).tolist()]
        assert [tuple(column[i]) for i in range(len(values))] == [tuple(r) for r in values]


def test_names_sharing_a_token_share_its_string(built) -> None:
    """A vocabulary token is decoded once: every name holding it reads the same string
    (``NameIndex.token_texts``), equal to the column's, and pickling leaves it out."""
    index = built[0]
    tid = int(np.flatnonzero(np.diff(index.tok_ptr) >= 2)[0])  # a token of two names
    holders = index.tok_names[index.tok_ptr[tid] : index.tok_ptr[tid + 1]].tolist()
    token = index.tok_str[tid]
    shared = [next(t for t in index.name_parts(nid)[0] if t == token) for nid in holders[:2]]
    assert shared[0] is shared[1]
    assert index.token_text(tid) is shared[0]
    assert index.token_id(token) == tid
    assert "_texts" not in index.__getstate__()
