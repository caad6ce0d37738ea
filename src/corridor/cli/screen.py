"""``corridor screen``: screen a whole trade and render its verdict."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the screening command to the main app."""
