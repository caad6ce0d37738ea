"""``corridor match`` and ``corridor search``: party screening against the loaded lists."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the matching commands to the main app."""
