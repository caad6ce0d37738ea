"""The ``corridor`` command: one Typer app, each sub-command a thin shell over the core."""

from __future__ import annotations

import typer

from corridor.cli import audit as audit_cli
from corridor.cli import batch as batch_cli
from corridor.cli import cases as cases_cli
from corridor.cli import lists as lists_cli
from corridor.cli import match as match_cli
from corridor.cli import rescreen as rescreen_cli
from corridor.cli import screen as screen_cli
from corridor.cli import serve as serve_cli
from corridor.cli import users as users_cli

app = typer.Typer(
    name="corridor",
    help="Jurisdiction-aware sanctions screening of cross-border trade.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(lists_cli.app, name="lists")
match_cli.register(app)
screen_cli.register(app)
app.add_typer(users_cli.app, name="users")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(cases_cli.app, name="cases")
rescreen_cli.register(app)
serve_cli.register(app)
batch_cli.register(app)


def main() -> None:
    app()
