"""``corridor screen`` end to end on the examples, against a store of the real lists."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.screening.schema import trade_screening_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("screen-cli") / "corridor.db"
    result = runner.invoke(app, ["lists", "update", "--from", str(lists_dir), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def example(prefix: str) -> str:
    return str(next(EXAMPLES.glob(f"{prefix}*.yaml")))


def test_json_output_validates_and_exit_is_0_whatever_the_verdict(db: str):
    result = runner.invoke(app, ["screen", example("03"), "--json", "--db", db])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "PROHIBITED"
    schema = trade_screening_schema()
    jsonschema.validate(doc, {"$ref": "#/$defs/ScreeningResult", "$defs": schema["$defs"]})
    assert "us_ofac_sdn" in {v["dataset"] for v in doc["lists"]}


def test_several_trades_give_an_array_and_html_pages(db: str, tmp_path: Path):
    out = tmp_path / "reports"
    args = ["screen", example("03"), example("07"), "--json", "--html", str(out), "--db", db]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)  # "wrote …" lines go to stderr
    assert [d["verdict"] for d in docs] == ["PROHIBITED", "CLEAR"]
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["03-kz-reseller-usd.html", "07-cpc-crude.html"]
    assert "PROHIBITED" in (out / "03-kz-reseller-usd.html").read_text(encoding="utf-8")


def test_fail_on(db: str):
    def status(prefix: str) -> int:
        args = ["screen", example(prefix), "--fail-on", "REVIEW", "--db", db]
        return runner.invoke(app, args).exit_code

    assert status("03") == 1  # PROHIBITED is worse than REVIEW
    assert status("07") == 0  # CLEAR


def test_terminal_report_and_as_of(db: str):
    result = runner.invoke(app, ["screen", example("01"), "--as-of", "2023-06-01", "--db", db])
    assert result.exit_code == 0, result.output
    assert "as of 2023-06-01" in result.output
    assert "EU-10-transit-annex-vii" not in result.output


def test_dataset_filter_limits_the_lists(db: str):
    args = ["screen", example("03"), "--json", "--dataset", "un_sc_sanctions", "--db", db]
    doc = json.loads(runner.invoke(app, args).stdout)
    assert [v["dataset"] for v in doc["lists"]] == ["un_sc_sanctions"]
    assert not any(m["match"] for p in doc["parties"] for m in p["matches"])


def test_several_trades_end_with_a_summary(db: str):
    result = runner.invoke(app, ["screen", example("03"), example("07"), "--db", db])
    assert result.exit_code == 0, result.output
    tail = result.stdout[result.stdout.rindex("Summary") :]
    assert "PROHIBITED" in tail and "US-L-sdn" in tail and "CLEAR" in tail
