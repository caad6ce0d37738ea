"""``corridor lists`` end to end on copies of the real list files (and the fixtures written
in the official layouts of the lists not available offline)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from defusedxml import ElementTree
from typer.testing import CliRunner

from corridor.cli import app
from corridor.model import Entity, validate_ftm
from corridor.sources import registry
from corridor.sources.ftm import SCREENING_SCHEMATA
from corridor.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

UN = "un_sc_sanctions"
SDN = "us_ofac_sdn"
UN_XML = Path("un/UN_consolidated.xml")
OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")

runner = CliRunner(env={"COLUMNS": "200"})


def corridor(*args: str, db: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lists", *args, "--db", db])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def copy_lists(lists_dir: Path, target: Path, *, un: bool = True, ofac: bool = True) -> Path:
    if un:
        (target / "un").mkdir(parents=True)
        shutil.copy(lists_dir / UN_XML, target / UN_XML)
    if ofac:
        (target / "ofac").mkdir(parents=True)
        for name in OFAC_FILES:
            shutil.copy(lists_dir / "ofac" / name, target / "ofac" / name)
    return target


@pytest.fixture(scope="module")
def loaded(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with the real lists imported once through the CLI."""
    db = str(tmp_path_factory.mktemp("cli") / "corridor.db")
    code, out, err = corridor("update", "--from", str(lists_dir), db=db)
    assert code == 0, err
    assert f"{UN}: imported" in out and f"{SDN}: imported" in out
    return db


def test_update_from_shared_imports_every_dataset(loaded: str, lists_dir: Path) -> None:
    root = ElementTree.parse(lists_dir / UN_XML).getroot()
    people = len(root.findall("./INDIVIDUALS/INDIVIDUAL"))
    orgs = len(root.findall("./ENTITIES/ENTITY"))
    with open(lists_dir / "ofac" / "sdn.csv", encoding="utf-8") as handle:
        sdn_rows = sum(1 for line in handle if line.count(",") >= 2)
    code, out, _ = corridor("status", db=loaded)
    assert code == 0
    un_row = next(line for line in out.splitlines() if UN in line)
    assert f"{people} Person, {orgs} Organization" in un_row
    assert root.get("dateGenerated")[:10] in un_row
    store = Store(loaded)
    releases = registry.find_releases(lists_dir)
    present = {d for r in releases for d in registry.datasets_of(r.dataset)}
    assert {UN, SDN, "gb_hmt_sanctions", "gb_fcdo_sanctions", "us_bis_entity"} <= present
    assert {s.dataset for s in store.active_snapshots()} == present
    # Two SDN releases and two DPL releases, the newest of each active.
    assert len(store.snapshots(SDN)) == len(store.snapshots("us_bis_denied")) == 2
    with open(lists_dir / "ofac_sdn_2024" / "sdn.csv", encoding="utf-8") as handle:
        rows_2024 = sum(1 for line in handle if line.count(",") >= 2)
    assert store.active_snapshot(SDN).entity_count == rows_2024
    assert sum(store.count_entities(SDN).values()) == rows_2024
    older = store.snapshots(SDN)[1]
    assert older.entity_count == sdn_rows and not older.active
    assert any("18 remarks cut at 1,000 characters" in g for g in store.active_snapshot(SDN).gaps)
    sdn_row = out[out.index(SDN) :]
    assert "lacks: released without alt.csv" in sdn_row


def test_status_json(loaded: str) -> None:
    code, out, _ = corridor("status", "--json", db=loaded)
    assert code == 0
    rows = {row["dataset"]: row for row in json.loads(out)}
    store = Store(loaded)
    sdn = store.active_snapshot(SDN)
    assert rows[SDN]["entity_count"] == sdn.entity_count
    assert rows[SDN]["file_hash"] == sdn.file_hash and rows[SDN]["version"] == sdn.version
    assert rows[UN]["schemata"] == store.count_entities(UN)


def test_same_files_again_are_unchanged_unless_forced(loaded: str, lists_dir: Path) -> None:
    before = Store(loaded).snapshots()
    code, out, _ = corridor("update", "--from", str(lists_dir), db=loaded)
    assert code == 0
    assert f"{UN}: unchanged" in out and f"{SDN}: unchanged" in out
    assert "imported" not in out
    assert Store(loaded).snapshots() == before


@pytest.mark.parametrize("dataset", [UN, SDN])
def test_export_round_trips(loaded: str, tmp_path: Path, dataset: str) -> None:
    target = tmp_path / f"{dataset}.ftm.json"
    args = ("export", dataset, "--format", "ftm", "--output", str(target))
    code, _, err = corridor(*args, db=loaded)
    assert code == 0, err
    store = Store(loaded)
    count = store.active_snapshot(dataset).entity_count
    assert f"exported {count:,} {dataset} entities" in err
    lines = target.read_text(encoding="utf-8").splitlines()
    exported = {e.id: e for e in (Entity.from_ftm(json.loads(line)) for line in lines)}
    assert len(lines) == len(exported) == count
    assert exported == {e.id: e for e in store.iter_entities([dataset])}
    for entity in exported.values():
        validate_ftm(entity)


def test_show_and_sample(loaded: str) -> None:
    code, out, _ = corridor("show", "us-ofac-sdn-306", db=loaded)
    assert code == 0 and "BANCO NACIONAL DE CUBA" in out and "us_ofac_sdn:306" in out
    code, _, err = corridor("show", "us-ofac-sdn-0", db=loaded)
    assert code == 1 and "no entity us-ofac-sdn-0" in err
    code, out, _ = corridor("sample", UN, "--limit", "1", db=loaded)
    assert code == 0 and "un_sc_sanctions:" in out and "us_ofac_sdn:" not in out


def _cut_mid_line(path: Path) -> None:
    """Cut the file in the middle of a line, as an interrupted download does."""
    data = path.read_bytes()
    cut = len(data) // 2
    while data[cut - 1 : cut] in (b"\n", b"\r"):
        cut += 1
    path.write_bytes(data[:cut])


def _external_entity(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    body = text[text.index("<CONSOLIDATED_LIST") :]
    doctype = '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    body = body.replace("<FIRST_NAME>", "<FIRST_NAME>&xxe;", 1)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + body, encoding="utf-8")


def _extra_column(path: Path) -> None:
    lines = path.read_bytes().split(b"\r\n")
    lines[99] = lines[99] + b',"extra"'
    path.write_bytes(b"\r\n".join(lines))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


BREAKS = [
    pytest.param(UN, UN_XML, _cut_mid_line, r"UN_consolidated\.xml.*line \d+", id="un-truncated"),
    pytest.param(UN, UN_XML, _external_entity, r"UN_consolidated\.xml", id="un-external-entity"),
    pytest.param(UN, UN_XML, _empty, r"UN_consolidated\.xml.*empty", id="un-empty"),
    pytest.param(SDN, Path("ofac/sdn.csv"), _extra_column, r"sdn\.csv:line 100", id="sdn-column"),
    pytest.param(SDN, Path("ofac/sdn.csv"), _empty, r"sdn\.csv.*empty", id="sdn-empty"),
    pytest.param(SDN, Path("ofac/alt.csv"), _cut_mid_line, r"alt\.csv", id="alt-truncated"),
]


@pytest.mark.parametrize(("dataset", "rel", "breaker", "message"), BREAKS)
def test_broken_copy_fails_cleanly_and_changes_nothing(
    loaded: str, lists_dir: Path, tmp_path: Path, dataset: str, rel: Path, breaker, message: str
) -> None:
    broken = copy_lists(lists_dir, tmp_path / "lists", un=dataset == UN, ofac=dataset == SDN)
    breaker(broken / rel)
    _, status_before, _ = corridor("status", db=loaded)
    snapshots_before = Store(loaded).snapshots()
    code, _, err = corridor("update", "--from", str(broken), db=loaded)
    assert code == 1
    errors = err.strip().splitlines()
    assert len(errors) == 1, err
    assert errors[0].startswith(f"error: {dataset}: ")
    assert re.search(message, errors[0]), errors[0]
    assert "Traceback" not in err
    assert corridor("status", db=loaded)[1] == status_before
    assert Store(loaded).snapshots() == snapshots_before


def _extra_field(delimiter: bytes) -> Callable[[Path], None]:
    """Add one field to the last row: a file in a layout the parser does not know."""

    def breaker(path: Path) -> None:
        lines = path.read_bytes().rstrip(b"\r\n").split(b"\n")
        lines[-1] = lines[-1].rstrip(b"\r") + delimiter + b'"extra"'
        path.write_bytes(b"\n".join(lines) + b"\n")

    return breaker


def _shared(lists_dir: Path, rel: str) -> Path:
    return lists_dir / rel


def _fixture(_: Path, rel: str) -> Path:
    return FIXTURES / rel


#: Every other format: (dataset, local file, where the good file is, breaker, error text).
FORMAT_BREAKS = [
    ("us_ofac_sdn", "ofac/sdn.xml", _fixture, _cut_mid_line, r"sdn\.xml:line \d+: malformed XML"),
    (
        "us_ofac_cons",
        "ofac/consolidated.xml",
        _fixture,
        _cut_mid_line,
        r"consolidated\.xml:line \d+: malformed XML",
    ),
    ("eu_fsf", "eu/eu_fsf.xml", _fixture, _cut_mid_line, r"eu_fsf\.xml:line \d+: malformed XML"),
    (
        "gb_hmt_sanctions",
        "uk/ConList.csv",
        _fixture,
        _extra_field(b","),
        r"ConList\.csv:line \d+: row has \d+ columns",
    ),
    (
        "gb_fcdo_sanctions",
        "uk/UK-Sanctions-List.csv",
        _fixture,
        _extra_field(b","),
        r"UK-Sanctions-List\.csv:line \d+: row has \d+ columns",
    ),
    (
        "us_bis_denied",
        "bis/dpl.txt",
        _shared,
        _extra_field(b"\t"),
        r"dpl\.txt:line 582: row has 13 columns, expected 12",
    ),
    (
        "us_trade_csl",
        "us_csl_2022/consolidated.csv.gz",
        _shared,
        _cut_mid_line,
        r"consolidated\.csv\.gz: not a complete gzip file",
    ),
    (
        "us_ofac_sdn",
        "ofac_sdn_2024/sdn.csv",
        _shared,
        _cut_mid_line,
        r"sdn\.csv:line \d+: (malformed CSV|row has)",
    ),
    (
        "us_bis_denied",
        "bis_dpl_2023/dpl.txt",
        _shared,
        _extra_field(b"\t"),
        r"dpl\.txt:line 666: row has 13 columns, expected 12",
    ),
    (
        "us_ofac_cons",
        "ofac_non_sdn_2025/CONS_ENHANCED.ZIP",
        _shared,
        _cut_mid_line,
        r"CONS_ENHANCED\.ZIP: not a complete ZIP archive",
    ),
    (
        "us_ofac_cons",
        "ofac_non_sdn_2025/cons_prim.csv",
        _shared,
        _extra_field(b","),
        r"cons_prim\.csv:line \d+: row has \d+ columns",
    ),
    (
        "gb_hmt_sanctions",
        "uk_2025/ConList.xlsx",
        _shared,
        _cut_mid_line,
        r"ConList\.xlsx: not a readable XLSX workbook",
    ),
    (
        "gb_fcdo_sanctions",
        "uk_2025/FCDO_SL_Mon_Aug_11_2025.ods",
        _shared,
        _cut_mid_line,
        r"FCDO_SL_Mon_Aug_11_2025\.ods: not a complete ZIP archive",
    ),
    (
        "kz_afmrk_sanctions",
        "kz/afmrk_terrorism.xml",
        _fixture,
        _cut_mid_line,
        r"afmrk_terrorism\.xml:line \d+: malformed XML",
    ),
]


@pytest.mark.parametrize(
    ("dataset", "rel", "source", "breaker", "message"),
    FORMAT_BREAKS,
    ids=[c[1] for c in FORMAT_BREAKS],
)
def test_broken_copy_of_each_format(
    lists_dir: Path, tmp_path: Path, dataset: str, rel: str, source, breaker, message: str
) -> None:
    db = str(tmp_path / "c.db")
    good, broken = tmp_path / "good" / rel, tmp_path / "broken" / rel
    for target in (good, broken):
        target.parent.mkdir(parents=True)
        shutil.copy(source(lists_dir, rel), target)
    code, out, err = corridor("update", "--from", str(tmp_path / "good"), db=db)
    assert code == 0 and ": imported" in out, err
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
    _cut_mid_line(broken)
    code, _, err = corridor("load-ftm", "eu_fsf", str(broken), db=db)
    assert code == 1
    [line] = err.strip().splitlines()
    assert re.search(rf"{re.escape(str(broken))}:line \d+: not valid JSON", line), line
    assert corridor("status", db=db)[1] == status_before


def test_list_cut_at_a_row_boundary_is_refused_unless_forced(
    lists_dir: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "c.db")
    good, cut = tmp_path / "good" / "bis" / "dpl.txt", tmp_path / "cut" / "bis" / "dpl.txt"
    for target in (good, cut):
        target.parent.mkdir(parents=True)
    shutil.copy(lists_dir / "bis" / "dpl.txt", good)
    cut.write_bytes(b"".join(good.read_bytes().splitlines(keepends=True)[:101]))
    assert corridor("update", "--from", str(tmp_path / "good"), db=db)[0] == 0
    before = Store(db).snapshots()
    code, _, err = corridor("update", "--from", str(tmp_path / "cut"), db=db)
    assert code == 1
    [line] = err.strip().splitlines()
    assert "us_bis_denied has" in line and "under half of the" in line and "--force" in line
    assert Store(db).snapshots() == before
    code, out, _ = corridor("update", "--from", str(tmp_path / "cut"), "--force", db=db)
    assert code == 0 and "us_bis_denied: imported" in out
    assert Store(db).active_snapshot("us_bis_denied").entity_count < before[0].entity_count


def test_one_broken_dataset_does_not_block_the_other(lists_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    broken = copy_lists(lists_dir, tmp_path / "lists", ofac=False)
    (broken / "ofac").mkdir()
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        (broken / "ofac" / name).write_bytes(b"")
    code, out, err = corridor("update", "--from", str(broken), db=db)
    assert code == 1 and f"{UN}: imported" in out and f"error: {SDN}:" in err
    assert [s.dataset for s in Store(db).active_snapshots()] == [UN]


def _next_un_version(source: Path, target: Path) -> tuple[str, str]:
    """A later UN list: a new date, the first individual delisted. Returns its id and name."""
    text = source.read_text(encoding="utf-8")
    later = 'dateGenerated="2026-03-15T00:00:00.000Z"'
    text = re.sub(r'dateGenerated="[^"]+"', later, text, count=1)
    start = text.index("<INDIVIDUAL>")
    end = text.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>")
    block = text[start:end]
    dataid = re.search(r"<DATAID>(\d+)</DATAID>", block).group(1)
    first = re.search(r"<FIRST_NAME>([^<]+)</FIRST_NAME>", block).group(1).strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text[:start] + text[end:], encoding="utf-8")
    return dataid, first


def test_diff_history_and_as_of_after_a_new_version(lists_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    old_dir = copy_lists(lists_dir, tmp_path / "v1", ofac=False)
    assert corridor("update", "--from", str(old_dir), db=db)[0] == 0
    new_dir = tmp_path / "v2"
    dataid, first_name = _next_un_version(lists_dir / UN_XML, new_dir / UN_XML)
    assert corridor("update", "--from", str(new_dir), db=db)[0] == 0

    code, out, _ = corridor("diff", UN, db=db)
    assert code == 0
    assert "0 added, 1 removed, 0 changed" in out
    assert f"un-sc-sanctions-{dataid}" in out and first_name in out

    first, second = sorted(s.id for s in Store(db).snapshots(UN))
    code, out, _ = corridor("diff", UN, "--old", str(second), "--new", str(first), db=db)
    assert code == 0 and "1 added, 0 removed, 0 changed" in out
    code, _, err = corridor("diff", UN, "--old", "999", db=db)
    assert code == 1 and "has no snapshot 999" in err

    code, out, _ = corridor("history", UN, db=db)
    assert code == 0 and "2026-03-15" in out and "2026-02-27" in out

    store = Store(db)
    gone = f"un-sc-sanctions-{dataid}"
    assert store.get_entity(gone) is None
    assert store.get_entity(gone, as_of="2026-03-01") is not None
    old_ids = {e.id for e in store.iter_entities([UN], as_of="2026-03-01")}
    new_ids = {e.id for e in store.iter_entities([UN])}
    assert old_ids - new_ids == {gone}
    code, out, _ = corridor("status", "--as-of", "2026-03-01", db=db)
    assert code == 0 and "2026-02-27" in out and "2026-03-15" not in out


def test_unknown_dataset_and_missing_dir_are_clear(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    code, _, err = corridor("update", "--from", str(tmp_path), "--dataset", "nope", db=db)
    assert code == 1 and "unknown dataset nope" in err
    code, _, err = corridor("update", "--from", str(tmp_path), db=db)
    assert code == 1 and "no known list files" in err
    code, _, err = corridor("diff", UN, db=db)
    assert code == 1 and "never been loaded" in err
    code, out, _ = corridor("status", db=db)
    assert code == 0 and "No lists loaded" in out


def test_load_ftm_then_apply_opensanctions_delta(shared_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    full = shared_dir / "data" / "opensanctions" / "eu_fsf_sample.ftm.json"
    delta = shared_dir / "data" / "opensanctions" / "sample.delta.json"
    rows = [json.loads(line) for line in full.read_text(encoding="utf-8").splitlines() if line]
    lines = [row for row in rows if row["schema"] in SCREENING_SCHEMATA]
    assert 0 < len(lines) < len(rows)  # the export also holds non-target records
    ops = [json.loads(line) for line in delta.read_text(encoding="utf-8").splitlines() if line]
    code, out, err = corridor("load-ftm", "eu_fsf", str(full), db=db)
    assert code == 0, err
    store = Store(db)
    base = store.active_snapshot("eu_fsf")
    assert base.entity_count == len(lines)
    code, out, err = corridor("load-delta", "eu_fsf", str(delta), db=db)
    assert code == 0, err
    snap = store.active_snapshot("eu_fsf")
    assert snap.kind == "delta" and snap.id != base.id
    added = {o["entity"]["id"] for o in ops if o["op"] == "ADD"} - {d["id"] for d in lines}
    assert added and snap.entity_count == len(lines) + len(added)
    entity = store.get_entity(sorted(added)[0])
    assert entity is not None and entity.dataset == "eu_fsf"
    code, out, _ = corridor("diff", "eu_fsf", db=db)
    assert code == 0 and f"{len(added)} added, 0 removed" in out
    code, out, _ = corridor("load-delta", "eu_fsf", str(delta), db=db)
    assert code == 0 and "unchanged" in out
    bad = tmp_path / "bad.delta.json"
    bad.write_text('{"op": "UPSERT", "entity": {"id": "x", "schema": "Person"}}\n')
    code, _, err = corridor("load-delta", "eu_fsf", str(bad), db=db)
    assert code == 1 and "bad.delta.json:line 1" in err and "UPSERT" in err
    assert store.active_snapshot("eu_fsf") == snap


def test_prune_command(lists_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    source = copy_lists(lists_dir, tmp_path / "v1", ofac=False)
    for _ in range(3):
        assert corridor("update", "--from", str(source), "--force", db=db)[0] == 0
    code, out, _ = corridor("prune", "--keep", "1", db=db)
    assert code == 0 and f"{UN}: deleted 2 snapshot(s)" in out
    [snap] = Store(db).snapshots(UN)
    assert snap.active


def test_export_of_unloaded_dataset_writes_no_file(loaded: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, _, err = corridor("export", "eu_fsf", "--output", str(target), db=loaded)
    assert code == 1 and "eu_fsf is not loaded" in err
    assert list(tmp_path.iterdir()) == []


def test_list_date_option_dates_undated_lists_only(lists_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    source = copy_lists(lists_dir, tmp_path / "lists")
    code, _, err = corridor("update", "--from", str(source), "--list-date", "July", db=db)
    assert code == 1 and "'July' is not a date" in err
    code, _, err = corridor("update", "--from", str(source), "--list-date", "2021-07-07", db=db)
    assert code == 0, err
    store = Store(db)
    assert store.active_snapshot(SDN).list_date == "2021-07-07"
    assert store.active_snapshot(UN).list_date != "2021-07-07"  # the XML states its own
    assert [s.dataset for s in store.active_snapshots(as_of="2021-08-01")] == [SDN]
