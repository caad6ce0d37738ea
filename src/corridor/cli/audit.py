"""``corridor audit …``: verify the audit chain, print its head, export the log."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from corridor.cases import audit
from corridor.cli.casework import clean_errors, open_cases
from corridor.cli.options import DbOption
from corridor.errors import AuditError

app = typer.Typer(help="Check and export the tamper-evident audit log.", no_args_is_help=True)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


def _expected(value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise AuditError(f"--expect {value!r}: use SEQ:HASH as `corridor audit head` prints it")
    return int(seq), digest


@app.command("verify")
def verify(
    expect: Annotated[
        str | None,
        typer.Option("--expect", metavar="SEQ:HASH", help="A head kept elsewhere to check."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Walk the hash chain; exit 1 naming the first bad record if any was edited, inserted,
    deleted or cut off the end."""
    with clean_errors(), open_cases(db) as cases:
        check = audit.verify_chain(cases, _expected(expect))
    if check.ok:
        typer.echo(
            f"audit log intact: {check.records} records, head {check.head_seq}:{check.head_hash}"
        )
        return
    typer.echo(f"audit log BROKEN at record {check.first_bad}: {check.problem}", err=True)
    raise typer.Exit(1)


@app.command("head")
def head(db: DbOption = None) -> None:
    """Print the last record's number and hash (SEQ:HASH), to keep outside the database."""
    with clean_errors(), open_cases(db) as cases:
        seq, digest = audit.head(cases)
    typer.echo(f"{seq}:{digest}")


def _day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise AuditError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


@app.command("export")
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.json,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action, or a family: decision.*")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE")] = None,
    db: DbOption = None,
) -> None:
    """Export audit records (with their hashes) as JSON or CSV.

    Example: corridor audit export --format csv --action 'decision.*' --since 2025-01-01
    """
    with clean_errors(), open_cases(db) as cases:
        records = audit.iter_audit_records(
            cases, action=action, start=_day(since, "--since"), end=_day(until, "--until")
        )
        writer = audit.write_json if fmt is ExportFormat.json else audit.write_csv
        if out is None:
            count = writer(records, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as fh:
                count = writer(records, fh)
    typer.echo(f"{count} records", err=True)
