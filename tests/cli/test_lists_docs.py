"""docs/lists.md must keep up with the registry and the CLI, so it cannot silently drift."""

from __future__ import annotations

from pathlib import Path

from corridor.cli.lists import app
from corridor.sources import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "lists.md"


def test_every_dataset_and_official_url_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, spec in registry.DATASETS.items():
        assert f"`{name}`" in text, name
        for local, url in spec.files.items():
            assert f"`{local}`" in text, local
            assert url in text, url


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"corridor lists {name}" in text, name
