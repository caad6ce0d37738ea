"""Versioned snapshots of the official lists in SQLite (default) or PostgreSQL.

The names below are imported on first use: ``corridor match`` reads which snapshots are
active through ``corridor.store.quick`` and, when its index is in the cache, never needs
SQLAlchemy (a fifth of a second of every start).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corridor.store.diff import EntityChange, EntityVersion, ListDiff
    from corridor.store.fingerprint import dataset_hash
    from corridor.store.models import Snapshot
    from corridor.store.snapshots import Store, snapshot_from_row

_WHERE = {
    "EntityChange": "corridor.store.diff",
    "EntityVersion": "corridor.store.diff",
    "ListDiff": "corridor.store.diff",
    "Snapshot": "corridor.store.models",
    "Store": "corridor.store.snapshots",
    "dataset_hash": "corridor.store.fingerprint",
    "snapshot_from_row": "corridor.store.snapshots",
}

#: Written out (not ``list(_WHERE)``): linters read it to see the names above as exported.
__all__ = [
    "EntityChange",
    "EntityVersion",
    "ListDiff",
    "Snapshot",
    "Store",
    "dataset_hash",
    "snapshot_from_row",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
