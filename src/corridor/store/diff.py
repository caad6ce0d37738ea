"""What changed between two snapshots of a list: added, removed and changed entities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson

from corridor.store.models import Snapshot


@dataclass(frozen=True)
class EntityChange:
    """One entity in a diff; ``changes`` maps a property to its (old, new) values."""

    id: str
    schema: str
    caption: str
    changes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    #: The entry's sanctions programs (FtM ``program``), to say what a change is about.
    programs: tuple[str, ...] = ()


@dataclass
class ListDiff:
    """The difference from snapshot ``old`` (None: nothing before) to snapshot ``new``."""

    dataset: str
    old: Snapshot | None
    new: Snapshot | None
    added: list[EntityChange] = field(default_factory=list)
    removed: list[EntityChange] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def added_by_program(self) -> list[tuple[str, int]]:
        """How many added entries each program has, most first (an entry may have several)."""
        counts: dict[str, int] = {}
        for entry in self.added:
            for program in entry.programs or ("(no program)",):
                counts[program] = counts.get(program, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class EntityVersion:
    """One list entry as one snapshot held it. ``event``: ``added`` (first held here, or
    back after a removal), ``changed``, ``unchanged``, ``removed`` (held by the snapshot
    before, not this one) or ``absent``; ``data`` is its FtM JSON, None when not held."""

    snapshot: Snapshot
    event: str
    data: dict | None
    changes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _caption(data: dict) -> str:
    names = (data.get("properties") or {}).get("name") or []
    return names[0] if names else str(data.get("id", ""))


def _summary(data: dict) -> EntityChange:
    programs = tuple((data.get("properties") or {}).get("program") or ())
    return EntityChange(
        id=data["id"], schema=data["schema"], caption=_caption(data), programs=programs
    )


def property_changes(old: dict, new: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Per property, the old and new values where they differ (order-insensitive).

    Also reports a schema change as the pseudo-property ``schema``, because a record that
    turns from Organization into Company is a change an analyst wants to see.
    """
    changes: dict[str, tuple[list[str], list[str]]] = {}
    if old.get("schema") != new.get("schema"):
        changes["schema"] = ([str(old.get("schema"))], [str(new.get("schema"))])
    old_props = old.get("properties") or {}
    new_props = new.get("properties") or {}
    for prop in sorted(set(old_props) | set(new_props)):
        before = old_props.get(prop) or []
        after = new_props.get(prop) or []
        if sorted(before) != sorted(after):
            changes[prop] = (list(before), list(after))
    return changes


def diff_rows(
    dataset: str,
    old: Snapshot | None,
    new: Snapshot | None,
    old_rows: Mapping[str, str],
    new_rows: Mapping[str, str],
) -> ListDiff:
    """Compare two ``{entity id: FtM JSON text}`` maps; equal text is skipped undecoded."""
    result = ListDiff(dataset=dataset, old=old, new=new)
    for entity_id in sorted(new_rows.keys() - old_rows.keys()):
        result.added.append(_summary(orjson.loads(new_rows[entity_id])))
    for entity_id in sorted(old_rows.keys() - new_rows.keys()):
        result.removed.append(_summary(orjson.loads(old_rows[entity_id])))
    for entity_id in sorted(old_rows.keys() & new_rows.keys()):
        before_text, after_text = old_rows[entity_id], new_rows[entity_id]
        if before_text == after_text:
            continue
        before, after = orjson.loads(before_text), orjson.loads(after_text)
        changes = property_changes(before, after)
        if changes:
            summary = _summary(after)
            result.changed.append(
                EntityChange(summary.id, summary.schema, summary.caption, changes, summary.programs)
            )
    return result
