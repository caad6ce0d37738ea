"""``corridor lists …``: load, inspect, diff and export the official lists.

Every command is a thin shell over :class:`corridor.store.Store`, the parsers in
:mod:`corridor.sources.registry` and :mod:`corridor.sources.download`. Errors are printed as
one line naming the file and place, with a non-zero exit status.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from corridor.errors import CorridorError
from corridor.model import Entity, ParsedList
from corridor.settings import cache_dir as default_cache_dir
from corridor.sources.base import DatasetSpec
from corridor.store import ListDiff, Snapshot, Store, dataset_hash
from corridor.store.fingerprint import sha256_file
from corridor.store.list_dates import parse_list_date

app = typer.Typer(help="Load and inspect the official sanctions lists.", no_args_is_help=True)

console = Console()

DatasetNames = Annotated[
    list[str] | None, typer.Argument(metavar="NAME", help="Datasets (default: all).")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="CORRIDOR_DB",
        metavar="PATH|URL",
        help="Database: a file path (SQLite) or an SQLAlchemy URL. Default: per-user file.",
        show_envvar=True,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Use the snapshots in force on this date (YYYY-MM-DD)."
    ),
]


class ExportFormat(StrEnum):
    ftm = "ftm"


@app.callback()
def lists_main(ctx: typer.Context, db: DbOption = None) -> None:
    """Load and inspect the official sanctions lists."""
    global console
    # A fresh console per invocation picks up the terminal (or COLUMNS) as it is now; piped
    # output (make demo, logs) gets 120 columns rather than rich's 80 so tables stay legible.
    piped = not sys.stdout.isatty() and not os.environ.get("COLUMNS")
    console = Console(width=120 if piped else None)
    ctx.obj = {"db": db}


def _store(ctx: typer.Context, db: str | None) -> Store:
    chosen = db or (ctx.obj or {}).get("db")
    return Store(chosen)


def _say(message: str) -> None:
    """A result line, never wrapped: one result, one line, for people and log scrapers."""
    console.print(message, soft_wrap=True)


def _error(exc: Exception, dataset: str | None = None) -> None:
    """Print an error as exactly one line on stderr (log scrapers and people both want that)."""
    text = " ".join(str(exc).split())
    typer.echo(f"error: {dataset}: {text}" if dataset else f"error: {text}", err=True)


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn corridor's errors into one line on stderr and exit status 1."""
    try:
        yield
    except CorridorError as exc:
        _error(exc)
        raise typer.Exit(1) from None


@contextmanager
def _entity_bar(
    description: str, total: int | None = None, *, err: bool = False
) -> Iterator[Callable[[int], None]]:
    """A transient spinner with an entity count (of ``total`` when known) and elapsed time.

    Yields the callback that sets the count. Shown only on a terminal; ``err`` puts it on
    stderr, for commands whose stdout is data.
    """
    out = Console(stderr=True) if err else console
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn() if total else TextColumn("{task.completed:,} entities"),
        TimeElapsedColumn(),
        console=out,
        transient=True,
        disable=not out.is_terminal,
    ) as bars:
        task = bars.add_task(description, total=total)
        yield lambda n: bars.update(task, completed=n)


def _schema_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {schema}" for schema, n in counts.items()) or "0"


def _when(snap: Snapshot) -> str:
    return snap.imported_at.strftime("%Y-%m-%d %H:%M UTC")


# -- update ------------------------------------------------------------------------------


@app.command()
def update(
    ctx: typer.Context,
    from_dir: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="DIR",
            help="Import the list files found in this directory instead of downloading.",
            file_okay=False,
        ),
    ] = None,
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", "-d", metavar="NAME", help="Only this dataset (repeatable)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Import even if the files are unchanged, or hold no entities or under half "
            "of the active snapshot's (refused by default as signs of a damaged file).",
        ),
    ] = False,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            metavar="DIR",
            help="Download directory (default: CORRIDOR_CACHE).",
            file_okay=False,
        ),
    ] = None,
    list_date: Annotated[
        str | None,
        typer.Option(
            "--list-date",
            metavar="DATE",
            help="Publication date (YYYY-MM-DD) for lists whose files carry none, e.g. OFAC CSV.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Download (or take from --from DIR) the official lists and import each as a snapshot.

    Each dataset is imported in its own transaction: a broken file leaves that dataset's
    previous snapshot active, the others are still updated, and the exit status is 1.

    Examples:
      corridor lists update
      corridor lists update --from ../shared/data/lists
      corridor lists update --from ./lists --dataset us_ofac_sdn --force
      corridor lists update --from ./ofac-2021-07 --dataset us_ofac_sdn --list-date 2021-07-07

    Downloaded files without a date of their own take the server's Last-Modified date.
    """
    from corridor.sources import registry

    with _clean_errors():
        store = _store(ctx, db)
        wanted = list(dataset or [])
        if list_date is not None and parse_list_date(list_date) is None:
            raise CorridorError(f"--list-date {list_date!r} is not a date; use YYYY-MM-DD")
        dates: dict[str, str | None] = {}
        unknown = [name for name in wanted if name not in registry.DATASETS]
        if unknown:
            known = ", ".join(sorted(registry.DATASETS))
            raise CorridorError(f"unknown dataset {', '.join(unknown)}; known: {known}")
        if from_dir is not None:
            if not from_dir.is_dir():
                raise CorridorError(f"{from_dir}: not a directory")
            found = registry.detect(from_dir)
            missing = [name for name in wanted if name not in found]
            if missing:
                raise CorridorError(
                    f"{from_dir}: no files for {', '.join(missing)}; expected "
                    + "; ".join(", ".join(registry.DATASETS[m].files) for m in missing)
                )
            sources = {n: list(p) for n, p in found.items() if not wanted or n in wanted}
            origin = {name: str(from_dir.resolve()) for name in sources}
            if not sources:
                raise CorridorError(f"{from_dir}: no known list files found")
            failures = 0
        else:
            sources, origin, dates, failures = _download(wanted, cache or default_cache_dir())
    for name, paths in sources.items():
        try:
            _import_one(store, name, paths, origin[name], force, list_date or dates.get(name))
        except CorridorError as exc:
            failures += 1
            _error(exc, name)
    if failures:
        raise typer.Exit(1)


def _download(
    wanted: list[str], cache: Path
) -> tuple[dict[str, list[Path]], dict[str, str], dict[str, str | None], int]:
    """Fetch each dataset's files: paths, origin and Last-Modified date per dataset; failures."""
    from corridor.sources import registry
    from corridor.sources.download import download_dataset, published_date

    names = wanted or [n for n, spec in registry.DATASETS.items() if spec.files]
    sources: dict[str, list[Path]] = {}
    origin: dict[str, str] = {}
    dates: dict[str, str | None] = {}
    failures = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bars:
        tasks: dict[str, int] = {}

        def show(file: str, done: int, total: int | None) -> None:
            if file not in tasks:
                tasks[file] = bars.add_task(f"download {file}", total=total)
            bars.update(tasks[file], completed=done, total=total)

        for name in names:
            spec = registry.DATASETS[name]
            # Shown while connecting and retrying, before any byte arrives.
            waiting = bars.add_task(f"download {name}", total=None)
            try:
                results = download_dataset(spec, cache, progress=show)
            except CorridorError as exc:
                # One publisher being down must not hold back the other lists.
                _error(exc, name)
                failures += 1
                continue
            finally:
                bars.remove_task(waiting)
            for result in results:
                _say(f"{result.name}: {result.status} ({result.size:,} bytes)")
            sources[name] = [r.path for r in results]
            origin[name] = " ".join(r.url for r in results)
            dates[name] = published_date(results)
    return sources, origin, dates, failures


def _import_one(
    store: Store, name: str, paths: list[Path], origin: str, force: bool, date: str | None
) -> None:
    from corridor.sources import registry

    def parse() -> ParsedList:
        parsed = registry.parse_dataset(name, paths)
        # A date in the file itself always wins over the one given or the server's.
        if parsed.list_date is None and date:
            parsed.list_date = date
        return parsed

    _import_parsed(store, name, paths, origin, force, parse)


def _import_parsed(
    store: Store,
    name: str,
    paths: list[Path],
    origin: str,
    force: bool,
    parse: Callable[[], ParsedList],
) -> None:
    """Hash, skip if unchanged, else parse and import with a progress bar; print the result."""
    file_hash = dataset_hash(paths)
    if not force:
        current = store.unchanged_snapshot(name, file_hash)
        if current is not None:
            _say(f"{name}: unchanged (snapshot {current.id}, hash {file_hash[:12]})")
            return
    started = time.perf_counter()
    # The previous snapshot's size is the best guess of the total while the file streams.
    expected = _previous_count(store, name)
    with _entity_bar(f"import {name}", expected) as tick:
        parsed = parse()
        snap = store.import_list(
            parsed, file_hash=file_hash, source=origin, progress=tick, force=force
        )
    seconds = time.perf_counter() - started
    counts = _schema_counts(store.count_entities(name, snap.id))
    _say(
        f"{name}: imported {snap.entity_count:,} entities ({counts}), "
        f"list date {snap.list_date or 'none'}, snapshot {snap.id}, {seconds:.1f}s"
    )


def _previous_count(store: Store, name: str) -> int | None:
    current = store.active_snapshot(name)
    return current.entity_count if current else None


@app.command("load-delta")
def load_delta(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Dataset to apply the changes to.")],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="OpenSanctions delta file (JSON lines with op and entity)."
        ),
    ],
    list_date: Annotated[
        str | None,
        typer.Option("--list-date", metavar="DATE", help="Publication date of the delta."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Apply even if seen before.")] = False,
    db: DbOption = None,
) -> None:
    """Apply an OpenSanctions delta file (ADD / MOD / DEL) as a new snapshot of NAME.

    Example: corridor lists load-delta eu_fsf ./eu_fsf.delta.json
    """
    from corridor.sources.ftm import parse_ftm_delta

    with _clean_errors():
        if not file.is_file():
            raise CorridorError(f"{file}: no such file")
        store = _store(ctx, db)
        file_hash = sha256_file(file)
        if not force and store.unchanged_snapshot(name, file_hash):
            _say(f"{name}: unchanged ({file} already applied)")
            return
        with _entity_bar(f"apply {file.name} to {name}"):
            snap = store.apply_delta(
                name,
                parse_ftm_delta(file, name),
                file_hash=file_hash,
                source=str(file.resolve()),
                list_date=list_date,
                force=force,
            )
        _say(f"{name}: snapshot {snap.id} now has {snap.entity_count:,} entities")


@app.command("load-ftm")
def load_ftm(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Dataset name to load the entities as.")
    ],
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="FtM JSON-lines export file(s).")
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="Import even if unchanged, empty or under half as large."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import a FollowTheMoney JSON-lines export (OpenSanctions, yente, Aleph) as dataset NAME.

    Example: corridor lists load-ftm eu_fsf ./eu_fsf.ftm.json
    """
    from corridor.sources.ftm import parse_ftm

    with _clean_errors():
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CorridorError(f"{', '.join(missing)}: no such file")
        store = _store(ctx, db)
        source = " ".join(str(f.resolve()) for f in files)
        _import_parsed(store, name, files, source, force, lambda: parse_ftm(files, name))


@app.command()
def datasets(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print a Markdown table (as in docs/lists.md).")
    ] = False,
) -> None:
    """List the datasets corridor knows: local file names and official URLs.

    Example: corridor lists datasets --markdown
    """
    from corridor.sources import registry

    if markdown:
        typer.echo(datasets_markdown(registry.DATASETS))
        return
    table = Table(title="Known datasets")
    for column in ("dataset", "title", "local file", "official URL"):
        table.add_column(column, overflow="fold")
    for name, spec in registry.DATASETS.items():
        for i, (local, url) in enumerate(spec.files.items()):
            table.add_row(name if i == 0 else "", spec.title if i == 0 else "", local, url)
    console.print(table)


def datasets_markdown(specs: dict[str, DatasetSpec]) -> str:
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


# -- inspect -----------------------------------------------------------------------------


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    db: DbOption = None,
) -> None:
    """Show the active snapshot of every dataset (or those in force on --as-of).

    Examples:
      corridor lists status --as-of 2024-08-16
      corridor lists status --json
    """
    with _clean_errors():
        store = _store(ctx, db)
        snaps = store.active_snapshots(as_of)
        if as_json:
            rows = [
                {
                    "dataset": s.dataset,
                    "snapshot": s.id,
                    "kind": s.kind,
                    "list_date": s.list_date,
                    "version": s.version,
                    "entity_count": s.entity_count,
                    "schemata": store.count_entities(s.dataset, s.id),
                    "imported_at": s.imported_at.isoformat(),
                    "file_hash": s.file_hash,
                    "source": s.source,
                }
                for s in snaps
            ]
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not snaps:
            console.print("No lists loaded. Run `corridor lists update` (or --from DIR).")
            return
        title = f"Lists in force on {as_of}" if as_of else "Active lists"
        table = Table(title=title)
        table.add_column("dataset", no_wrap=True)
        table.add_column("list date", no_wrap=True)
        table.add_column("entities", ratio=1)
        table.add_column("imported at (UTC)", no_wrap=True)
        table.add_column("hash", no_wrap=True)
        table.add_column("snapshot", no_wrap=True)
        for snap in snaps:
            table.add_row(
                snap.dataset,
                snap.list_date or "-",
                _schema_counts(store.count_entities(snap.dataset, snap.id)),
                snap.imported_at.strftime("%Y-%m-%d %H:%M"),
                snap.file_hash[:8],
                str(snap.id) if snap.kind == "full" else f"{snap.id} ({snap.kind})",
            )
        console.print(table)


@app.command()
def history(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Dataset name, e.g. us_ofac_sdn.")],
    db: DbOption = None,
) -> None:
    """List every snapshot of NAME, newest first (the active one is marked)."""
    with _clean_errors():
        snaps = _store(ctx, db).snapshots(name)
        if not snaps:
            raise CorridorError(f"{name} has never been loaded")
        table = Table(title=f"Snapshots of {name}")
        for column in ("snapshot", "active", "list date", "entities", "imported at", "hash"):
            table.add_column(column)
        for snap in snaps:
            table.add_row(
                str(snap.id),
                "yes" if snap.active else "",
                snap.list_date or "-",
                f"{snap.entity_count:,}",
                _when(snap),
                snap.file_hash[:12],
            )
        console.print(table)


@app.command()
def prune(
    ctx: typer.Context,
    names: DatasetNames = None,
    keep: Annotated[
        int, typer.Option("--keep", metavar="N", help="Snapshots to keep per dataset.")
    ] = 10,
    db: DbOption = None,
) -> None:
    """Delete old snapshots, keeping the newest --keep of each dataset (and the active one).

    As-of reads and diffs cannot reach a pruned snapshot any more.
    Example: corridor lists prune us_ofac_sdn --keep 30
    """
    with _clean_errors():
        store = _store(ctx, db)
        datasets = names or sorted({s.dataset for s in store.snapshots()})
        for name in datasets:
            deleted = store.prune(name, keep)
            _say(f"{name}: deleted {len(deleted)} snapshot(s)")


@app.command()
def diff(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Dataset name, e.g. us_ofac_sdn.")],
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help="Rows shown per section.")
    ] = 50,
    old: Annotated[
        int | None,
        typer.Option("--old", metavar="ID", help="Snapshot id to compare from (see history)."),
    ] = None,
    new: Annotated[
        int | None,
        typer.Option("--new", metavar="ID", help="Snapshot id to compare to (default: latest)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Show entities added, removed and changed between the last two snapshots of NAME.

    Examples:
      corridor lists diff un_sc_sanctions
      corridor lists diff us_ofac_sdn --old 3 --new 9
    """
    with _clean_errors():
        with _entity_bar(f"diff {name}"):
            result = _store(ctx, db).diff(name, old=old, new=new)
        if result.new is None:
            raise CorridorError(f"{name} has never been loaded")
        _print_diff(result, limit)


def _print_diff(result: ListDiff, limit: int) -> None:
    new = result.new
    assert new is not None
    old = f"snapshot {result.old.id} ({result.old.list_date or '-'})" if result.old else "nothing"
    _say(
        f"{result.dataset}: {old} → snapshot {new.id} ({new.list_date or '-'}): "
        f"{len(result.added)} added, {len(result.removed)} removed, "
        f"{len(result.changed)} changed"
    )
    for label, rows in (("Added", result.added), ("Removed", result.removed)):
        if not rows:
            continue
        table = Table(title=label)
        for column in ("id", "schema", "name"):
            table.add_column(column)
        for row in rows[:limit]:
            table.add_row(row.id, row.schema, row.caption)
        console.print(table)
        if len(rows) > limit:
            _say(f"… and {len(rows) - limit} more")
    if result.changed:
        table = Table(title="Changed")
        for column in ("id", "name", "property", "before", "after"):
            table.add_column(column)
        for row in result.changed[:limit]:
            for prop, (before, after) in row.changes.items():
                table.add_row(row.id, row.caption, prop, "; ".join(before), "; ".join(after))
        console.print(table)
        if len(result.changed) > limit:
            _say(f"… and {len(result.changed) - limit} more")


@app.command()
def export(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Dataset name, e.g. un_sc_sanctions.")
    ],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.ftm
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="File to write (default: stdout)."),
    ] = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Export the active snapshot of NAME as FollowTheMoney JSON lines.

    Example: corridor lists export us_ofac_sdn --format ftm --output sdn.ftm.json
    """
    with _clean_errors():
        store = _store(ctx, db)
        snaps = [s for s in store.active_snapshots(as_of) if s.dataset == name]
        total = snaps[0].entity_count if snaps else None
        with _entity_bar(f"export {name}", total, err=True) as tick:
            if output is None:
                count = store.export_ftm(name, sys.stdout, as_of=as_of, progress=tick)
            else:
                # Written beside the target and renamed, so a failed export leaves no half file.
                partial = output.with_name(f".{output.name}.part")
                try:
                    with open(partial, "w", encoding="utf-8") as handle:
                        count = store.export_ftm(name, handle, as_of=as_of, progress=tick)
                    os.replace(partial, output)
                finally:
                    partial.unlink(missing_ok=True)
        typer.echo(f"exported {count:,} {name} entities ({fmt.value})", err=True)


@app.command()
def show(
    ctx: typer.Context,
    entity_id: Annotated[
        str, typer.Argument(metavar="ID", help="Entity id, e.g. us-ofac-sdn-306.")
    ],
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Show one entity of the active lists with all its properties."""
    with _clean_errors():
        entity = _store(ctx, db).get_entity(entity_id, as_of=as_of)
        if entity is None:
            raise CorridorError(f"no entity {entity_id} in the active lists")
        console.print(_entity_table(entity))


@app.command()
def sample(
    ctx: typer.Context,
    names: DatasetNames = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", help="Entities per dataset.")
    ] = 2,
    db: DbOption = None,
) -> None:
    """Show the first few entities of each active list in one table, to see what was loaded.

    Example: corridor lists sample un_sc_sanctions --limit 5
    """
    with _clean_errors():
        store = _store(ctx, db)
        table = Table(title="Sample of the active lists")
        table.add_column("source id", no_wrap=True)
        table.add_column("schema", no_wrap=True)
        table.add_column("name", ratio=2)
        table.add_column("details", ratio=3)
        for snap in store.active_snapshots():
            if names and snap.dataset not in names:
                continue
            for entity in store.snapshot_entities(snap.id, limit=limit):
                table.add_row(entity.source_id, entity.schema, entity.caption, _details(entity))
        console.print(table)


#: Properties that identify an entry at a glance, in the order shown by ``sample``.
_GLANCE = ("alias", "birthDate", "nationality", "country", "program", "imoNumber")


def _details(entity: Entity) -> str:
    parts = []
    for prop in _GLANCE:
        values = entity.get(prop)
        if values:
            more = f" (+{len(values) - 2})" if len(values) > 2 else ""
            parts.append(f"{prop}: {'; '.join(values[:2])}{more}")
    return "\n".join(parts)


def _entity_table(entity: Entity) -> Table:
    table = Table(title=f"{entity.caption} — {entity.schema} {entity.id} ({entity.source_id})")
    table.add_column("property")
    table.add_column("values")
    for prop, values in entity.properties.items():
        table.add_row(prop, "; ".join(values))
    return table
