"""``corridor rescreen``: re-screen the kept customers and parties that the list changes
since their last screening can affect, and put new alerts in the queue."""

from __future__ import annotations

from typing import Annotated

import typer

from corridor.cases import rescreen
from corridor.cli.casework import clean_errors, open_cases, operator
from corridor.cli.options import DbOption


def rescreen_command(
    full: Annotated[
        list[str] | None,
        typer.Option(
            "--full",
            metavar="DATASET",
            help="Re-screen everyone against every entry of this dataset (repeatable).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Audit new list snapshots, then re-screen whoever the changed entries could match.

    Example: corridor lists update && corridor rescreen
    """
    with clean_errors(), open_cases(db) as cases:
        actor = operator()
        rescreen.audit_list_updates(cases, actor=actor)
        since = dict.fromkeys(full, None) if full else None
        result = rescreen.rescreen(cases, actor=actor, since=since)
    if not result.changes:
        typer.echo("no list changes since the last re-screen")
        return
    for change in result.changes:
        start = f"snapshot {change.from_snapshot}" if change.from_snapshot else "nothing"
        typer.echo(
            f"{change.dataset}: {start} → snapshot {change.to_snapshot}: "
            f"{change.added} added, {change.changed} changed, {change.removed} removed"
        )
    typer.echo(
        f"{result.subjects_checked} kept subjects checked, {len(result.candidates)} screened "
        f"again, {len(result.alerts_created)} new alerts, "
        f"{len(result.suppressions_lifted)} suppressions lifted"
    )


def register(app: typer.Typer) -> None:
    app.command("rescreen")(rescreen_command)
