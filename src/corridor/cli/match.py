"""``corridor match`` and ``corridor search``: party screening against the loaded lists."""

from __future__ import annotations

import codecs
import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from corridor.cli.options import DbOption
from corridor.errors import CorridorError, InputError

if TYPE_CHECKING:
    from corridor.matching import Matcher, MatchResult


def _matcher(
    db: str | None, datasets: list[str] | None, as_of: str | None, threshold: float | None
) -> Matcher:
    from corridor.matching import DEFAULT_THRESHOLD, Matcher
    from corridor.settings import database_url
    from corridor.store import quick

    url = database_url(db)
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    active = quick.active_snapshots(url) if as_of is None else None
    if active:  # a store whose index is in the cache: matched without opening the store
        found = Matcher.from_cache(url, active, datasets or None, threshold=threshold)
        if found is not None:
            return found
    from corridor.store import Store

    store = Store(url)
    if not store.active_snapshots(as_of):
        raise CorridorError(
            "no lists are loaded in this database: run `corridor lists update` first"
        )
    return Matcher.from_store(store, datasets=datasets or None, as_of=as_of, threshold=threshold)


#: Bytes asked of the input at a time.
READ_SIZE = 1 << 16


def _lines(stream: Any) -> Iterator[list[tuple[int, bytes]]]:
    """(line number, line) of a binary stream, in runs of the complete lines at hand.

    A run holds what one read gave, so it never waits for input that has not come: a
    program that writes one query and waits for its answer gets it at once, and a file
    comes in runs of some hundred lines."""
    read = getattr(stream, "read1", stream.read)
    held: list[bytes] = []  # the line begun and not yet ended
    lineno = 0
    while chunk := read(READ_SIZE):
        held.append(chunk)
        if b"\n" not in chunk:  # a long line: joined once it ends, not at every read
            continue
        lines = b"".join(held).split(b"\n")
        held = [lines.pop()]
        yield list(enumerate(lines, start=lineno + 1))
        lineno += len(lines)
    rest = b"".join(held)
    if rest:
        yield [(lineno + 1, rest)]


def _read_queries(stream: Any, source: str) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Blocks of (line number, query) from JSON Lines, at most ``PREPARE_BLOCK`` a block;
    bad lines are reported and skipped."""
    import orjson

    from corridor.matching import PREPARE_BLOCK

    for run in _lines(stream):
        block = []
        for lineno, line in run:
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):  # Windows tools write one
                line = line[len(codecs.BOM_UTF8) :]
            if not line.strip():
                continue
            try:
                query = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                typer.echo(f"{source}:{lineno}: not valid JSON ({exc}); line skipped", err=True)
                continue
            if not isinstance(query, dict) or "id" not in query:
                typer.echo(f'{source}:{lineno}: a query needs an "id"; line skipped', err=True)
                continue
            block.append((lineno, query))
            if len(block) == PREPARE_BLOCK:
                yield block
                block = []
        if block:
            yield block


def match_command(
    queries: Path | None = typer.Option(
        None,
        "--queries",
        "-q",
        help="JSON Lines query file (default: standard input).",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
    dataset: list[str] = typer.Option(
        None, "--dataset", "-d", help="Only match these datasets (repeatable). Default: all loaded."
    ),
    threshold: float | None = typer.Option(
        None, "--threshold", "-t", help="Alert threshold for `match: true` (default 0.8)."
    ),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=100, help="Results per query."),
    explain: bool = typer.Option(
        False, "--explain", help="Add caption and explanation per result."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Match the lists in force on this date."
    ),
    db: DbOption = None,
) -> None:
    """Match JSON Lines queries (evaluation protocol, yente-style) and print JSON Lines results.

    Example: `corridor match --queries customers.jsonl --dataset us_ofac_sdn > results.jsonl`
    """
    import orjson

    try:
        matcher = _matcher(db, dataset, as_of, threshold)
    except CorridorError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    source = str(queries) if queries else "<stdin>"
    stream = queries.open("rb") if queries else sys.stdin.buffer
    # The index and the caches that fill while matching are long-lived, and matching
    # makes no reference cycles (tests/matching/test_matcher.py): the cyclic collector
    # would walk the caches for nothing (2-3 % of the run). Reference counting frees
    # all the rest, as it does with the collector on. A caller with the collector on
    # has its own garbage collected first (``main`` turns it off for a process of its own).
    enabled = gc.isenabled()
    if enabled:
        gc.collect()
    gc.freeze()
    gc.disable()
    out = sys.stdout.buffer
    write = out.write
    dumps = orjson.dumps
    try:
        for block in _read_queries(stream, source):
            prepared = matcher.prepare_block([query for _, query in block])
            for (lineno, query), pq in zip(block, prepared, strict=True):
                try:
                    if explain:
                        results = [r.to_dict() for r in matcher.match(pq, limit=limit)]
                    else:
                        results = matcher.match_protocol(pq, limit=limit)
                except InputError as exc:
                    answered = "query answered with no results"
                    typer.echo(f"{source}:{lineno}: {exc}; {answered}", err=True)
                    results = []
                write(dumps({"id": query["id"], "results": results}))
                write(b"\n")
            out.flush()
    finally:
        out.flush()
        if queries:
            stream.close()
        # What the caches hold joins the index outside collections: switched back on
        # for a caller with millions of new objects young, the collector's next pass
        # would walk them all (75 ms after 20,000 names).
        gc.freeze()
        if enabled:
            gc.enable()


def search_command(
    name: str = typer.Argument(..., help="The name to look for, in any script."),
    schema: str = typer.Option(
        "LegalEntity",
        "--schema",
        "-s",
        help="Person, Company, Organization, PublicBody, LegalEntity, Vessel, Airplane or Vehicle.",
    ),
    country: list[str] = typer.Option(
        None, "--country", "-c", help="Country or nationality (ISO code or name)."
    ),
    birth_date: str | None = typer.Option(
        None, "--birth-date", "-b", help="YYYY, YYYY-MM or YYYY-MM-DD."
    ),
    identifier: list[str] = typer.Option(
        None, "--id", help="Passport, national id, tax or registration number."
    ),
    imo: str | None = typer.Option(None, "--imo", help="Vessel IMO number."),
    dataset: list[str] = typer.Option(
        None, "--dataset", "-d", help="Only these datasets (repeatable)."
    ),
    limit: int = typer.Option(5, "--limit", "-n", min=1, max=50, help="Results to show."),
    threshold: float | None = typer.Option(None, "--threshold", "-t", help="Alert threshold."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    db: DbOption = None,
) -> None:
    """Search one name and show ranked results with the reasons for each score.

    Example: `corridor search "Гаус Александра" --schema Person --birth-date 1975`
    """
    props: dict[str, list[str]] = {"name": [name]}
    if country:
        props["nationality" if schema == "Person" else "country"] = list(country)
    if birth_date:
        props["birthDate"] = [birth_date]
    if identifier:
        props["idNumber"] = list(identifier)
    if imo:
        props["imoNumber"] = [imo]
    try:
        matcher = _matcher(db, dataset, None, threshold)
        results = matcher.match({"schema": schema, "properties": props}, limit=limit)
    except CorridorError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        import orjson

        typer.echo(orjson.dumps([r.to_dict() for r in results], option=orjson.OPT_INDENT_2))
        return
    _render(name, results)


def _render(name: str, results: list[MatchResult]) -> None:
    """Each result with its name alignment table and the features that counted; numbers
    are those of ``--json`` (rounded there)."""
    from rich.console import Console
    from rich.table import Table

    from corridor.matching.result import (
        FEATURE_DIGITS,
        SCORE_DIGITS,
        SIMILARITY_DIGITS,
        WEIGHT_DIGITS,
    )

    console = Console()
    if not results:
        console.print(f"No candidates for [bold]{name}[/bold].")
        return
    for rank, r in enumerate(results, start=1):
        flag = "[bold red]ALERT[/bold red]" if r.match else "[green]no alert[/green]"
        console.print(
            f"\n[bold]{rank}. {r.caption}[/bold]  {r.schema}  "
            f"score [bold]{r.score:.3f}[/bold]  {flag}"
        )
        console.print(
            f"   {', '.join(r.source_ids)}"
            + (f"  topics: {', '.join(r.topics)}" if r.topics else "")
        )
        ex = r.explanation
        if ex.name is not None:
            table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
            table.add_column("query part")
            table.add_column("listed part")
            table.add_column("similarity", justify="right")
            table.add_column("weight", justify="right")
            for pair in ex.name.pairs:
                table.add_row(
                    pair.query,
                    pair.listed,
                    f"{round(pair.similarity, SIMILARITY_DIGITS):.2f}",
                    f"{round(pair.weight, WEIGHT_DIGITS):.1f}",
                )
            for part, weight in ex.name.unmatched_query:
                table.add_row(part, "[red]—[/red]", "", f"{round(weight, WEIGHT_DIGITS):.1f}")
            for part, weight in ex.name.unmatched_listed:
                table.add_row("[dim]—[/dim]", part, "", f"{round(weight, WEIGHT_DIGITS):.1f}")
            weak = " (weak alias)" if ex.listed_name_weak else ""
            console.print(
                f"   name score {round(ex.name.score, SCORE_DIGITS):.3f}: {ex.query_name!r} "
                f"vs {ex.listed_name!r}{weak}"
            )
            console.print(table)
        for fname, f in ex.features.items():
            contribution = round(f.contribution, FEATURE_DIGITS)
            if contribution:
                console.print(f"   {contribution:+.3f}  {fname}: {f.description}")


def register(app: typer.Typer) -> None:
    """Add the matching commands to the main app."""
    app.command("match")(match_command)
    app.command("search")(search_command)
