"""docs/lists.md must keep up with the registry and the CLI, so it cannot silently drift."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app as corridor_app
from corridor.cli.lists import app
from corridor.cli.render import datasets_markdown
from corridor.sources import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "lists.md"
TABLE = re.compile(r"<!-- datasets:[^\n]*-->\n(.*?)<!-- /datasets -->", re.S)


def test_datasets_table_is_the_registry() -> None:
    match = TABLE.search(DOC.read_text(encoding="utf-8"))
    assert match, "docs/lists.md lost its generated datasets table"
    expected = datasets_markdown(registry.DATASETS)
    assert match.group(1).strip() == expected, (
        "docs/lists.md is behind the registry: paste the output of "
        "`corridor lists datasets --markdown` between the datasets markers"
    )
    for name, spec in registry.DATASETS.items():
        assert f"`{name}`" in expected
        assert all(url in expected for url in spec.files.values())


def test_datasets_command_prints_the_same_table() -> None:
    result = CliRunner().invoke(corridor_app, ["lists", "datasets", "--markdown"])
    assert result.exit_code == 0
    assert result.stdout.strip() == datasets_markdown(registry.DATASETS)


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"corridor lists {name}" in text, name
