"""Every benchmark writes its section of docs/benchmarks.md with ``publish_section``: its own
section replaced, every other byte of the document kept, so one run never clobbers another's
figures. Run on a copy of a small document with headings that begin alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from doc_sections import publish_section

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sections.md"
PARTY_MATCHING = """\
## Party matching

Measured at commit `aaaaaaa`.

### Dev set

| system | F1 |
|---|---|
| corridor | 0.981 |

"""


@pytest.fixture()
def doc(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE, tmp_path / "benchmarks.md"))


def test_replaces_only_its_own_section(doc: Path) -> None:
    """The section "Party matching" is replaced, its subsection with it; the sections whose
    headings begin alike ("… at scale", "…: robustness") and all the others stay as they were."""
    original = SAMPLE.read_text(encoding="utf-8")
    assert original.count(PARTY_MATCHING) == 1
    publish_section("Party matching", "Measured at commit `bbbbbbb`.\n\nF1 0.990\n", doc=doc)
    new_section = "## Party matching\n\nMeasured at commit `bbbbbbb`.\n\nF1 0.990\n\n"
    assert doc.read_bytes() == original.replace(PARTY_MATCHING, new_section).encode("utf-8")


def test_replaces_the_last_section(doc: Path) -> None:
    original = SAMPLE.read_text(encoding="utf-8")
    last = original.index("## Party matching: robustness")
    publish_section("Party matching: robustness", "now: F1=0.99", doc=doc)
    assert doc.read_text(encoding="utf-8") == (
        original[:last] + "## Party matching: robustness\n\nnow: F1=0.99\n"
    )


def test_appends_a_new_section(doc: Path) -> None:
    original = SAMPLE.read_text(encoding="utf-8")
    publish_section("Trade screening", "| step | time |", doc=doc)
    assert doc.read_text(encoding="utf-8") == original + "\n## Trade screening\n\n| step | time |\n"


def test_the_same_figures_twice_leave_the_same_bytes(doc: Path) -> None:
    publish_section("List import", "parse only 0.45 s", doc=doc)
    once = doc.read_bytes()
    publish_section("List import", "parse only 0.45 s", doc=doc)
    assert doc.read_bytes() == once


def test_prints_the_section(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_section("List import", "parse only 0.45 s", doc=doc)
    assert capsys.readouterr().out == "parse only 0.45 s\n"


def test_no_doc_only_prints(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    publish_section("List import", "parse only 0.45 s", write=False, doc=doc)
    assert capsys.readouterr().out == "parse only 0.45 s\n"
    assert doc.read_bytes() == SAMPLE.read_bytes()
