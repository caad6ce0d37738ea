"""``corridor screen --json`` on every example, byte for byte against the recorded output.

The recorded files (``tests/fixtures/screening/golden/``) are the contract as users see it:
a change of wording, order or value in any finding shows up here as a diff to review.
When a change of output is intended, record it again with
``CORRIDOR_RECORD_GOLDEN=1 make test`` and commit the files with the change that made them.

Two values depend on the day the store was loaded, not on the code: a list version of a file
without a list date carries its import date, and the note on lists newer than the trade names
it too. Both are written as ``<loaded>`` in the recorded files.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_POLICY = ROOT / "tests" / "fixtures" / "screening" / "fixture_lists.policy.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "fixtures" / "screening" / "golden"
runner = CliRunner()


def screen_json(db: Path, example: Path) -> str:
    args = ["screen", str(example), "--json", "--db", str(db), "--policy", str(FIXTURE_POLICY)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout.replace(dt.date.today().isoformat(), "<loaded>")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_screen_json_is_unchanged(screening_db: Path, example: Path):
    output = screen_json(screening_db, example)
    recorded = GOLDEN / f"{example.stem}.json"
    if os.environ.get("CORRIDOR_RECORD_GOLDEN"):
        recorded.write_text(output, encoding="utf-8")
    assert recorded.is_file(), f"no recorded output: run CORRIDOR_RECORD_GOLDEN=1 on {example}"
    assert output == recorded.read_text(encoding="utf-8")
