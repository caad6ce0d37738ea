"""``corridor screen``: screen a whole trade and render its verdict."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer
from rich.console import Console

from corridor.cli.options import DbOption
from corridor.errors import CorridorError, InputError

_FAIL_ON = ("PROHIBITED", "LICENSE_REQUIRED", "REVIEW")


def register(app: typer.Typer) -> None:
    """Add the screening command to the main app."""
    app.command("screen")(screen)


def screen(
    trades: list[Path] = typer.Argument(
        None, help="Trade files (YAML or JSON), e.g. examples/01-eu-chp-rail-via-russia.yaml."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the result as JSON (an array for several trades)."
    ),
    html: Path | None = typer.Option(
        None,
        "--html",
        help="Write a printable HTML report; a directory when screening several trades.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Screen as of this date (YYYY-MM-DD) instead of the trade's date."
    ),
    policy_files: list[Path] = typer.Option(
        [], "--policy", help="Extra policy YAML overriding or adding rules (repeatable)."
    ),
    db: DbOption = None,
    datasets: list[str] = typer.Option(
        [], "--dataset", help="Screen against these datasets only (repeatable), e.g. us_ofac_sdn."
    ),
    fail_on: str | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a verdict is this severe or worse: PROHIBITED, LICENSE_REQUIRED, REVIEW.",
    ),
    schema: bool = typer.Option(
        False, "--schema", help="Print the JSON Schema of the input and output, then exit."
    ),
) -> None:
    """Screen trades: parties, owners and vessels against the lists; goods and route against
    the policy; nexus per party and regime; one verdict with its reasons.

    Exit status: 0 whatever the verdict (unless --fail-on), 2 on bad input or when no
    lists are loaded.

    Example: corridor screen examples/03-kz-reseller-usd.yaml --html report.html
    """
    if schema:
        from corridor.screening.schema import schema_json

        sys.stdout.write(schema_json())
        return
    err = Console(stderr=True)
    try:
        code = _run(trades or [], as_json, html, as_of, policy_files, db, datasets, fail_on, err)
    except InputError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except CorridorError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def _run(
    paths: list[Path],
    as_json: bool,
    html: Path | None,
    as_of_text: str | None,
    policy_files: list[Path],
    db: str | None,
    datasets: list[str],
    fail_on: str | None,
    err: Console,
) -> int:
    from corridor.screening.engine import screen_trade
    from corridor.screening.parties import MatcherScreener, lists_in_force
    from corridor.screening.report_html import render_html
    from corridor.screening.report_terminal import print_report, summary_table
    from corridor.screening.trade_input import load_trade
    from corridor.settings import database_url
    from corridor.store import Store
    from corridor.trade import VERDICT_ORDER

    if not paths:
        raise InputError("give at least one trade file, e.g. corridor screen trade.yaml")
    if fail_on is not None and fail_on.upper() not in _FAIL_ON:
        raise InputError(f"--fail-on {fail_on!r}: use one of {', '.join(_FAIL_ON)}")
    as_of = _parse_date(as_of_text)
    trades = [(path, load_trade(path)) for path in paths]  # all input errors before any work
    from corridor.policy import load_policy

    policy = load_policy(policy_files)
    store = Store(database_url(db))
    chosen = datasets or None

    screeners: dict[object, MatcherScreener] = {}
    results = []
    for path, trade in trades:
        when = as_of or trade.date or dt.date.today()
        key = lists_in_force(store, when, chosen).as_of
        if key not in screeners:
            with err.status("Loading the lists into the matching index…"):
                screeners[key] = MatcherScreener.from_store(store, datasets=chosen, as_of=when)
        result = screen_trade(trade, store=store, policy=policy, matcher=screeners[key], as_of=when)
        results.append((path, trade, result))

    if as_json:
        docs = [r.model_dump(mode="json", by_alias=True) for _, _, r in results]
        json.dump(docs[0] if len(docs) == 1 else docs, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        console = Console()
        for path, trade, result in results:
            print_report(result, trade, str(path), console=console)
        if len(results) > 1:
            console.print(summary_table([(str(path), result) for path, _, result in results]))
    if html is not None:
        for path, trade, result in results:
            target = html
            if len(results) > 1:
                html.mkdir(parents=True, exist_ok=True)
                target = html / f"{path.stem}.html"
            target.write_text(render_html(result, trade, str(path)), encoding="utf-8")
            err.print(f"wrote {target}", highlight=False)

    if fail_on is not None:
        limit = VERDICT_ORDER.index(fail_on.upper())  # type: ignore[arg-type]
        if any(VERDICT_ORDER.index(r.verdict) <= limit for _, _, r in results):
            return 1
    return 0


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r}: use an ISO date such as 2024-08-16") from None
