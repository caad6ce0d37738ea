"""Compact columns of the index and the entity table: numpy arrays and nothing else.

Strings are stored as one UTF-8 blob with offsets, lists as offsets into a flat column,
repeated labels as small integer codes, and look-ups by string as sorted 64-bit hashes.
Every column turns into named arrays (``arrays``) and back (``from_arrays``), so the
index cache can write it as raw arrays and map it back read-only: several processes
share one copy in memory, and nothing is unpickled.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

import cython
import numpy as np

from corridor.matching.probe import bucket_bits, bucket_starts, find_positions

Arrays = dict[str, np.ndarray]


#: FNV-1a's offset basis and prime, MurmurHash3's finaliser multipliers, and 2**64 - 1 (a
#: no-op compiled, where the arithmetic is that of 64-bit unsigned integers).
_OFFSET = cython.declare(cython.ulonglong, 0xCBF29CE484222325)
_PRIME = cython.declare(cython.ulonglong, 0x100000001B3)
_MIX_1 = cython.declare(cython.ulonglong, 0xFF51AFD7ED558CCD)
_MIX_2 = cython.declare(cython.ulonglong, 0xC4CEB9FE1A85EC53)
_MASK = cython.declare(cython.ulonglong, 0xFFFFFFFFFFFFFFFF)


@cython.cfunc
@cython.inline
def _feed(h: cython.ulonglong, ch: cython.Py_UCS4) -> cython.ulonglong:
    """One code point into an FNV-1a state."""
    return ((h ^ ord(ch)) * _PRIME) & _MASK


@cython.cfunc
@cython.inline
def _finish(h: cython.ulonglong) -> cython.ulonglong:
    """MurmurHash3's finaliser: every input bit spread over the top bits that pick a
    look-up bucket."""
    h ^= h >> 33
    h = (h * _MIX_1) & _MASK
    h ^= h >> 33
    h = (h * _MIX_2) & _MASK
    return h ^ (h >> 33)


@cython.ccall
@cython.locals(h=cython.ulonglong, ch=cython.Py_UCS4)
def stable_hash(text: str) -> cython.ulonglong:
    """A 64-bit hash of ``text`` that is the same in every process (``hash()`` is salted):
    FNV-1a over its code points, then MurmurHash3's finaliser. Compiled, a loop over the
    string's own buffer: a query hashes some forty blocking keys per new name part, and a
    hash library's call per key (the key encoded first) took three times as long."""
    h = _OFFSET
    for ch in text:
        h = _feed(h, ch)
    return _finish(h)


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    h=cython.ulonglong,
    start=cython.ulonglong,
    ch=cython.Py_UCS4,
    n=cython.Py_ssize_t,
    i=cython.Py_ssize_t,
    j=cython.Py_ssize_t,
    k=cython.Py_ssize_t,
    count=cython.Py_ssize_t,
    out=cython.ulonglong[:],
)
def two_deletion_hashes(prefix: str, word: str) -> np.ndarray:
    """:func:`stable_hash` of ``prefix`` + ``word`` with two of its letters deleted, the
    ``i``-th and the ``j``-th (``i < j``), in the order of ``i`` then ``j``: the keys of a
    part's two-edit neighbourhood, hashed without making each spelling as a string."""
    n = len(word)
    found = np.empty(n * (n - 1) // 2, dtype=np.uint64)
    out = found
    start = _OFFSET
    for ch in prefix:
        start = _feed(start, ch)
    count = 0
    for i in range(n):
        for j in range(i + 1, n):
            h = start
            for k in range(n):
                if k != i and k != j:
                    h = _feed(h, word[k])
            out[count] = _finish(h)
            count += 1
    return found


def hash_array(texts: Iterable[str]) -> np.ndarray:
    """:func:`stable_hash` of each text, as ``uint64``."""
    return np.frombuffer(array("Q", [stable_hash(t) for t in texts]), np.uint64)


def _sub(arrays: Arrays, prefix: str) -> Arrays:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}


def _prefixed(arrays: Arrays, prefix: str) -> Arrays:
    return {prefix + k: v for k, v in arrays.items()}


class StringColumn(Sequence[str]):
    """Strings as one UTF-8 blob and ``int64`` offsets: ``column[i]`` decodes one."""

    __slots__ = ("_bounds", "_bytes", "blob", "offsets")

    def __init__(self, offsets: np.ndarray, blob: np.ndarray) -> None:
        self.offsets = offsets
        self.blob = blob
        # A string is read by slicing memoryviews (Python ints, no array call per read:
        # a listed name's parts are read this way the first time a query meets it).
        self._bounds = memoryview(np.ascontiguousarray(offsets, dtype=np.int64)).cast("B").cast("q")
        self._bytes = memoryview(np.ascontiguousarray(blob, dtype=np.uint8)).cast("B")

    def __reduce__(self) -> tuple[type[StringColumn], tuple[np.ndarray, np.ndarray]]:
        """Pickled as its two arrays (a memoryview cannot be)."""
        return (StringColumn, (self.offsets, self.blob))

    @classmethod
    def build(cls, values: Iterable[str]) -> StringColumn:
        values = values if isinstance(values, list) else list(values)
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        text = "".join(values)
        if text.isascii():  # a byte per character: no string encoded one by one
            np.cumsum(np.fromiter(map(len, values), np.int64, len(values)), out=offsets[1:])
            return cls(offsets, np.frombuffer(text.encode("ascii"), dtype=np.uint8))
        del text
        encoded = [v.encode() for v in values]
        if encoded:
            np.cumsum([len(b) for b in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(offsets, blob)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        bounds = self._bounds
        return self._bytes[bounds[i] : bounds[i + 1]].tobytes().decode()

    def __iter__(self) -> Iterator[str]:
        data = self.blob.tobytes()
        bounds = self.offsets.tolist()
        for start, end in zip(bounds, bounds[1:], strict=False):
            yield data[start:end].decode()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StringColumn | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def arrays(self) -> Arrays:
        return {"offsets": self.offsets, "blob": self.blob}

    @classmethod
    def from_arrays(cls, arrays: Arrays) -> StringColumn:
        return cls(arrays["offsets"], arrays["blob"])


class CodeColumn(Sequence[str]):
    """Few distinct labels (schemata, datasets, kinds) as ``int16`` codes plus the labels."""

    __slots__ = ("codes", "labels")

    def __init__(self, codes: np.ndarray, labels: list[str]) -> None:
        self.codes = codes
        self.labels = labels

    @classmethod
    def build(cls, values: Iterable[str]) -> CodeColumn:
        index: dict[str, int] = {}
        codes = [index.setdefault(v, len(index)) for v in values]
        return cls(np.asarray(codes, dtype=np.int16), list(index))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self.labels[c] for c in self.codes[i].tolist()]
        return self.labels[self.codes[i]]

    def take(self, rows: np.ndarray) -> list[str]:
        """The labels of many rows at once."""
        labels = self.labels
        return [labels[c] for c in self.codes[rows].tolist()]

    def arrays(self) -> Arrays:
        return {"codes": self.codes}

    def meta(self) -> list[str]:
        return self.labels

    @classmethod
    def from_arrays(cls, arrays: Arrays, labels: list[str]) -> CodeColumn:
        return cls(arrays["codes"], list(labels))


class ListColumn(Sequence[Any]):
    """A short list of strings per row (birth dates, countries, identifiers, topics): row
    offsets into a column of distinct values. Rows read back as tuples, or frozensets
    for columns built with ``as_set``."""

    __slots__ = ("_ids", "_ptr", "as_set", "ptr", "value_ids", "values")

    def __init__(
        self, ptr: np.ndarray, value_ids: np.ndarray, values: StringColumn, as_set: bool
    ) -> None:
        self.ptr = ptr
        self.value_ids = value_ids
        self.values = values
        self.as_set = as_set
        # A row is read by slicing memoryviews, as a string of ``StringColumn`` is.
        self._ptr = memoryview(np.ascontiguousarray(ptr, dtype=np.int64)).cast("B").cast("q")
        self._ids = memoryview(np.ascontiguousarray(value_ids, dtype=np.int32)).cast("B").cast("i")

    def __reduce__(self) -> tuple[type[ListColumn], tuple[Any, ...]]:
        """Pickled as its arrays (a memoryview cannot be)."""
        return (ListColumn, (self.ptr, self.value_ids, self.values, self.as_set))

    @classmethod
    def build(cls, rows: Iterable[Collection[str]], as_set: bool = False) -> ListColumn:
        rows = rows if isinstance(rows, list) else list(rows)
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, rows), np.int64, len(rows)), out=ptr[1:])
        # Every row's values in one pass (the rows' own order), numbered as first seen.
        index: dict[str, int] = {}
        number = index.setdefault
        ids = [number(v, len(index)) for v in chain.from_iterable(rows)]
        return cls(
            ptr,
            np.asarray(ids, dtype=np.int32),
            StringColumn.build(index),
            as_set,
        )

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        ptr = self._ptr
        values = self.values
        row = tuple([values[v] for v in self._ids[ptr[i] : ptr[i + 1]]])
        return frozenset(row) if self.as_set else row

    def arrays(self) -> Arrays:
        return {
            "ptr": self.ptr,
            "ids": self.value_ids,
            **_prefixed(self.values.arrays(), "values."),
        }

    @classmethod
    def from_arrays(cls, arrays: Arrays, as_set: bool) -> ListColumn:
        values = StringColumn.from_arrays(_sub(arrays, "values."))
        return cls(arrays["ptr"], arrays["ids"], values, as_set)


class HashLookup:
    """String -> id through sorted 64-bit hashes (a dict's job, as two arrays).

    Distinct keys colliding in 64 bits are vanishingly rare (about one chance in a
    million for ten million keys) and would only add a candidate to blocking; token
    look-ups also compare the string itself (:meth:`NameIndex.token_id`).
    """

    __slots__ = ("_address", "_bits", "_bounds", "_starts", "_view", "hashes", "ids")

    def __init__(self, hashes: np.ndarray, ids: np.ndarray | None) -> None:
        self.hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        self.ids = ids
        # One look-up bisects a memoryview (Python ints, no array call per look-up).
        self._view = memoryview(self.hashes).cast("B").cast("Q")
        self._address = self.hashes.ctypes.data
        self._bits = bucket_bits(len(self.hashes))
        self._starts: np.ndarray | None = None  # made by the first look-up
        self._bounds: memoryview | None = None  # the same, read an entry at a time

    def _buckets(self) -> np.ndarray:
        """Where each bucket of leading bits starts (``matching.probe``)."""
        if self._starts is None:
            self._starts = bucket_starts(self.hashes, self._bits)
            self._bounds = memoryview(self._starts).cast("B").cast("q")
        return self._starts

    def __reduce__(self) -> tuple[type[HashLookup], tuple[np.ndarray, np.ndarray | None]]:
        """Pickled as its two arrays (a memoryview cannot be): a Dask worker gets the index
        as one pickle and makes its own view."""
        return (HashLookup, (self.hashes, self.ids))

    @classmethod
    def of_ids(cls, hashes: np.ndarray) -> HashLookup:
        """A look-up of id ``i`` under ``hashes[i]``."""
        order = np.argsort(hashes, kind="stable")
        return cls(hashes[order], order.astype(np.int32))

    @classmethod
    def of_unique(cls, hashes: np.ndarray) -> tuple[HashLookup, np.ndarray]:
        """Distinct hashes numbered in sorted order, and each input's number."""
        unique, inverse = np.unique(hashes, return_inverse=True)
        return cls(unique, None), inverse.astype(np.int32)

    def __len__(self) -> int:
        return len(self.hashes)

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """The id of each hash, -1 where there is none."""
        pos = find_positions(self.hashes, self._address, self._buckets(), self._bits, hashes)
        if self.ids is None:
            return pos
        return np.where(pos >= 0, self.ids[pos], -1)

    def get(self, text: str) -> int | None:
        """The id of ``text``, None when it has none."""
        view = self._view
        h = stable_hash(text)
        if self._bounds is None:
            self._buckets()
        bounds = self._bounds
        bucket = h >> (64 - self._bits)
        end = bounds[bucket + 1]
        pos = bisect_left(view, h, bounds[bucket], end)
        if pos == end or view[pos] != h:
            return None
        return pos if self.ids is None else int(self.ids[pos])

    def arrays(self) -> Arrays:
        out = {"hashes": self.hashes}
        if self.ids is not None:
            out["ids"] = self.ids
        return out

    @classmethod
    def from_arrays(cls, arrays: Arrays) -> HashLookup:
        return cls(arrays["hashes"], arrays.get("ids"))


def sub_arrays(arrays: Arrays, prefix: str) -> Arrays:
    """The arrays stored under ``prefix`` (``"index.tok_str."``), without it."""
    return _sub(arrays, prefix)


def prefixed(arrays: Arrays, prefix: str) -> Arrays:
    """The same arrays under ``prefix``."""
    return _prefixed(arrays, prefix)
