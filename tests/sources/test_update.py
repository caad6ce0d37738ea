"""The list update on the real official files and a real SQLite database: what is imported,
what is skipped as unchanged, and a broken file failing alone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from defusedxml import ElementTree

from corridor.errors import CorridorError
from corridor.sources.update import (
    DatasetFiles,
    DatasetUpdate,
    Tick,
    UpdateProgress,
    UpdateStatus,
    apply_delta_file,
    local_files,
    update_lists,
)
from corridor.store import Store, dataset_hash

UN, BIS, CSL = "un_sc_sanctions", "us_bis_denied", "us_trade_csl"
UN_XML = Path("un/UN_consolidated.xml")
DPL = Path("bis/dpl.txt")
DPL_2023 = Path("bis_dpl_2023/dpl.txt")


@pytest.fixture()
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture()
def one_release(lists_dir: Path, tmp_path: Path) -> Path:
    """A directory with one release each of the UN list and the DPL (of 2022)."""
    directory = tmp_path / "one"
    copy_into(directory, UN_XML, lists_dir / UN_XML)
    copy_into(directory, DPL, lists_dir / DPL)
    return directory


def copy_into(directory: Path, rel: Path, source: Path) -> Path:
    target = directory / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def cut_in_half(path: Path) -> None:
    """Cut the file in the middle of a line, as an interrupted download does."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_update_imports_each_dataset(store: Store, one_release: Path, lists_dir: Path) -> None:
    results = update_lists(store, names=[UN, BIS], from_dir=one_release)
    assert [(r.dataset, r.status) for r in results] == [
        (UN, UpdateStatus.IMPORTED),
        (BIS, UpdateStatus.IMPORTED),
    ]
    un, bis = results
    root = ElementTree.parse(lists_dir / UN_XML).getroot()
    people = len(root.findall("./INDIVIDUALS/INDIVIDUAL"))
    orgs = len(root.findall("./ENTITIES/ENTITY"))
    assert un.counts == {"Person": people, "Organization": orgs}
    assert un.snapshot == store.active_snapshot(UN)
    assert un.snapshot.entity_count == people + orgs
    assert un.snapshot.list_date == root.get("dateGenerated")[:10]
    assert un.snapshot.source == str((one_release / "un").resolve())
    assert un.file_hash == dataset_hash([lists_dir / UN_XML])
    assert bis.snapshot == store.active_snapshot(BIS)
    assert bis.counts == store.count_entities(BIS, bis.snapshot.id)
    assert sum(bis.counts.values()) == bis.snapshot.entity_count > 0
    assert all(r.error is None and r.seconds > 0 for r in results)


def test_same_files_again_are_unchanged_unless_forced(store: Store, one_release: Path) -> None:
    [first] = update_lists(store, names=[BIS], from_dir=one_release)
    [again] = update_lists(store, names=[BIS], from_dir=one_release)
    assert again.status is UpdateStatus.UNCHANGED
    assert again.snapshot == first.snapshot and again.file_hash == first.file_hash
    assert store.snapshots(BIS) == [first.snapshot]
    [forced] = update_lists(store, names=[BIS], from_dir=one_release, force=True)
    assert forced.status is UpdateStatus.IMPORTED
    assert forced.snapshot.id != first.snapshot.id and forced.snapshot.active


def test_every_release_oldest_first_the_newest_active(store: Store, lists_dir: Path) -> None:
    """The mirror's two DPL releases: both stored, the 2023 one active; a re-run and a
    later import of the older release alone change nothing."""
    old, new = update_lists(store, names=[BIS], from_dir=lists_dir)
    assert (old.release, new.release) == ("bis/dpl.txt", "bis_dpl_2023/dpl.txt")
    assert (old.snapshot.list_date, new.snapshot.list_date) == ("2022-09-02", "2023-11-28")
    assert store.active_snapshot(BIS) == new.snapshot
    assert [s.id for s in store.snapshots(BIS)] == [new.snapshot.id, old.snapshot.id]
    again = update_lists(store, names=[BIS], from_dir=lists_dir)
    assert [u.status for u in again] == [UpdateStatus.UNCHANGED] * 2
    assert store.active_snapshot(BIS) == new.snapshot


def test_an_older_release_imported_later_is_kept_as_history(
    store: Store, lists_dir: Path, tmp_path: Path
) -> None:
    newer, older = tmp_path / "newer", tmp_path / "older"
    copy_into(newer, DPL, lists_dir / DPL_2023)
    copy_into(older, DPL, lists_dir / DPL)
    [first] = update_lists(store, from_dir=newer)
    [late] = update_lists(store, from_dir=older)
    assert late.status is UpdateStatus.IMPORTED and not late.snapshot.active
    assert store.active_snapshot(BIS) == first.snapshot
    assert store.active_snapshots(as_of="2023-01-01")[0].id == late.snapshot.id


def test_undated_releases_are_dated_by_the_user_or_ordered_by_ent_num(
    store: Store, lists_dir: Path
) -> None:
    """The two SDN CSV releases carry no date: the one with the higher ent_nums (2024) is
    imported last without dates; --list-date RELEASE=DATE dates each for as-of reads."""
    names = ["us_ofac_sdn"]
    undated = local_files(lists_dir, names)
    assert [f.release for f in undated] == ["ofac/sdn.csv", "ofac_sdn_2024/sdn.csv"]
    dated = local_files(lists_dir, names, {"ofac": "2021-07-07", "ofac_sdn_2024": "2024-05-03"})
    assert [f.published for f in dated] == ["2021-07-07", "2024-05-03"]
    with pytest.raises(CorridorError, match="no release under"):
        local_files(lists_dir, names, {"ofac_2099": "2099-01-01"})


def test_a_corrupt_file_fails_alone(
    store: Store, lists_dir: Path, shared_dir: Path, tmp_path: Path
) -> None:
    """A truncated UN list keeps its previous snapshot; the newer BIS list still goes in."""
    one = tmp_path / "one"
    copy_into(one, UN_XML, lists_dir / UN_XML)
    copy_into(one, DPL, lists_dir / DPL)
    before = {r.dataset: r.snapshot for r in update_lists(store, names=[UN, BIS], from_dir=one)}
    later = tmp_path / "lists"
    cut_in_half(copy_into(later, UN_XML, lists_dir / UN_XML))
    other_release = shared_dir / "data" / "lists" / "bis_dpl_2023" / "dpl.txt"
    copy_into(later, DPL, other_release)

    un, bis = update_lists(store, from_dir=later)

    assert un.dataset == UN and un.status is UpdateStatus.FAILED and un.failed
    assert un.snapshot is None and un.error is not None
    assert un.error.startswith(f"{later / UN_XML}:line ")
    assert "malformed XML" in un.error
    assert store.active_snapshot(UN) == before[UN]
    assert [s.id for s in store.snapshots(UN)] == [before[UN].id]

    assert bis.dataset == BIS and bis.status is UpdateStatus.IMPORTED
    assert bis.snapshot == store.active_snapshot(BIS) != before[BIS]
    assert bis.file_hash == dataset_hash([other_release])


def test_request_errors_are_raised_before_anything_is_done(
    store: Store, lists_dir: Path, tmp_path: Path
) -> None:
    with pytest.raises(CorridorError, match="unknown dataset nope; known: eu_fsf, "):
        update_lists(store, names=["nope"], from_dir=lists_dir)
    with pytest.raises(CorridorError, match="list date 'July' is not a date"):
        update_lists(store, from_dir=lists_dir, list_date="July")
    with pytest.raises(CorridorError, match="not a directory"):
        update_lists(store, from_dir=tmp_path / "missing")
    with pytest.raises(CorridorError, match="no known list files found"):
        update_lists(store, from_dir=tmp_path)
    with pytest.raises(CorridorError, match=r"no files for eu_fsf; expected eu/xmlFull"):
        local_files(lists_dir, ["eu_fsf"])
    assert store.snapshots() == []


def test_list_date_dates_only_lists_without_one(store: Store, lists_dir: Path) -> None:
    """The CSL file carries no date; the UN XML states its own, which wins. The CSL's
    source lists are imported together, one snapshot each, all from the one file."""
    un, *csl = update_lists(store, names=[UN, CSL], from_dir=lists_dir, list_date="2021-07-07")
    assert un.snapshot.list_date == "2026-02-27"
    assert {u.dataset for u in csl} >= {"us_bis_entity", "us_bis_uvl", "us_trade_csl_sdn"}
    assert {u.snapshot.list_date for u in csl} == {"2021-07-07"}
    assert len({u.file_hash for u in csl}) == 1
    [found] = local_files(lists_dir, ["us_bis_entity"])
    gz = lists_dir / "us_csl_2022" / "consolidated.csv.gz"
    assert found == DatasetFiles(
        CSL, (gz,), str(gz.parent.resolve()), release="us_csl_2022/consolidated.csv.gz"
    )


class Recorder(UpdateProgress):
    """Keeps what a front end would be shown, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.ticks: list[int] = []

    @contextmanager
    def importing(self, dataset: str, expected: int | None) -> Iterator[Tick]:
        self.events.append(("importing", dataset))
        yield self.ticks.append

    def finished(self, update: DatasetUpdate) -> None:
        self.events.append((update.status.value, update.dataset))


def test_progress_sees_each_import_and_each_result(store: Store, one_release: Path) -> None:
    first = Recorder()
    update_lists(store, names=[BIS], from_dir=one_release, progress=first)
    assert first.events == [("importing", BIS), ("imported", BIS)]
    assert first.ticks and first.ticks[-1] == store.active_snapshot(BIS).entity_count
    again = Recorder()
    update_lists(store, names=[BIS], from_dir=one_release, progress=again)
    assert again.events == [("unchanged", BIS)] and again.ticks == []


def test_delta_applied_once_and_a_bad_one_returned_as_failed(
    store: Store, shared_dir: Path, tmp_path: Path
) -> None:
    from corridor.sources.update import import_ftm_files

    samples = shared_dir / "data" / "opensanctions"
    base = import_ftm_files(store, "eu_fsf", [samples / "eu_fsf_sample.ftm.json"])
    assert base.status is UpdateStatus.IMPORTED
    applied = apply_delta_file(store, "eu_fsf", samples / "sample.delta.json")
    assert applied.status is UpdateStatus.IMPORTED and applied.snapshot.kind == "delta"
    again = apply_delta_file(store, "eu_fsf", samples / "sample.delta.json")
    assert again.status is UpdateStatus.UNCHANGED and again.snapshot == applied.snapshot
    bad = tmp_path / "bad.delta.json"
    bad.write_text('{"op": "UPSERT", "entity": {"id": "x", "schema": "Person"}}\n')
    failed = apply_delta_file(store, "eu_fsf", bad)
    assert failed.failed and "bad.delta.json:line 1" in failed.error
    missing = apply_delta_file(store, "eu_fsf", tmp_path / "none.json")
    assert missing.failed and missing.error == f"{tmp_path / 'none.json'}: no such file"
    assert store.active_snapshot("eu_fsf") == applied.snapshot
