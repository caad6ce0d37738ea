"""What the case commands (``users``, ``audit``, ``rescreen``, ``cases``) share: the database
option, the acting operator, passwords read without echo, and one-line errors."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from corridor.cases.db import CaseStore
from corridor.cases.model import Operator
from corridor.cli.render import error_line
from corridor.errors import CorridorError

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]


def operator() -> Operator:
    """The local user running the command, as the audit log names them."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Operator(f"local:{login}")


def open_cases(db: str | None) -> CaseStore:
    return CaseStore.open(db)


def read_password(from_stdin: bool, prompt: str = "Password") -> str:
    """From stdin's first line, or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)


@contextmanager
def clean_errors() -> Iterator[None]:
    """Turn corridor's errors into one line on stderr and exit status 1."""
    try:
        yield
    except CorridorError as exc:
        typer.echo(error_line(str(exc)), err=True)
        raise typer.Exit(1) from None
