"""Options every command group shares, declared once so that their help reads the same."""

from __future__ import annotations

from typing import Annotated

import typer

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
