"""How ``corridor lists`` shows results: one-line messages, tables and the docs table.

Functions here turn core values (snapshots, diffs, update results, entities) into text or
rich tables and print nothing themselves, except :func:`say` and :func:`print_diff`, which
take the console to print on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from corridor.model import Entity
from corridor.sources.base import DatasetSpec
from corridor.sources.update import DatasetUpdate, UpdateStatus
from corridor.store import ListDiff, Snapshot

if TYPE_CHECKING:  # httpx stays out of start-up
    from corridor.sources.download import FetchResult

#: Properties that identify an entry at a glance, in the order shown by ``sample``.
GLANCE = ("alias", "birthDate", "nationality", "country", "program", "imoNumber")


def say(console: Console, message: str) -> None:
    """A result line, never wrapped: one result, one line, for people and log scrapers."""
    console.print(message, soft_wrap=True)


def error_line(message: str, dataset: str | None = None) -> str:
    """An error as exactly one line (log scrapers and people both want that)."""
    text = " ".join(message.split())
    return f"error: {dataset}: {text}" if dataset else f"error: {text}"


def schema_counts(counts: Mapping[str, int]) -> str:
    """``12,345 Person, 678 Organization``: entities per schema as the store counted them."""
    return ", ".join(f"{n:,} {schema}" for schema, n in counts.items()) or "0"


def imported_at(snap: Snapshot) -> str:
    return snap.imported_at.strftime("%Y-%m-%d %H:%M UTC")


# -- update ------------------------------------------------------------------------------


def fetched_line(result: FetchResult) -> str:
    return f"{result.name}: {result.status} ({result.size:,} bytes)"


def update_line(update: DatasetUpdate) -> str:
    """The line ``update`` and ``load-ftm`` print for a dataset imported or left unchanged."""
    snap = update.snapshot
    assert snap is not None and update.file_hash is not None, update
    release = f" [{update.release}]" if update.release else ""
    if update.status is UpdateStatus.UNCHANGED:
        return (
            f"{update.dataset}: unchanged (snapshot {snap.id}, hash {update.file_hash[:12]})"
            + release
        )
    line = (
        f"{update.dataset}: imported {snap.entity_count:,} entities "
        f"({schema_counts(update.counts)}), list date {snap.list_date or 'none'}, "
        f"snapshot {snap.id}, {update.seconds:.1f}s{release}"
    )
    if not snap.active:
        line += "; kept as history, an earlier-dated release than the active snapshot"
    if snap.gaps:
        line += "; lacks: " + "; ".join(snap.gaps)
    return line


def delta_line(update: DatasetUpdate, file: Path) -> str:
    """The line ``load-delta`` prints for a delta applied, or applied before."""
    snap = update.snapshot
    assert snap is not None, update
    if update.status is UpdateStatus.UNCHANGED:
        return f"{update.dataset}: unchanged ({file} already applied)"
    return f"{update.dataset}: snapshot {snap.id} now has {snap.entity_count:,} entities"


# -- datasets ----------------------------------------------------------------------------


def datasets_table(specs: Mapping[str, DatasetSpec]) -> Table:
    table = Table(title="Known datasets")
    for column in ("dataset", "title", "local file", "official URL"):
        table.add_column(column, overflow="fold")
    for name, spec in specs.items():
        for i, (local, url) in enumerate(spec.files.items()):
            table.add_row(name if i == 0 else "", spec.title if i == 0 else "", local, url)
    return table


def datasets_markdown(specs: Mapping[str, DatasetSpec]) -> str:
    """The datasets table of docs/lists.md, generated so the docs cannot drift."""
    lines = [
        "| dataset | publisher | local file(s) | official URL(s) |",
        "|---|---|---|---|",
    ]
    for name, spec in specs.items():
        files = "<br>".join(
            f"`{local}`" + ("" if local in spec.required else " (optional)") for local in spec.files
        )
        urls = "<br>".join(spec.files.values())
        lines.append(f"| `{name}` — {spec.title} | {spec.publisher} | {files} | {urls} |")
    return "\n".join(lines)


# -- snapshots ---------------------------------------------------------------------------


def status_json(snaps: Iterable[Snapshot], counts: Mapping[int, dict[str, int]]) -> str:
    """The active snapshots for scripts; ``counts`` holds entities per schema by snapshot id."""
    rows = [
        {
            "dataset": s.dataset,
            "snapshot": s.id,
            "kind": s.kind,
            "list_date": s.list_date,
            "version": s.version,
            "entity_count": s.entity_count,
            "schemata": counts[s.id],
            "imported_at": s.imported_at.isoformat(),
            "file_hash": s.file_hash,
            "source": s.source,
            "gaps": list(s.gaps),
        }
        for s in snaps
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def status_table(
    snaps: Iterable[Snapshot], counts: Mapping[int, dict[str, int]], as_of: str | None
) -> Table:
    table = Table(title=f"Lists in force on {as_of}" if as_of else "Active lists")
    table.add_column("dataset", no_wrap=True)
    table.add_column("list date", no_wrap=True)
    table.add_column("entities", ratio=1)
    table.add_column("imported at (UTC)", no_wrap=True)
    table.add_column("hash", no_wrap=True)
    table.add_column("snapshot", no_wrap=True)
    for snap in snaps:
        lacks = "".join(f"\n[yellow]lacks: {gap}[/]" for gap in snap.gaps)
        table.add_row(
            snap.dataset,
            snap.list_date or "-",
            schema_counts(counts[snap.id]) + lacks,
            snap.imported_at.strftime("%Y-%m-%d %H:%M"),
            snap.file_hash[:8],
            str(snap.id) if snap.kind == "full" else f"{snap.id} ({snap.kind})",
        )
    return table


def history_table(name: str, snaps: Iterable[Snapshot]) -> Table:
    table = Table(title=f"Snapshots of {name}")
    for column in ("snapshot", "active", "list date", "entities", "imported at", "hash", "lacks"):
        table.add_column(column)
    for snap in snaps:
        table.add_row(
            str(snap.id),
            "yes" if snap.active else "",
            snap.list_date or "-",
            f"{snap.entity_count:,}",
            imported_at(snap),
            snap.file_hash[:12],
            "\n".join(snap.gaps),
        )
    return table


def print_diff(console: Console, result: ListDiff, limit: int) -> None:
    """A summary line, then tables of added, removed and changed entities (``limit`` each)."""
    new = result.new
    assert new is not None
    old = f"snapshot {result.old.id} ({result.old.list_date or '-'})" if result.old else "nothing"
    say(
        console,
        f"{result.dataset}: {old} → snapshot {new.id} ({new.list_date or '-'}): "
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed",
    )
    if result.added:
        top = result.added_by_program()
        shown = ", ".join(f"{program} {n:,}" for program, n in top[:8])
        more = f", {len(top) - 8} more programs" if len(top) > 8 else ""
        say(console, f"added by program: {shown}{more}")
    for gap in new.gaps:
        say(console, f"note: snapshot {new.id} lacks: {gap}")
    for label, rows in (("Added", result.added), ("Removed", result.removed)):
        if not rows:
            continue
        table = Table(title=label)
        for column in ("id", "schema", "name", "programs"):
            table.add_column(column)
        for row in rows[:limit]:
            table.add_row(row.id, row.schema, row.caption, "; ".join(row.programs))
        console.print(table)
        if len(rows) > limit:
            say(console, f"… and {len(rows) - limit} more")
    if result.changed:
        table = Table(title="Changed")
        for column in ("id", "name", "property", "before", "after"):
            table.add_column(column)
        for row in result.changed[:limit]:
            for prop, (before, after) in row.changes.items():
                table.add_row(row.id, row.caption, prop, "; ".join(before), "; ".join(after))
        console.print(table)
        if len(result.changed) > limit:
            say(console, f"… and {len(result.changed) - limit} more")


# -- entities ----------------------------------------------------------------------------


def sample_table(entities: Iterable[Entity]) -> Table:
    table = Table(title="Sample of the active lists")
    table.add_column("source id", no_wrap=True)
    table.add_column("schema", no_wrap=True)
    table.add_column("name", ratio=2)
    table.add_column("details", ratio=3)
    for entity in entities:
        table.add_row(entity.source_id, entity.schema, entity.caption, entity_details(entity))
    return table


def entity_details(entity: Entity) -> str:
    """The :data:`GLANCE` properties, two values each at most, one property per line."""
    parts = []
    for prop in GLANCE:
        values = entity.get(prop)
        if values:
            more = f" (+{len(values) - 2})" if len(values) > 2 else ""
            parts.append(f"{prop}: {'; '.join(values[:2])}{more}")
    return "\n".join(parts)


def entity_table(entity: Entity) -> Table:
    table = Table(title=f"{entity.caption} — {entity.schema} {entity.id} ({entity.source_id})")
    table.add_column("property")
    table.add_column("values")
    for prop, values in entity.properties.items():
        table.add_row(prop, "; ".join(values))
    return table
