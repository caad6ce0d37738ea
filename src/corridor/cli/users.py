"""``corridor users …``: add, list, disable, enable users, reset passwords, change roles,
create API keys, seed the demo accounts. Run by whoever holds the database (the audit log
names them ``local:<login>``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from corridor.cases import tokens, users
from corridor.cli.casework import (
    PasswordStdin,
    clean_errors,
    open_cases,
    operator,
    read_password,
)
from corridor.cli.options import DbOption

app = typer.Typer(help="Manage the workbench's users, roles and API keys.", no_args_is_help=True)

Name = Annotated[str, typer.Argument(metavar="USER", help="User name (lower case).")]


@app.command("add")
def add(
    username: Name,
    role: Annotated[
        str, typer.Option("--role", "-r", help="analyst, approver or admin.")
    ] = "analyst",
    display_name: Annotated[str, typer.Option("--name", help="Full name shown in the UI.")] = "",
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Add a user (asks for the password; it is stored only as an argon2id hash).

    Example: corridor users add alice --role approver --name "Alice Smith"
    """
    with clean_errors(), open_cases(db) as cases:
        password = read_password(password_stdin)
        user = users.add_user(
            cases, username, password, role, actor=operator(), display_name=display_name
        )
        typer.echo(f"added {user.username} ({user.role})")


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    db: DbOption = None,
) -> None:
    """List users: name, role, active, created."""
    with clean_errors(), open_cases(db) as cases:
        for user in users.list_users(cases):
            if as_json:
                row = {
                    "username": user.username,
                    "role": user.role,
                    "display_name": user.display_name,
                    "active": user.active,
                    "created_at": user.created_at.isoformat(),
                }
                typer.echo(json.dumps(row))
            else:
                state = "active" if user.active else "disabled"
                typer.echo(
                    f"{user.username:<24} {user.role:<9} {state:<9} "
                    f"{user.created_at:%Y-%m-%d} {user.display_name}"
                )


@app.command("disable")
def disable(username: Name, db: DbOption = None) -> None:
    """Disable a user: their sessions and API keys stop working at once."""
    with clean_errors(), open_cases(db) as cases:
        users.disable_user(cases, username, actor=operator())
        typer.echo(f"disabled {username}")


@app.command("enable")
def enable(username: Name, db: DbOption = None) -> None:
    """Enable a disabled user again (their old API keys stay revoked)."""
    with clean_errors(), open_cases(db) as cases:
        users.enable_user(cases, username, actor=operator())
        typer.echo(f"enabled {username}")


@app.command("reset-password")
def reset_password(
    username: Name, password_stdin: PasswordStdin = False, db: DbOption = None
) -> None:
    """Set a new password; the user's sessions end."""
    with clean_errors(), open_cases(db) as cases:
        users.reset_password(cases, username, read_password(password_stdin), actor=operator())
        typer.echo(f"password of {username} reset")


@app.command("role")
def role(
    username: Name,
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="analyst, approver or admin.")],
    db: DbOption = None,
) -> None:
    """Change a user's role."""
    with clean_errors(), open_cases(db) as cases:
        user = users.set_role(cases, username, new_role, actor=operator())
        typer.echo(f"{user.username} is now {user.role}")


@app.command("api-key")
def api_key(
    username: Name,
    label: Annotated[str, typer.Option("--label", help="What the key is for.")] = "",
    db: DbOption = None,
) -> None:
    """Create an API key for a user and print it once (only its hash is kept)."""
    with clean_errors(), open_cases(db) as cases:
        issued = tokens.create_api_key(cases, username, label, actor=operator())
        typer.echo(issued.secret)
        typer.echo(f"API key {issued.id} for {username}: shown once, keep it now", err=True)


@app.command("seed-demo")
def seed_demo(password_stdin: PasswordStdin = False, db: DbOption = None) -> None:
    """Create the demo accounts demo-analyst, demo-approver and demo-admin (one password)."""
    with clean_errors(), open_cases(db) as cases:
        seeded = users.seed_demo_users(cases, read_password(password_stdin), actor=operator())
        for user in seeded:
            typer.echo(f"{user.username} ({user.role})")
