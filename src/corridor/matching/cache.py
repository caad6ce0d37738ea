"""The index cache: build once per set of list snapshots, map it in milliseconds after.

The cache file sits beside the SQLite database (``<db>.index/<key>.idx``; other
databases use ``$XDG_CACHE_HOME/corridor``). Its key hashes the chosen snapshots (id and
file hash), the as-of date, and the matching code and data, so a list update or a code
change can never serve a stale index. Files are written atomically; older ones in the
same folder beyond the four most recent are removed.

A file is raw numpy arrays behind a small JSON header (``write_arrays``): the magic
bytes, the header's length, then the header (format version, key, and each array's
name, dtype, shape and offset), then the arrays, each aligned to 64 bytes. Loading maps
the file read-only (``np.memmap``): every process that loads the same key shares its
pages, and nothing in it is executed or unpickled — a file with another magic, version,
key, a dtype outside plain numbers, or arrays outside the file is ignored and rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mmap
import os
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from corridor.matching.columns import Arrays, sub_arrays
from corridor.matching.index import NameIndex
from corridor.matching.records import ListedEntities

if TYPE_CHECKING:
    from corridor.store import Snapshot
    from corridor.store.quick import ActiveSnapshot

#: Index files kept per database (one per recent choice of datasets / as-of date).
KEEP_FILES = 4
#: The matching modules whose code shapes a built index (with every module and data file
#: of ``names/`` and ``matching/compare/``): changing one makes a new key.
INDEX_MODULES = ("index.py", "records.py", "columns.py", "matcher.py", "cache.py", "tuning.py")
#: First bytes of an index file; the last one is the layout's version.
MAGIC = b"corridor-index\x00\x01"
FORMAT_VERSION = 1
SUFFIX = ".idx"
#: Arrays start at multiples of this many bytes (cache lines; any dtype is aligned).
ALIGN = 64
#: Longest header read (a header names a few dozen arrays: a few kilobytes).
MAX_HEADER = 1 << 20
#: The only dtypes an index file may hold: plain numbers, never Python objects.
DTYPES = frozenset(
    ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64")
    + ("float32", "float64")
)

#: An as-of date as the store takes it (``None``: the active snapshots).
AsOf = dt.date | dt.datetime | str | None


@cache
def code_fingerprint() -> str:
    """Hash of the modules and data files that shape the index."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    files = sorted((root / "names").rglob("*.py")) + sorted((root / "names" / "data").glob("*"))
    files += [root / "matching" / n for n in INDEX_MODULES]
    files += sorted((root / "matching" / "compare").glob("*.py"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir(url: str) -> Path:
    """Where index files for the database at ``url`` live."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :] + ".index")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corridor" / hashlib.sha256(url.encode()).hexdigest()[:12]


def cache_key(
    snapshots: Sequence[Snapshot] | Sequence[ActiveSnapshot],
    datasets: Sequence[str] | None,
    as_of: AsOf,
) -> str:
    """Key of an index: the snapshots it is made of, the as-of date, and the code."""
    wanted = set(datasets) if datasets else None
    parts = [
        f"{s.dataset}:{s.id}:{s.file_hash}"
        for s in snapshots
        if wanted is None or s.dataset in wanted
    ]
    text = "|".join(sorted(parts)) + f"|as_of={as_of}|code={code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


def write_arrays(fh: BinaryIO, key: str, arrays: Arrays, meta: dict) -> None:
    """Write ``arrays`` (and the small ``meta`` dictionary) in the index file layout."""
    specs = []
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.name not in DTYPES:
            raise TypeError(f"index array {name} has dtype {array.dtype}, not a plain number")
        specs.append(
            {"name": name, "dtype": array.dtype.name, "shape": list(array.shape), "offset": offset}
        )
        offset = _aligned(offset + array.nbytes)
    header = {"format": FORMAT_VERSION, "key": key, "meta": meta, "arrays": specs}
    raw = json.dumps(header, separators=(",", ":")).encode()
    start = _aligned(len(MAGIC) + 8 + len(raw))
    fh.write(MAGIC + struct.pack("<Q", len(raw)) + raw)
    fh.write(b"\0" * (start - len(MAGIC) - 8 - len(raw)))
    written = 0
    for spec, array in zip(specs, arrays.values(), strict=True):
        fh.write(b"\0" * (spec["offset"] - written))
        data = np.ascontiguousarray(array).tobytes()
        fh.write(data)
        written = spec["offset"] + len(data)


def read_arrays(path: Path, key: str) -> tuple[Arrays, dict] | None:
    """Map the arrays of an index file read-only; None for anything that is not an index
    file written for ``key`` in this layout (nothing in the file is ever executed)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(len(MAGIC) + 8)
            if len(magic) < len(MAGIC) + 8 or magic[: len(MAGIC)] != MAGIC:
                return None
            (length,) = struct.unpack("<Q", magic[len(MAGIC) :])
            if length > MAX_HEADER:
                return None
            header = json.loads(fh.read(length))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT_VERSION:
        return None
    if header.get("key") != key or not isinstance(header.get("arrays"), list):
        return None
    start = _aligned(len(MAGIC) + 8 + length)
    try:
        mapped = _map(path) if size > start else None
        arrays: Arrays = {}
        for spec in header["arrays"]:
            dtype = np.dtype(spec["dtype"]) if spec["dtype"] in DTYPES else None
            shape = tuple(int(n) for n in spec["shape"])
            offset = start + int(spec["offset"])
            if dtype is None or any(n < 0 for n in shape) or offset < start:
                return None
            nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            if offset + nbytes > size:
                return None
            if nbytes == 0:
                arrays[spec["name"]] = np.zeros(shape, dtype=dtype)
                continue
            count = nbytes // dtype.itemsize
            array = np.frombuffer(mapped, dtype=dtype, count=count, offset=offset)  # type: ignore[arg-type]
            arrays[spec["name"]] = array.reshape(shape)
    except (KeyError, TypeError, ValueError, OSError):
        return None
    meta = header.get("meta")
    return (arrays, meta) if isinstance(meta, dict) else None


def _map(path: Path) -> mmap.mmap:
    """The whole file mapped read-only (plain ndarrays are then views of its pages)."""
    with path.open("rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


@dataclass(frozen=True)
class IndexCache:
    """The index files of one database, by key (:func:`cache_key`)."""

    folder: Path

    @classmethod
    def beside(cls, url: str) -> IndexCache:
        """The cache of the database at ``url`` (:func:`cache_dir`)."""
        return cls(cache_dir(url))

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def load(self, key: str) -> tuple[ListedEntities, NameIndex] | None:
        """The listed entities and their index saved under ``key``, mapped read-only; None
        when there is no such file or it is not one (corrupt, foreign, another layout):
        build it again."""
        found = read_arrays(self.path(key), key)
        if found is None:
            return None
        arrays, meta = found
        try:
            entities = ListedEntities.from_arrays(sub_arrays(arrays, "entities."), meta["entities"])
            index = NameIndex.from_arrays(sub_arrays(arrays, "index."), meta["index"])
        except (KeyError, TypeError, ValueError):
            return None
        if len(index.name_ent) and int(index.name_ent.max()) >= len(entities):
            return None
        return entities, index

    def save(self, key: str, entities: ListedEntities, index: NameIndex) -> None:
        """Write atomically under ``key`` and keep the ``KEEP_FILES`` most recent files.

        A read-only location only costs a rebuild next time, so write errors are ignored.
        """
        arrays = {f"entities.{k}": v for k, v in entities.arrays().items()}
        arrays.update({f"index.{k}": v for k, v in index.arrays().items()})
        meta = {"entities": entities.meta(), "index": index.meta()}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    write_arrays(fh, key, arrays, meta)
                os.replace(tmp, self.path(key))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            # Keep a few (other dataset choices, as-of dates); drop the rest, oldest first.
            # Pickled indexes of earlier versions are never read again.
            for old in self.folder.glob("*.pkl"):
                old.unlink(missing_ok=True)
            kept = sorted(
                self.folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in kept[KEEP_FILES:]:
                old.unlink(missing_ok=True)
        except OSError:
            return
