"""The index cache: build once per set of list snapshots, load in milliseconds after.

The cache file sits beside the SQLite database (``<db>.index/<key>.pkl``; other
databases use ``$XDG_CACHE_HOME/corridor``). Its key hashes the chosen snapshots (id and
file hash), the as-of date, and the matching code and data, so a list update or a code
change can never serve a stale index. Files are written atomically; older ones in the
same folder beyond the four most recent are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.matching.index import NameIndex
from corridor.matching.records import ListedEntities

if TYPE_CHECKING:
    from corridor.store import Snapshot

PICKLE_PROTOCOL = 5
#: Index files kept per database (one per recent choice of datasets / as-of date).
KEEP_FILES = 4
#: The matching modules whose code shapes a built index (with every module and data file
#: of ``names/`` and ``matching/compare/``): changing one makes a new key.
INDEX_MODULES = ("index.py", "records.py", "matcher.py", "cache.py", "tuning.py")

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


def cache_key(snapshots: Sequence[Snapshot], datasets: Sequence[str] | None, as_of: AsOf) -> str:
    """Key of an index: the snapshots it is made of, the as-of date, and the code."""
    wanted = set(datasets) if datasets else None
    parts = [
        f"{s.dataset}:{s.id}:{s.file_hash}"
        for s in snapshots
        if wanted is None or s.dataset in wanted
    ]
    text = "|".join(sorted(parts)) + f"|as_of={as_of}|code={code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class IndexCache:
    """The index files of one database, by key (:func:`cache_key`)."""

    folder: Path

    @classmethod
    def beside(cls, url: str) -> IndexCache:
        """The cache of the database at ``url`` (:func:`cache_dir`)."""
        return cls(cache_dir(url))

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pkl"

    def load(self, key: str) -> tuple[ListedEntities, NameIndex] | None:
        """The listed entities and their index saved under ``key``; None when there is no
        such file or it cannot be read (written by another version): build it again."""
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                entities, index = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            return None
        if not (isinstance(entities, ListedEntities) and isinstance(index, NameIndex)):
            return None
        return entities, index

    def save(self, key: str, entities: ListedEntities, index: NameIndex) -> None:
        """Write atomically under ``key`` and keep the ``KEEP_FILES`` most recent files.

        A read-only location only costs a rebuild next time, so write errors are ignored.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((entities, index), fh, protocol=PICKLE_PROTOCOL)
            os.replace(tmp, self.path(key))
            # Keep a few (other dataset choices, as-of dates); drop the rest, oldest first.
            kept = sorted(self.folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[KEEP_FILES:]:
                old.unlink(missing_ok=True)
        except OSError:
            return
