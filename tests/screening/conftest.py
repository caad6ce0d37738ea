"""The store every screening test reads: the real lists plus the labelled test entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.policy import load_policy
from corridor.screening.engine import build_screener
from corridor.store import Store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "screening"
#: The policy file that maps the test entries' datasets to regimes.
FIXTURE_POLICY = FIXTURES / "fixture_lists.policy.yaml"


@pytest.fixture(scope="session")
def screening_db(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``lists update --from`` the mirror, then the 2024 test entries the files predate."""
    db = tmp_path_factory.mktemp("screening") / "corridor.db"
    runner = CliRunner()
    result = runner.invoke(app, ["lists", "update", "--from", str(lists_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    for name, file in (
        ("fixture_us_sanctions", "kz_designations_us.ftm.json"),
        ("fixture_eu_sanctions", "kz_designations_eu.ftm.json"),
    ):
        args = ["lists", "load-ftm", name, str(FIXTURES / file), "--db", str(db)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="session")
def screening_env(screening_db: Path):
    store = Store(f"sqlite:///{screening_db}")
    policy = load_policy([FIXTURE_POLICY])
    screener = build_screener(store)
    yield store, policy, screener
    store.close()
