"""The ``corridor`` command: one Typer app, each sub-command a thin shell over the core."""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

    import typer

HELP = "Jurisdiction-aware sanctions screening of cross-border trade."
#: Commands run with only their own module imported: screening a file with `corridor match`
#: is timed from process start, and the other commands' imports (case work, the policy, the
#: HTTP API) take about half a second it does not use.
LEAN_COMMANDS = ("match", "search")


def _new_app() -> typer.Typer:
    """The app, its help in Markdown: a docstring's paragraph is reflowed to the terminal
    (not cut where the source breaks it); examples are indented code blocks."""
    import typer  # not at the module's top: ``main`` starts a lean command's read-ahead first

    return typer.Typer(
        name="corridor",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="markdown",
    )


def _full_app() -> typer.Typer:
    """Every sub-command."""
    from corridor.cli import audit as audit_cli
    from corridor.cli import batch as batch_cli
    from corridor.cli import cases as cases_cli
    from corridor.cli import lists as lists_cli
    from corridor.cli import match as match_cli
    from corridor.cli import rescreen as rescreen_cli
    from corridor.cli import screen as screen_cli
    from corridor.cli import serve as serve_cli
    from corridor.cli import users as users_cli

    app = _new_app()
    app.add_typer(lists_cli.app, name="lists")
    match_cli.register(app)
    screen_cli.register(app)
    app.add_typer(users_cli.app, name="users")
    app.add_typer(audit_cli.app, name="audit")
    app.add_typer(cases_cli.app, name="cases")
    rescreen_cli.register(app)
    serve_cli.register(app)
    batch_cli.register(app)
    return app


def _lean_app() -> typer.Typer:
    """The matching commands alone (``LEAN_COMMANDS``)."""
    from corridor.cli import match as match_cli

    app = _new_app()
    match_cli.register(app)
    return app


def __getattr__(name: str) -> typer.Typer | ModuleType:
    """``corridor.cli.app``, the full app, made on first use."""
    if name == "app":
        app = _full_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in LEAN_COMMANDS:
        # A process of one matching command: its imports, index and caches make no
        # garbage cycles worth a collection, and it ends by ``os._exit``.
        gc.disable()
        from corridor import icu_rules

        icu_rules.warm()  # on the other core while the command and its index load
        _run_and_exit(_lean_app())
    else:
        _full_app()()


def _run_and_exit(app: typer.Typer) -> None:
    """Run ``app``, then end the process without the interpreter's teardown: freeing the
    index and the matching caches one object at a time takes a few tenths of a second
    that the operating system does at once."""
    try:
        app()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
