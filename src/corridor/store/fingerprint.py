"""The source hash of a dataset: one sha256 over all of its files.

A snapshot records it so a re-import of the same files is recognised as unchanged, and so a
screening result can name exactly which files it was made from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

_CHUNK = 1 << 20


def _feed(digest: hashlib._Hash, path: Path) -> None:
    """Add a file's bytes to ``digest``, 1 MiB at a time."""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of one file."""
    digest = hashlib.sha256()
    _feed(digest, path)
    return digest.hexdigest()


def dataset_hash(paths: Sequence[Path]) -> str:
    """sha256 over the files in name order; each file's name and size are mixed in.

    Only the base name counts (not the directory), so the same files copied elsewhere hash
    the same; a single-file dataset hashes differently from the file alone, by design.
    """
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(str(path.stat().st_size).encode("ascii") + b"\0")
        _feed(digest, path)
    return digest.hexdigest()
