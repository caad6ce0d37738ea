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

import numpy as np
from xxhash import xxh3_64_intdigest

from corridor.matching.probe import bucket_bits, bucket_starts, find_positions

Arrays = dict[str, np.ndarray]


def stable_hash(text: str) -> int:
    """A 64-bit hash of ``text`` that is the same in every process (``hash()`` is salted):
    XXH3 of its UTF-8 bytes, a non-cryptographic hash made for look-up tables (a query
    hashes some forty blocking keys per new name part; a cryptographic digest took eight
    times as long)."""
    return xxh3_64_intdigest(text.encode())


def hash_array(texts: Iterable[str]) -> np.ndarray:
    """:func:`stable_hash` of each text, as ``uint64``."""
    return np.frombuffer(array("Q", [xxh3_64_intdigest(t.encode()) for t in texts]), np.uint64)


def _sub(arrays: Arrays, prefix: str) -> Arrays:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}


def _prefixed(arrays: Arrays, prefix: str) -> Arrays:
    return {prefix + k: v for k, v in arrays.items()}


class StringColumn(Sequence[str]):
    """Strings as one UTF-8 blob and ``int64`` offsets: ``column[i]`` decodes one."""

    __slots__ = ("blob", "offsets")

    def __init__(self, offsets: np.ndarray, blob: np.ndarray) -> None:
        self.offsets = offsets
        self.blob = blob

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
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.blob[start:end].tobytes().decode()

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

    __slots__ = ("as_set", "ptr", "value_ids", "values")

    def __init__(
        self, ptr: np.ndarray, value_ids: np.ndarray, values: StringColumn, as_set: bool
    ) -> None:
        self.ptr = ptr
        self.value_ids = value_ids
        self.values = values
        self.as_set = as_set

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
        start, end = self.ptr[i], self.ptr[i + 1]
        values = self.values
        row = tuple(values[v] for v in self.value_ids[start:end].tolist())
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

    __slots__ = ("_address", "_bits", "_starts", "_view", "hashes", "ids")

    def __init__(self, hashes: np.ndarray, ids: np.ndarray | None) -> None:
        self.hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
        self.ids = ids
        # One look-up bisects a memoryview (Python ints, no array call per look-up).
        self._view = memoryview(self.hashes).cast("B").cast("Q")
        self._address = self.hashes.ctypes.data
        self._bits = bucket_bits(len(self.hashes))
        self._starts: np.ndarray | None = None  # made by the first look-up

    def _buckets(self) -> np.ndarray:
        """Where each bucket of leading bits starts (``matching.probe``)."""
        if self._starts is None:
            self._starts = bucket_starts(self.hashes, self._bits)
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
        starts = self._buckets()
        bucket = h >> (64 - self._bits)
        end = int(starts[bucket + 1])
        pos = bisect_left(view, h, int(starts[bucket]), end)
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
