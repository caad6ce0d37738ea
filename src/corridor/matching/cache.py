"""The index cache: build once per set of list snapshots, load in milliseconds after.

The cache file sits beside the SQLite database (``<db>.index/<key>.pkl``; other
databases use ``$XDG_CACHE_HOME/corridor``). Its key hashes the chosen snapshots (id and
file hash), the as-of date, and the matching code and data, so a list update or a code
change can never serve a stale index. Files are written atomically; older ones in the
same folder beyond the four most recent are removed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

PICKLE_PROTOCOL = 5
#: Index files kept per database (one per recent choice of datasets / as-of date).
KEEP_FILES = 4


@cache
def code_fingerprint() -> str:
    """Hash of the modules and data files that shape the index."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    files = sorted((root / "names").rglob("*.py")) + sorted((root / "names" / "data").glob("*"))
    files += [root / "matching" / n for n in ("index.py", "records.py", "matcher.py", "cache.py")]
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


def cache_key(snapshots: list[Any], datasets: list[str] | None, as_of: Any) -> str:
    """Key of an index: the snapshots it is made of, the as-of date, and the code."""
    wanted = set(datasets) if datasets else None
    parts = [
        f"{s.dataset}:{s.id}:{s.file_hash}"
        for s in snapshots
        if wanted is None or s.dataset in wanted
    ]
    text = "|".join(sorted(parts)) + f"|as_of={as_of}|code={code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def load_or_build(
    matcher_cls: Any,
    store: Any,
    datasets: list[str] | None = None,
    as_of: Any = None,
    use_cache: bool = True,
    **kwargs: Any,
) -> Any:
    """A matcher over the store's active (or as-of) snapshots, from cache when possible."""
    snapshots = store.active_snapshots(as_of)
    key = cache_key(snapshots, datasets, as_of)
    folder = cache_dir(str(store.url))
    path = folder / f"{key}.pkl"
    if use_cache and path.is_file():
        try:
            with path.open("rb") as fh:
                entities, index = pickle.load(fh)
            return matcher_cls(entities, index, **kwargs)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # unreadable or from another version: rebuild below
    matcher = matcher_cls.from_entities(
        store.iter_entities(datasets=datasets, as_of=as_of), **kwargs
    )
    if use_cache:
        _write(folder, path, (matcher.entities, matcher.index))
    return matcher


def _write(folder: Path, path: Path, payload: Any) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(payload, fh, protocol=PICKLE_PROTOCOL)
        os.replace(tmp, path)
        # Keep a few (other dataset choices, as-of dates); drop the rest, oldest first.
        kept = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP_FILES:]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only location only costs a rebuild next time
