"""``corridor screen`` on bad input: exit status 2 and one line naming file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app
from corridor.screening.schema import schema_json

runner = CliRunner()


def test_bad_country_exits_2_with_one_line(tmp_path: Path):
    trade = tmp_path / "bad.yaml"
    trade.write_text(
        "parties:\n  - {role: exporter, name: A, country: kz}\n"
        "  - {role: importer, name: B, country: xx}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["screen", str(trade), "--db", str(tmp_path / "db.sqlite")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "bad.yaml:3" in lines[0]
    assert "parties[1].country: 'xx' is not an ISO 3166-1 alpha-2 code" in lines[0]


def test_malformed_yaml_exits_2(tmp_path: Path):
    trade = tmp_path / "broken.yaml"
    trade.write_text("parties:\n  - role: exporter\n   name: A\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(trade)])
    assert result.exit_code == 2
    assert "malformed YAML at line 3" in result.output


def test_bad_as_of_and_fail_on(tmp_path: Path):
    trade = tmp_path / "t.yaml"
    trade.write_text("parties:\n  - {role: exporter, name: A}\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(trade), "--as-of", "16/08/2024"])
    assert result.exit_code == 2 and "use an ISO date" in result.output
    result = runner.invoke(app, ["screen", str(trade), "--fail-on", "SOMETIMES"])
    assert result.exit_code == 2 and "--fail-on" in result.output


def test_schema_option_prints_the_published_schema():
    result = runner.invoke(app, ["screen", "--schema"])
    assert result.exit_code == 0
    assert result.output == schema_json()
    assert "ScreeningResult" in json.loads(result.output)["$defs"]


def test_empty_database_is_refused(tmp_path: Path):
    trade = tmp_path / "t.yaml"
    trade.write_text("parties:\n  - {role: exporter, name: A, country: kz}\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(trade), "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 2
    assert "no lists are loaded" in result.output
