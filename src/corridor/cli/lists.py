"""``corridor lists …``: load, inspect, diff and export the official lists.

Every command is a thin shell: it parses its arguments, calls :class:`corridor.store.Store`
or :mod:`corridor.sources.update`, and shows the result through :mod:`corridor.cli.render`
and :mod:`corridor.cli.progress`. Errors are printed as one line naming the file and place,
with a non-zero exit status.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from corridor.cli.options import DbOption
from corridor.cli.progress import UpdateDisplay, entity_bar, import_bars
from corridor.cli.render import (
    datasets_markdown,
    datasets_table,
    delta_line,
    entity_table,
    error_line,
    history_table,
    print_diff,
    sample_table,
    say,
    status_json,
    status_table,
    update_line,
)
from corridor.errors import CorridorError
from corridor.sources.update import (
    apply_delta_file,
    check_files,
    import_ftm_files,
    release_dates,
    update_lists,
)
from corridor.store import Store

app = typer.Typer(help="Load and inspect the official sanctions lists.", no_args_is_help=True)

DatasetNames = Annotated[
    list[str] | None, typer.Argument(metavar="NAME", help="Datasets (default: all).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Use the snapshots in force on this date (YYYY-MM-DD)."
    ),
]


class ExportFormat(StrEnum):
    ftm = "ftm"


@dataclass(frozen=True)
class Session:
    """What the ``corridor lists`` commands of one invocation share, made by :func:`lists_main`.

    Passed down through ``ctx.obj``, so every run (and every test) gets its own console.
    """

    db: str | None
    console: Console

    @classmethod
    def start(cls, db: str | None) -> Session:
        # A fresh console per invocation picks up the terminal (or COLUMNS) as it is now; piped
        # output (make demo, logs) gets 120 columns rather than rich's 80 so tables stay legible.
        piped = not sys.stdout.isatty() and not os.environ.get("COLUMNS")
        return cls(db=db, console=Console(width=120 if piped else None))

    def store(self, db: str | None) -> Store:
        """The store of the command's own ``--db``, else the group's, else the default."""
        return Store(db or self.db)

    def say(self, message: str) -> None:
        say(self.console, message)


@app.callback()
def lists_main(ctx: typer.Context, db: DbOption = None) -> None:
    """Load and inspect the official sanctions lists."""
    ctx.obj = Session.start(db)


def _session(ctx: typer.Context) -> Session:
    return ctx.find_object(Session) or Session.start(None)


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Turn corridor's errors into one line on stderr and exit status 1."""
    try:
        yield
    except CorridorError as exc:
        typer.echo(error_line(str(exc)), err=True)
        raise typer.Exit(1) from None


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
        list[str] | None,
        typer.Option(
            "--list-date",
            metavar="[RELEASE=]DATE",
            help="Publication date (YYYY-MM-DD) for lists whose files carry none, e.g. OFAC "
            "CSV: for every such release, or for one folder or file under --from "
            "(ofac_sdn_2024=2024-05-03). Repeatable.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Download (or take from --from DIR) the official lists and import each as a snapshot.

    A directory may hold several releases of a list, each in a folder of its own (the
    mirror's ofac/ of 2021 and ofac_sdn_2024/): every release is imported, oldest first,
    so the newest is active and the others are history for diffs and as-of screening.
    Releases whose files carry no date come last unless --list-date dates them.

    Each dataset is imported in its own transaction: a broken file leaves that dataset's
    previous snapshot active, the others are still updated, and the exit status is 1.

    Examples:

    ```
    corridor lists update
    corridor lists update --from ../shared/data/lists
    corridor lists update --from ./lists --dataset us_ofac_sdn --force
    corridor lists update --from ./ofac-2021-07 --dataset us_ofac_sdn --list-date 2021-07-07
    corridor lists update --from ../shared/data/lists --list-date ofac=2021-07-07 \\
      --list-date ofac_sdn_2024=2024-05-03
    ```

    Downloaded files without a date of their own take the server's Last-Modified date.
    """
    session = _session(ctx)
    with _clean_errors():
        store = session.store(db)
        dates = release_dates(list_date or [])
        updates = update_lists(
            store,
            names=dataset or (),
            from_dir=from_dir,
            cache=cache,
            list_date=dates.pop("", None),
            release_dates=dates,
            force=force,
            progress=UpdateDisplay(session.console),
        )
    if any(u.failed for u in updates):
        raise typer.Exit(1)


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
    session = _session(ctx)
    with _clean_errors():
        check_files([file])
        result = apply_delta_file(
            session.store(db),
            name,
            file,
            list_date=list_date,
            force=force,
            progress=lambda _name, _expected: entity_bar(
                session.console, f"apply {file.name} to {name}"
            ),
        )
        if result.failed:
            raise CorridorError(result.error or "")
        session.say(delta_line(result, file))


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
    session = _session(ctx)
    with _clean_errors():
        check_files(files)
        result = import_ftm_files(
            session.store(db),
            name,
            files,
            force=force,
            progress=import_bars(session.console),
        )
        if result.failed:
            raise CorridorError(result.error or "")
        session.say(update_line(result))


@app.command()
def datasets(
    ctx: typer.Context,
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
    _session(ctx).console.print(datasets_table(registry.DATASETS))


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

    ```
    corridor lists status --as-of 2024-08-16
    corridor lists status --json
    ```
    """
    session = _session(ctx)
    with _clean_errors():
        store = session.store(db)
        snaps = store.active_snapshots(as_of)
        counts = {s.id: store.count_entities(s.dataset, s.id) for s in snaps}
        if as_json:
            typer.echo(status_json(snaps, counts))
            return
        if not snaps:
            session.console.print("No lists loaded. Run `corridor lists update` (or --from DIR).")
            return
        session.console.print(status_table(snaps, counts, as_of))


@app.command()
def history(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Dataset name, e.g. us_ofac_sdn.")],
    db: DbOption = None,
) -> None:
    """List every snapshot of NAME, newest first (the active one is marked)."""
    session = _session(ctx)
    with _clean_errors():
        snaps = session.store(db).snapshots(name)
        if not snaps:
            raise CorridorError(f"{name} has never been loaded")
        session.console.print(history_table(name, snaps))


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
    session = _session(ctx)
    with _clean_errors():
        store = session.store(db)
        datasets = names or sorted({s.dataset for s in store.snapshots()})
        for name in datasets:
            deleted = store.prune(name, keep)
            session.say(f"{name}: deleted {len(deleted)} snapshot(s)")


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

    ```
    corridor lists diff un_sc_sanctions
    corridor lists diff us_ofac_sdn --old 3 --new 9
    ```
    """
    session = _session(ctx)
    with _clean_errors():
        with entity_bar(session.console, f"diff {name}"):
            result = session.store(db).diff(name, old=old, new=new)
        if result.new is None:
            raise CorridorError(f"{name} has never been loaded")
        print_diff(session.console, result, limit)


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
    session = _session(ctx)
    with _clean_errors():
        store = session.store(db)
        snaps = [s for s in store.active_snapshots(as_of) if s.dataset == name]
        total = snaps[0].entity_count if snaps else None
        # On stderr: stdout may be the data.
        with entity_bar(Console(stderr=True), f"export {name}", total) as tick:
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
    session = _session(ctx)
    with _clean_errors():
        entity = session.store(db).get_entity(entity_id, as_of=as_of)
        if entity is None:
            raise CorridorError(f"no entity {entity_id} in the active lists")
        session.console.print(entity_table(entity))


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
    session = _session(ctx)
    with _clean_errors():
        store = session.store(db)
        snaps = [s for s in store.active_snapshots() if not names or s.dataset in names]
        entities = (e for s in snaps for e in store.snapshot_entities(s.id, limit=limit))
        session.console.print(sample_table(entities))
