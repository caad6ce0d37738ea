"""A broken copy of every list format fails with one line naming the file and line, exit 1,
and leaves ``lists status`` exactly as it was (UN and OFAC CSV: see test_lists_cli.py)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
runner = CliRunner(env={"COLUMNS": "200"})


def corridor(*args: str, db: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lists", *args, "--db", db])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def truncate(path: Path) -> None:
    """Cut the file in the middle of a line, as an interrupted download does."""
    data = path.read_bytes()
    cut = len(data) // 2
    while data[cut - 1 : cut] in (b"\n", b"\r"):
        cut += 1
    path.write_bytes(data[:cut])


def extra_column(delimiter: bytes) -> Callable[[Path], None]:
    """Add one field to the last row: a file in a layout the parser does not know."""

    def breaker(path: Path) -> None:
        lines = path.read_bytes().rstrip(b"\r\n").split(b"\n")
        lines[-1] = lines[-1].rstrip(b"\r") + delimiter + b'"extra"'
        path.write_bytes(b"\n".join(lines) + b"\n")

    return breaker


def shared(lists_dir: Path, rel: str) -> Path:
    return lists_dir / rel


def fixture(_: Path, rel: str) -> Path:
    return FIXTURES / rel


#: (dataset, local file name, where the good file is, breaker, what the error must say)
CASES = [
    ("us_ofac_sdn", "ofac/sdn.xml", fixture, truncate, r"sdn\.xml:line \d+: malformed XML"),
    ("us_ofac_cons", "ofac/consolidated.xml", fixture, truncate,
     r"consolidated\.xml:line \d+: malformed XML"),
    ("eu_fsf", "eu/eu_fsf.xml", fixture, truncate, r"eu_fsf\.xml:line \d+: malformed XML"),
    ("gb_hmt_sanctions", "uk/ConList.csv", fixture, extra_column(b","),
     r"ConList\.csv:line \d+: row has \d+ columns"),
    ("gb_fcdo_sanctions", "uk/UK-Sanctions-List.csv", fixture, extra_column(b","),
     r"UK-Sanctions-List\.csv:line \d+: row has \d+ columns"),
    ("us_bis_denied", "bis/dpl.txt", shared, extra_column(b"\t"),
     r"dpl\.txt:line 582: row has 13 columns, expected 12"),
    ("us_trade_csl", "us_csl_sample.csv", shared, truncate,
     r"us_csl_sample\.csv:line \d+: (malformed CSV|row has)"),
]


@pytest.mark.parametrize(("dataset", "rel", "source", "breaker", "message"), CASES,
                         ids=[c[1] for c in CASES])
def test_broken_copy_of_each_format(
    lists_dir: Path, tmp_path: Path, dataset: str, rel: str, source, breaker, message: str
) -> None:
    db = str(tmp_path / "c.db")
    good, broken = tmp_path / "good" / rel, tmp_path / "broken" / rel
    for target in (good, broken):
        target.parent.mkdir(parents=True)
        shutil.copy(source(lists_dir, rel), target)
    code, out, err = corridor("update", "--from", str(tmp_path / "good"), db=db)
    assert code == 0 and f"{dataset}: imported" in out, err
    _, status_before, _ = corridor("status", db=db)
    snapshots_before = Store(db).snapshots()

    breaker(broken)
    code, _, err = corridor("update", "--from", str(tmp_path / "broken"), db=db)
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: {dataset}: {broken}"), line
    assert re.search(message, line), line
    assert corridor("status", db=db)[1] == status_before
    assert Store(db).snapshots() == snapshots_before


def test_broken_ftm_export_changes_nothing(shared_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    good = shared_dir / "data" / "opensanctions" / "eu_fsf_sample.ftm.json"
    assert corridor("load-ftm", "eu_fsf", str(good), db=db)[0] == 0
    _, status_before, _ = corridor("status", db=db)
    broken = tmp_path / "eu_fsf.ftm.json"
    shutil.copy(good, broken)
    truncate(broken)
    code, _, err = corridor("load-ftm", "eu_fsf", str(broken), db=db)
    assert code == 1
    [line] = err.strip().splitlines()
    assert re.search(rf"{re.escape(str(broken))}:line \d+: not valid JSON", line), line
    assert corridor("status", db=db)[1] == status_before
