"""``corridor --help`` and each command's help read as prose: the docstrings' own line breaks
do not cut sentences, and examples keep a line each."""

from __future__ import annotations

import inspect

import pytest
from typer.testing import CliRunner

from corridor.cli import app, lists

runner = CliRunner(env={"COLUMNS": "200"})


def _help(*command: str) -> str:
    """The help as lines of text, without the panels' borders."""
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return "\n".join(line.strip(" │") for line in result.output.splitlines())


def test_the_command_list_has_each_summary_on_one_line_when_it_fits() -> None:
    lines = _help().splitlines()
    screen = next(line for line in lines if line.startswith("screen "))
    assert screen.endswith(
        "and route against the policy; nexus per party and regime; one verdict with its reasons."
    )
    api_key = next(line for line in lines if line.startswith("api-key "))
    assert "put the hash in CORRIDOR_API_KEY_HASHES (or a line of" in api_key


@pytest.mark.parametrize("command", ["update", "status", "diff"])
def test_every_example_keeps_a_line_of_its_own(command: str) -> None:
    doc = inspect.getdoc(getattr(lists, command))
    examples = [line for line in doc.splitlines() if line.startswith("corridor ")]
    assert examples
    lines = _help("lists", command).splitlines()
    for example in examples:
        assert example in lines


def test_a_commands_paragraphs_are_reflowed_and_its_examples_kept_one_per_line() -> None:
    text = _help("lists", "update")
    assert "(the mirror's ofac/ of 2021 and ofac_sdn_2024/): every release is imported" in text
    lines = text.splitlines()
    assert "corridor lists update" in lines
    assert "corridor lists update --from ../shared/data/lists" in lines
