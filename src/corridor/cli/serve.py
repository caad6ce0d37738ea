"""``corridor serve``: the HTTP API and the analyst workbench under uvicorn; ``corridor
api-key``: make an API key."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

from corridor.cli.options import DbOption

if TYPE_CHECKING:
    from fastapi import FastAPI


def make_app() -> FastAPI:
    """The served app: the API with the workbench's pages mounted beside it (``/ui/``).
    Composed here because ``api`` and ``web`` may not import each other."""
    from corridor.api import create_app
    from corridor.web import EXCEPTION_HANDLERS, ROUTERS

    return create_app(routers=ROUTERS, exception_handlers=EXCEPTION_HANDLERS)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", "-p", help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, max=64, help="Worker processes (one per core for load)."
    ),
    db: DbOption = None,
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level."),
    openapi: bool = typer.Option(
        False, "--openapi", help="Print the OpenAPI spec (docs/openapi.json) and exit."
    ),
) -> None:
    """Serve the yente-compatible API (/match, /search, /entities, /catalog), POST /screen,
    POST /lists/update, and the analyst workbench at /ui/.

    Example: `corridor serve --host 0.0.0.0 --port 8000 --workers 2`, then
    `curl -X POST localhost:8000/match/default -H 'content-type: application/json'
    -d '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Sergey Zhukov"]}}}}'`
    """
    if openapi:
        import sys

        from corridor.api.app import openapi_json

        sys.stdout.write(openapi_json())
        return
    import uvicorn

    from corridor.settings import ApiSettings, database_url

    if db:
        os.environ["CORRIDOR_DB"] = database_url(db)
    try:
        ApiSettings.from_env()  # refuse bad settings before any worker starts
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    uvicorn.run(
        "corridor.cli.serve:make_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        backlog=4096,
    )


def api_key() -> None:
    """Make a new random API key: give the key to the client, put the hash in
    CORRIDOR_API_KEY_HASHES (or a line of CORRIDOR_API_KEYS_FILE). The key is not kept."""
    from corridor.api.auth import new_key

    key, digest = new_key()
    typer.echo(f"key:  {key}")
    typer.echo(f"hash: {digest}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("api-key")(api_key)
