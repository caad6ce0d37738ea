"""Versioned snapshots of the official lists in SQLite (default) or PostgreSQL."""

from corridor.store.diff import EntityChange, EntityVersion, ListDiff
from corridor.store.fingerprint import dataset_hash
from corridor.store.models import Snapshot
from corridor.store.snapshots import Store, snapshot_from_row

__all__ = [
    "EntityChange",
    "EntityVersion",
    "ListDiff",
    "Snapshot",
    "Store",
    "dataset_hash",
    "snapshot_from_row",
]
