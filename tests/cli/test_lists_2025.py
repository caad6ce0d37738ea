"""The 2022-2025 files of the mirror, loaded as `corridor lists update --from` loads them:
each dataset's counts, counted here from the files with other tools than the parsers, the
SDN and DPL history, and searches that must find the 2024-2025 designations."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.sources.registry import CSL_LISTS
from corridor.store import Store

runner = CliRunner(env={"COLUMNS": "200"})

#: The dates the mirror's README gives for the releases whose files carry none.
README_DATES = ["ofac=2021-07-07", "ofac_sdn_2024=2024-05-03"]


@pytest.fixture(scope="module")
def all_lists(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("all") / "corridor.db")
    dates = [arg for date in README_DATES for arg in ("--list-date", date)]
    result = runner.invoke(app, ["lists", "update", "--from", str(lists_dir), *dates, "--db", db])
    assert result.exit_code == 0, result.output
    return db


def _ofac_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("cp1252")
    return [r for r in csv.reader(io.StringIO(text, newline="")) if len(r) >= 2]


def test_sdn_2024_counts_and_history(all_lists: str, lists_dir: Path) -> None:
    rows = _ofac_rows(lists_dir / "ofac_sdn_2024" / "sdn.csv")
    kinds = Counter(r[2].strip() for r in rows)
    store = Store(all_lists)
    active = store.active_snapshot("us_ofac_sdn")
    assert active.list_date == "2024-05-03" and active.entity_count == len(rows) == 14965
    assert store.count_entities("us_ofac_sdn") == {
        "Organization": kinds["-0-"],
        "Person": kinds["individual"],
        "Vessel": kinds["vessel"],
        "Airplane": kinds["aircraft"],
    }
    cut = sum(1 for r in rows if len(r[11]) == 1000)
    assert f"released without sdn_comments.csv: {cut} remarks cut at 1,000 characters" in (
        " ".join(active.gaps)
    )
    older = [s for s in store.snapshots("us_ofac_sdn") if not s.active]
    assert [s.list_date for s in older] == ["2021-07-07"]
    as_of = {s.dataset: s for s in store.active_snapshots(as_of="2022-06-01")}
    assert as_of["us_ofac_sdn"].id == older[0].id  # the release in force then


def test_sdn_diff_2021_to_2024_lists_thousands_of_additions(all_lists: str) -> None:
    result = runner.invoke(app, ["lists", "diff", "us_ofac_sdn", "--limit", "3", "--db", all_lists])
    assert result.exit_code == 0, result.output
    headline = result.stdout.splitlines()[0]
    added = int(re.search(r"([\d,]+) added", headline)[1].replace(",", ""))
    assert added > 5000
    assert "RUSSIA-EO14024" in result.stdout


def test_dpl_two_releases(all_lists: str, lists_dir: Path) -> None:
    store = Store(all_lists)
    snaps = store.snapshots("us_bis_denied")
    assert [s.list_date for s in snaps] == ["2023-11-28", "2022-09-02"]
    with open(lists_dir / "bis_dpl_2023" / "dpl.txt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    parties = {(" ".join(r["Name"].upper().split()), r["Effective_Date"].strip()) for r in rows}
    assert snaps[0].entity_count == len(parties)


def test_ofsi_xlsx_one_target_per_group(all_lists: str, lists_dir: Path) -> None:
    book = openpyxl.load_workbook(lists_dir / "uk_2025" / "ConList.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = list(rows[1])
    group, kind = header.index("Group ID"), header.index("Group Type")
    groups = {r[group]: r[kind] for r in rows[2:] if r[group]}
    store = Store(all_lists)
    snap = store.active_snapshot("gb_hmt_sanctions")
    assert snap.list_date == "2025-04-14" and snap.entity_count == len(groups) == 4688
    by_type = Counter(groups.values())
    assert store.count_entities("gb_hmt_sanctions") == {
        "Person": by_type["Individual"],
        "Organization": by_type["Entity"],
        "Vessel": by_type["Ship"],
    }


def test_fcdo_summary_counts(all_lists: str, lists_dir: Path) -> None:
    with zipfile.ZipFile(lists_dir / "uk_2025" / "FCDO_SL_Mon_Aug_11_2025.ods") as ods:
        content = ods.read("content.xml").decode("utf-8")
    ids = re.findall(r"<text:p>([A-Z]{2,5}\d{4})</text:p>", content)
    types = Counter(re.findall(r"<text:p>(Individual|Entity|Ship)</text:p>", content))
    store = Store(all_lists)
    snap = store.active_snapshot("gb_fcdo_sanctions")
    assert snap.list_date == "2025-08-11" and snap.entity_count == len(set(ids)) == 5302
    assert store.count_entities("gb_fcdo_sanctions") == {
        "Person": types["Individual"],
        "Organization": types["Entity"],
        "Vessel": types["Ship"],
    }


def test_ofac_consolidated_two_forms(all_lists: str, lists_dir: Path) -> None:
    folder = lists_dir / "ofac_non_sdn_2025"
    with zipfile.ZipFile(folder / "CONS_ENHANCED.ZIP") as archive:
        xml = archive.read("CONS_ENHANCED.XML").decode("utf-8")
    enhanced = len(re.findall(r"<entity id=\"\d+\">", xml))
    prim = len(_ofac_rows(folder / "cons_prim.csv"))
    store = Store(all_lists)
    snaps = store.snapshots("us_ofac_cons")
    # The XML states its date (2025-01-10); the CSV set none, so it counts as the newer.
    assert [(s.list_date, s.entity_count) for s in snaps] == [
        (None, prim),
        ("2025-01-10", enhanced),
    ]


def test_csl_split_into_its_source_lists(all_lists: str, lists_dir: Path) -> None:
    with gzip.open(lists_dir / "us_csl_2022" / "consolidated.csv.gz", "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected: dict[str, set[tuple[str, ...]]] = {}
    for row in rows:
        code = re.search(r"\(([A-Z][A-Z-]*)(?: List)?\)", row["source"])[1]
        key = (
            (row["entity_number"],)
            if row["entity_number"]
            else (
                " ".join(row["name"].upper().split()),
                row["start_date"],
            )
        )
        expected.setdefault(CSL_LISTS[code][0], set()).add(key)
    store = Store(all_lists)
    counts = {d: store.active_snapshot(d).entity_count for d in expected}
    assert counts == {d: len(keys) for d, keys in expected.items()}
    assert sum(1 for r in rows if "Entity List" in r["source"]) == 2001


def test_search_finds_putin_and_sberbank_on_the_new_lists(all_lists: str) -> None:
    putin = runner.invoke(app, ["search", "Vladimir Putin", "--json", "--db", all_lists])
    assert putin.exit_code == 0, putin.output
    ids = {s for r in json.loads(putin.stdout) if r["match"] for s in r["source_ids"]}
    assert {"us_ofac_sdn:35096", "gb_hmt_sanctions:14196", "gb_fcdo_sanctions:RUS0251"} <= ids
    sber = runner.invoke(app, ["search", "Сбербанк", "--json", "--db", all_lists])
    hits = json.loads(sber.stdout)
    found = {s for r in hits if r["match"] for s in r["source_ids"]}
    assert {"gb_hmt_sanctions:15076", "us_ofac_sdn:18715"} <= found


def test_search_finds_a_uk_only_designation_with_its_fcdo_unique_id(all_lists: str) -> None:
    """JSC Metafrax Chemicals: designated by the UK on 2025-05-20, on no US list here."""
    result = runner.invoke(app, ["search", "Metafrax Chemicals", "--json", "--db", all_lists])
    [top, *_] = json.loads(result.stdout)
    assert top["match"] and top["source_ids"] == ["gb_fcdo_sanctions:RUS2708"]
