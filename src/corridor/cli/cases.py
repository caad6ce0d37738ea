"""``corridor cases list``: the alert queue in a terminal (filters as in the workbench)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from corridor.cases import alerts, suppressions
from corridor.cases.model import ALERT_STATUSES, AlertFilter, AlertSort, PageRequest
from corridor.cli.casework import clean_errors, open_cases
from corridor.cli.options import DbOption
from corridor.errors import CaseError

app = typer.Typer(help="The alert queue and the suppressions.", no_args_is_help=True)


@app.command("list")
def list_command(
    status: Annotated[
        list[str] | None, typer.Option("--status", help=f"One of {', '.join(ALERT_STATUSES)}.")
    ] = None,
    dataset: Annotated[str | None, typer.Option("--dataset")] = None,
    min_score: Annotated[float | None, typer.Option("--min-score")] = None,
    assignee: Annotated[str | None, typer.Option("--assignee", help="'' for unassigned.")] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="created_at, score, status, id")
    ] = "created_at",
    ascending: Annotated[bool, typer.Option("--ascending")] = False,
    page: Annotated[int, typer.Option("--page")] = 1,
    size: Annotated[int, typer.Option("--size")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: DbOption = None,
) -> None:
    """One page of alerts, newest first by default.

    Example: corridor cases list --status open --dataset us_ofac_sdn --min-score 0.9
    """
    with clean_errors(), open_cases(db) as cases:
        bad = [s for s in status or [] if s not in ALERT_STATUSES]
        if bad:
            raise CaseError(f"status {bad[0]!r}: expected one of {', '.join(ALERT_STATUSES)}")
        found = alerts.list_alerts(
            cases,
            AlertFilter(
                statuses=tuple(status) if status else None,  # type: ignore[arg-type]
                dataset=dataset,
                min_score=min_score,
                assignee=assignee,
            ),
            AlertSort(sort, descending=not ascending),  # type: ignore[arg-type]
            PageRequest(page, size),
        )
    for a in found.items:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "id": a.id,
                        "status": a.status,
                        "score": a.score,
                        "subject": a.subject.name,
                        "entry": a.caption,
                        "source_ids": a.source_ids,
                        "assignee": a.assignee,
                        "created_at": a.created_at.isoformat(),
                    }
                )
            )
        else:
            typer.echo(
                f"{a.id:>6} {a.status:<14} {a.score:.2f} {a.subject.name} → {a.caption} "
                f"[{', '.join(a.source_ids)}] {a.assignee or ''}"
            )
    typer.echo(f"page {found.number} of {found.pages}, {found.total} alerts", err=True)


@app.command("suppressions")
def suppressions_command(
    state: Annotated[
        str | None, typer.Option("--state", help="active, expired, revoked or lifted")
    ] = None,
    db: DbOption = None,
) -> None:
    """The suppressions ("good guy" list): who, which entry, why, until when."""
    with clean_errors(), open_cases(db) as cases:
        found = suppressions.list_suppressions(cases, state=state)  # type: ignore[arg-type]
        now = cases.now()
    for s in found:
        until = f"until {s.expires_at:%Y-%m-%d}" if s.expires_at else "no expiry"
        typer.echo(
            f"{s.id:>6} {s.state(now.astimezone()):<8} {s.subject_name} ≠ {s.caption} "
            f"({s.entity_id}) by {s.created_by}, {until}, {s.hits} hits: {s.reason}"
        )
