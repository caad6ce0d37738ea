"""``corridor lists …``: load, inspect, diff and export the official lists."""

from __future__ import annotations

import typer

app = typer.Typer(help="Load and inspect the official sanctions lists.", no_args_is_help=True)
