"""Look-ups by leading bits (``matching/probe.py``) find what a binary search finds.

Checked on random hashes with every bucket size, on arrays mapped read-only as the index
cache maps them, on an empty array, compiled and run as Python, and on every blocking key
of the real index through ``HashLookup``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matching_fixtures import real_matcher
from test_compiled import as_python

from corridor.matching import probe
from corridor.matching.columns import HashLookup, hash_array
from corridor.matching.index import token_keys


def binary_search(hashes: np.ndarray, wanted: np.ndarray) -> list[int]:
    """Each wanted hash's position by ``np.searchsorted``, -1 where it is not there."""
    out = []
    for h, pos in zip(wanted.tolist(), np.searchsorted(hashes, wanted).tolist(), strict=True):
        out.append(pos if pos < len(hashes) and int(hashes[pos]) == h else -1)
    return out


def sorted_hashes(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.unique(rng.integers(0, 2**64, size=n, dtype=np.uint64))


@pytest.mark.parametrize("n", [0, 1, 2, 7, 1_000, 50_000])
def test_positions_are_those_of_a_binary_search(n: int) -> None:
    rng = np.random.default_rng(n)
    hashes = sorted_hashes(rng, n)
    absent = rng.integers(0, 2**64, size=500, dtype=np.uint64)
    edges = np.array([0, 2**64 - 1, 2**63, 2**63 - 1], dtype=np.uint64)
    wanted = np.concatenate([hashes[: min(n, 500)], absent, edges, hashes[-3:]])
    hashes.setflags(write=False)  # as mapped from the index cache
    want = binary_search(hashes, wanted)
    python = as_python("corridor.matching.probe")
    for bits in sorted({probe.bucket_bits(len(hashes)), 1, 8, probe.MAX_BITS}):
        starts = probe.bucket_starts(hashes, bits)
        for module in (probe, python):
            got = module.find_positions(hashes, hashes.ctypes.data, starts, bits, wanted)
            assert got.tolist() == want, (module.__name__, bits)


def test_bucket_table_stays_small() -> None:
    assert probe.bucket_bits(244_212) == 16  # two to four hashes a bucket
    assert probe.bucket_bits(50_000_000) == probe.MAX_BITS


def test_hash_lookup_finds_every_key_of_the_real_index(lists_dir: Path, tmp_path: Path) -> None:
    index = real_matcher(lists_dir).index
    mapped = tmp_path / "hashes.npy"
    for lookup in (index.key_lookup, index.tok_lookup):  # ids: positions, and an array
        np.save(mapped, lookup.hashes)
        read_only = HashLookup(np.load(mapped, mmap_mode="r"), lookup.ids)
        ids = np.arange(len(lookup)) if lookup.ids is None else lookup.ids
        keys = [k for t in ("zhelezniakov", "mohammed", "rosoboronexport") for k in token_keys(t)]
        keys += ["mohammed", "zhukov", "qq"]
        hashes = hash_array(keys)
        found = read_only.find(hashes)
        positions = binary_search(lookup.hashes, hashes)
        assert found.tolist() == [-1 if p < 0 else int(ids[p]) for p in positions]
        assert (found >= 0).sum() > 1
        assert [read_only.get(k) for k in keys] == [None if f < 0 else f for f in found.tolist()]
        assert read_only.find(lookup.hashes).tolist() == ids.tolist()


def test_stable_hash_is_fixed_and_the_same_compiled_and_as_python() -> None:
    """The index cache stores these hashes: a build in one process is looked up in another,
    so the hash depends on the text alone (not on the process, nor on being compiled)."""
    from corridor.matching import columns

    python = as_python("corridor.matching.columns")
    words = ["", "a", "d:mohammed", "f:жуков", "n:ahmad ali", "🙂" * 3, "x" * 300]
    assert [columns.stable_hash(w) for w in words] == [python.stable_hash(w) for w in words]
    assert columns.stable_hash("abc") == 3741276987793851837
    rng = np.random.default_rng(7)
    keys = [
        "d:" + "".join(rng.choice(list("abcdehikmnorsuvyz"), size=int(n)))
        for n in rng.integers(1, 12, 20_000)
    ]
    # Distinct texts, distinct hashes; their top bits (the look-up buckets) spread evenly.
    assert len(set(hash_array(keys).tolist())) == len(set(keys))
    top = hash_array(sorted(set(keys))) >> np.uint64(60)
    assert np.bincount(top.astype(np.int64), minlength=16).min() > len(set(keys)) / 16 * 0.8


@pytest.mark.parametrize("word", ["", "a", "ab", "abc", "mohammed", "zhelezniakov", "жуков"])
def test_two_deletion_hashes_are_those_of_the_spellings(word: str) -> None:
    """Each spelling with its i-th and j-th letters deleted (i < j), in that order, hashed as
    the text it spells, compiled and run as Python."""
    from corridor.matching.columns import two_deletion_hashes

    python = as_python("corridor.matching.columns")
    n = len(word)
    spelled = [
        "d:" + word[:i] + word[i + 1 : j] + word[j + 1 :] for i in range(n) for j in range(i + 1, n)
    ]
    assert two_deletion_hashes("d:", word).tolist() == hash_array(spelled).tolist()
    assert python.two_deletion_hashes("d:", word).tolist() == hash_array(spelled).tolist()


def test_token_names_read_the_csr_rows_as_numpy_does(lists_dir: Path) -> None:
    """Blocking's loop over a part's similar tokens (``index.token_names``, compiled and
    reading the arrays by address) gives the arrays numpy's gather gives (the source run as
    Python): the same names in the same order, the same single-precision strengths, the
    tokens in more than ``cap`` names left out."""
    from corridor.matching.index import token_names

    matcher = real_matcher(lists_dir)
    index, tok_ptr = matcher.index, matcher.index.tok_ptr
    python = as_python("corridor.matching.index")
    rng = np.random.default_rng(11)
    sizes = np.diff(tok_ptr)
    common = np.argsort(-sizes)[:5].tolist()  # in more than 3 names
    for n in (0, 1, 3, 40, 400):
        tids = rng.integers(0, len(sizes), n).tolist() + (common if n else [])
        strengths = [float(s) for s in rng.choice([1.0, 0.9, 0.8, 0.7, 0.6, 0.55], len(tids))]
        for cap in (matcher.cap, 3):
            args = (index, tids, strengths, cap)
            names, weights = token_names(*args)
            want_names, want_weights = python.token_names(*args)
            assert names.dtype == want_names.dtype and weights.dtype == want_weights.dtype
            assert names.tolist() == want_names.tolist()
            assert weights.tolist() == want_weights.tolist()
            if cap == 3 and tids:  # the common tokens are left out
                assert len(names) < sum(int(sizes[t]) for t in tids)


def test_best_strengths_read_the_key_rows_as_numpy_does(lists_dir: Path) -> None:
    """The similar tokens of a part, as the compiled loop over its blocking keys finds
    them (reading the key -> tokens arrays by address) and as the source run as Python
    does: the same tokens, strengths and order, keys absent or too common adding none."""
    from corridor.matching.index import best_strengths

    index = real_matcher(lists_dir).index
    python = as_python("corridor.matching.index")
    keys = [
        k for t in ("zhelezniakov", "mohammed", "rosoboronexport", "ali") for k in token_keys(t)
    ]
    kids = index.key_lookup.find(hash_array(keys)).tolist() + [-1]
    strengths = [0.5 + 0.05 * (k % 7) for k in range(len(kids))]
    for limit in (3, 50, 10_000):
        compiled: dict[int, float] = {}
        source: dict[int, float] = {}
        best_strengths(compiled, index, kids, strengths, limit)
        python.best_strengths(source, index, kids, strengths, limit)
        assert list(compiled.items()) == list(source.items())
        assert compiled or limit == 3


def test_the_index_pickles_without_its_addresses(lists_dir: Path) -> None:
    """A Dask worker gets the index as a pickle: the arrays' addresses are the sending
    process's own, so they are not sent; the copy asks for its own."""
    import pickle

    index = real_matcher(lists_dir).index
    sent = index.addresses("tok_ptr", "key_toks")
    copy = pickle.loads(pickle.dumps(index))
    assert "_addresses" not in copy.__dict__
    assert copy.addresses("tok_ptr", "key_toks") != sent
    assert copy.addresses("tok_ptr") == (copy.tok_ptr.ctypes.data,)
