"""``corridor batch``: screen a whole customer file (CSV, Parquet, JSON Lines, XLSX, ODS)
locally on all cores or on a Dask cluster; progress, resumption and a closing summary."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from corridor.cli.options import DbOption
from corridor.errors import CorridorError


def batch(
    input_path: Path = typer.Argument(
        ..., metavar="INPUT", help="customers.csv[.gz], .parquet, .jsonl[.gz], .xlsx or .ods."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="alerts.jsonl[.gz], .csv[.gz] or .parquet."
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        "-c",
        help="FIELD=COLUMN, e.g. name=full_name (fields: id, name, "
        "schema, country, birth_date, id_number, imo). Repeatable.",
    ),
    mapping: Path | None = typer.Option(None, "--mapping", help="YAML file of FIELD: COLUMN."),
    input_format: str | None = typer.Option(
        None, "--input-format", help="csv, jsonl, parquet, xlsx or ods."
    ),
    encoding: str | None = typer.Option(
        None,
        "--encoding",
        help="Text encoding of a CSV or JSON Lines input, e.g. cp1252 for a Windows export "
        "(default UTF-8, with or without a byte-order mark).",
    ),
    delimiter: str | None = typer.Option(
        None,
        "--delimiter",
        help="Field separator of a CSV input (default: read from its header line: , ; tab |).",
    ),
    output_format: str | None = typer.Option(
        None, "--output-format", help="csv, jsonl or parquet."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=1, max=256, help="Processes (default: all cores)."
    ),
    engine: str = typer.Option("local", "--engine", help="local, dask or dask-local."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address for --engine dask (tcp://host:8786)."
    ),
    resume: bool = typer.Option(
        False, "--resume", help="Go on from where an interrupted run stopped."
    ),
    dataset: list[str] = typer.Option([], "--dataset", "-d", help="Only these lists (repeatable)."),
    threshold: float | None = typer.Option(
        None, "--threshold", "-t", help="Alert threshold (default 0.8)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    chunk_rows: int = typer.Option(
        2000, "--chunk-rows", min=1, max=100_000, help="Rows per chunk (and checkpoint)."
    ),
    db: DbOption = None,
) -> None:
    """Screen every row of INPUT against the lists; write one record per row with its alerts
    (score, source ids, explanation). Bad rows are reported with their line and the run goes
    on; an interrupted run goes on with --resume.

    Example: `corridor batch customers.csv.gz -o alerts.jsonl --workers 2`
    """
    from corridor.batch import BatchOptions, ColumnMapping, run_batch
    from corridor.matching import DEFAULT_THRESHOLD
    from corridor.settings import batch_workers, database_url
    from corridor.store import Store

    err = Console(stderr=True)
    try:
        options = BatchOptions(
            input=input_path,
            output=output,
            mapping=ColumnMapping.build(column, mapping),
            input_format=input_format,
            output_format=output_format,
            workers=workers or batch_workers(),
            engine=engine,
            scheduler=scheduler,
            resume=resume,
            datasets=tuple(dataset),
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            chunk_rows=chunk_rows,
            encoding=encoding,
            delimiter="\t" if delimiter == "\\t" else delimiter,
        )
        with _Progress(err, quiet) as progress:
            summary = run_batch(options, Store(database_url(db)), progress)
    except CorridorError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted: run again with --resume to go on from the last checkpoint")
        raise typer.Exit(130) from None
    _summary(err, summary)


class _Progress:
    """A rich progress bar with rate and ETA; bad rows are printed above it."""

    def __init__(self, console: Console, quiet: bool) -> None:
        from corridor.batch import BatchProgress

        self.console = console
        self.quiet = quiet
        self.task = None
        self.bar = None
        self.base = BatchProgress
        self.bad_shown = 0

    def __enter__(self):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        outer = self

        class Hooks(self.base):
            def loading(self) -> None:
                if not outer.quiet:
                    outer.console.print("loading the lists into the matching index…")

            def started(self, total, unit, done_records):
                if outer.quiet:
                    return
                counts = (
                    TextColumn("{task.fields[records]:,} rows"),
                    TextColumn("{task.fields[rate]:,.0f} rows/s"),
                    TextColumn("{task.fields[alerts]:,} with alerts"),
                    TimeElapsedColumn(),
                )
                if total is None:  # a spreadsheet that does not say its size: no share, no ETA
                    columns = (TextColumn("[bold]screening"), *counts)
                else:
                    columns = (
                        TextColumn("[bold]screening"),
                        BarColumn(),
                        TextColumn("{task.percentage:>3.0f}%"),
                        *counts,
                        TextColumn("ETA"),
                        TimeRemainingColumn(),
                    )
                outer.bar = Progress(*columns, console=outer.console, transient=False)
                if unit == "rows" and total is not None:
                    outer.bar.columns = (
                        *outer.bar.columns[:3],
                        MofNCompleteColumn(),
                        *outer.bar.columns[3:],
                    )
                outer.bar.start()
                outer.t0 = __import__("time").perf_counter()
                outer.first = done_records
                outer.task = outer.bar.add_task(
                    "screen", total=total, records=done_records, rate=0.0, alerts=0
                )

            def advanced(self, position, records, alerts):
                if outer.bar is None:
                    return
                elapsed = __import__("time").perf_counter() - outer.t0
                rate = (records - outer.first) / elapsed if elapsed > 0 else 0.0
                outer.bar.update(
                    outer.task, completed=position, records=records, rate=rate, alerts=alerts
                )

            def bad_row(self, line, row_id, message):
                outer.bad_shown += 1
                if outer.bad_shown <= 100:
                    outer.console.print(
                        f"[yellow]line {line}[/yellow] ({row_id}): {message}; "
                        "row reported, run goes on",
                        highlight=False,
                    )
                elif outer.bad_shown == 101:
                    outer.console.print("more bad rows: see the error column of the output")

        self.hooks = Hooks()
        return self.hooks

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


def _summary(console: Console, s) -> None:
    from rich.table import Table

    table = Table(title="batch summary", show_header=False, box=None, padding=(0, 2))
    table.add_row(
        "rows",
        f"{s.records:,}" + (f" ({s.resumed_from:,} before resuming)" if s.resumed_from else ""),
    )
    table.add_row("screened", f"{s.screened:,}")
    table.add_row("rows with alerts", f"{s.rows_with_alerts:,} ({s.alerts:,} alerts)")
    table.add_row("bad rows", f"{s.bad_rows:,}")
    table.add_row(
        "time",
        f"{s.seconds:.1f} s, {s.rate:,.0f} rows/s "
        f"({s.engine}, {s.workers} worker{'s' if s.workers > 1 else ''})",
    )
    columns = ", ".join(f"{f}={c}" for f, c in s.columns.items())
    if s.left_out:
        columns += f" (not in the input, left out: {', '.join(s.left_out)})"
    table.add_row("columns", columns)
    if s.title_rows:
        rows = ", ".join(map(str, s.title_rows))
        plural = "s" if len(s.title_rows) > 1 else ""
        table.add_row("title", f"row{plural} {rows} of the sheet, above its header: not read")
    table.add_row("lists", ", ".join(f"{d} {v}" for d, v in s.lists))
    table.add_row("output", str(s.output))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
