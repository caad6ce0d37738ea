"""The store on entities built in the test: snapshots, atomic imports, as-of, diff, deltas."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from corridor.errors import SourceError, StoreError
from corridor.model import Entity, ParsedList, validate_ftm
from corridor.store import Store

DS = "us_ofac_sdn"


def person(native: str, name: str, **props: str) -> Entity:
    ent = Entity.create(DS, native, "Person")
    ent.add("name", name)
    for key, value in props.items():
        ent.add(key, value)
    return ent


def org(native: str, name: str) -> Entity:
    ent = Entity.create(DS, native, "Organization")
    ent.add("name", name)
    return ent


def parsed(entities: list[Entity] | Iterator[Entity], list_date: str | None = None) -> ParsedList:
    return ParsedList(dataset=DS, list_date=list_date, entities=iter(entities))


def version_one() -> list[Entity]:
    return [
        person("1", "ZHUKOV, Sergey", birthDate="1966-09-08", nationality="ru"),
        person("2", "IVANOV, Ivan"),
        org("3", "BANK ROSSIYA"),
    ]


def version_two() -> list[Entity]:
    return [
        person("1", "ZHUKOV, Sergey", birthDate="1966-09-08", nationality="by"),
        org("3", "BANK ROSSIYA"),
        org("4", "NEW TRADING LLC"),
    ]


def table_counts(url: str) -> tuple[int, int]:
    """Rows in the two tables, read outside the Store so its own reads are not trusted."""
    engine = create_engine(url)
    with engine.connect() as conn:
        snaps = conn.execute(text("select count(*) from snapshot")).scalar_one()
        ents = conn.execute(text("select count(*) from entity")).scalar_one()
    engine.dispose()
    return snaps, ents


def test_import_creates_active_snapshot_and_reads_back(db_url: str) -> None:
    store = Store(db_url)
    snap = store.import_list(parsed(version_one(), "2021-07-07"), file_hash="a" * 64, source="t1")
    assert snap.active and snap.dataset == DS and snap.entity_count == 3
    assert snap.list_date == "2021-07-07" and snap.source == "t1"
    assert store.count_entities(DS) == {"Person": 2, "Organization": 1}
    assert sorted(e.id for e in store.iter_entities()) == sorted(e.id for e in version_one())
    got = store.get_entity("us-ofac-sdn-1")
    assert got == version_one()[0]
    assert store.get_entity("us-ofac-sdn-999") is None
    assert [s.id for s in store.active_snapshots()] == [snap.id]


def test_sqlite_store_uses_wal(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("WAL is SQLite's")
    Store(db_url)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_reimport_same_hash_is_unchanged_unless_forced(db_url: str) -> None:
    store = Store(db_url)
    first = store.import_list(parsed(version_one()), file_hash="a" * 64, source="t")
    again = store.import_list(parsed(version_one()), file_hash="a" * 64, source="t")
    assert again.id == first.id
    assert len(store.snapshots(DS)) == 1
    forced = store.import_list(parsed(version_one()), file_hash="a" * 64, source="t", force=True)
    assert forced.id != first.id and forced.active
    assert [s.active for s in store.snapshots(DS)] == [True, False]


def test_parser_error_mid_stream_leaves_database_unchanged(db_url: str) -> None:
    store = Store(db_url)
    good = store.import_list(parsed(version_one()), file_hash="a" * 64, source="good")
    before = table_counts(db_url)

    def broken() -> Iterator[Entity]:
        # Enough entities to flush several executemany batches before the failure.
        for i in range(5000):
            yield org(str(100 + i), f"COMPANY {i}")
        raise SourceError("unexpected end of file", path="sdn.csv", line=5001)

    with pytest.raises(SourceError, match="sdn.csv:line 5001"):
        store.import_list(parsed(broken()), file_hash="b" * 64, source="bad")
    assert table_counts(db_url) == before
    assert store.active_snapshots() == [good]
    assert store.count_entities(DS) == {"Person": 2, "Organization": 1}


def test_duplicate_ids_roll_back(db_url: str) -> None:
    store = Store(db_url)
    dup = version_one() + [person("1", "SOMEONE ELSE")]
    with pytest.raises(StoreError, match="us-ofac-sdn-1.*twice"):
        store.import_list(parsed(dup), file_hash="c" * 64, source="dup")
    assert store.snapshots() == []
    assert table_counts(db_url) == (0, 0)


def test_empty_or_much_smaller_list_is_refused_unless_forced(db_url: str) -> None:
    """A file cut at a row boundary parses cleanly; only its size gives it away."""
    store = Store(db_url)
    good = store.import_list(parsed(version_one()), file_hash="a" * 64, source="good")
    before = table_counts(db_url)
    with pytest.raises(StoreError, match="has no entities; nothing was changed"):
        store.import_list(parsed([]), file_hash="b" * 64, source="empty")
    with pytest.raises(StoreError, match="1 entities, under half of the 3 in the active"):
        store.import_list(parsed(version_one()[:1]), file_hash="c" * 64, source="cut")
    assert table_counts(db_url) == before
    assert store.active_snapshots() == [good]
    # Two of three is no sign of damage; a forced import takes what it is given.
    assert (
        store.import_list(
            parsed(version_one()[:2]), file_hash="d" * 64, source="smaller"
        ).entity_count
        == 2
    )
    assert (
        store.import_list(parsed([]), file_hash="e" * 64, source="empty", force=True).entity_count
        == 0
    )


def test_diff_and_older_snapshot_stay_available(db_url: str) -> None:
    store = Store(db_url)
    old = store.import_list(parsed(version_one(), "2021-07-01"), file_hash="a" * 64, source="v1")
    new = store.import_list(parsed(version_two(), "2021-08-01"), file_hash="b" * 64, source="v2")
    diff = store.diff(DS)
    assert diff.old == store.snapshots(DS)[1] and diff.new == store.snapshots(DS)[0]
    assert [(c.id, c.caption) for c in diff.added] == [("us-ofac-sdn-4", "NEW TRADING LLC")]
    assert [(c.id, c.caption) for c in diff.removed] == [("us-ofac-sdn-2", "IVANOV, Ivan")]
    assert [c.id for c in diff.changed] == ["us-ofac-sdn-1"]
    assert diff.changed[0].changes == {"nationality": (["ru"], ["by"])}
    # The old snapshot is still whole, and as-of reads pick it by list date.
    assert len(store.snapshot_entities(old.id)) == 3
    in_july = {e.id for e in store.iter_entities(as_of=date(2021, 7, 15))}
    assert in_july == {e.id for e in version_one()}
    assert store.get_entity("us-ofac-sdn-2", as_of="2021-07-15") is not None
    assert store.get_entity("us-ofac-sdn-2") is None
    assert [s.id for s in store.active_snapshots(as_of="2021-08-01")] == [new.id]
    assert store.active_snapshots(as_of="2021-06-30") == []


def test_diff_of_single_snapshot_lists_everything_added(db_url: str) -> None:
    store = Store(db_url)
    store.import_list(parsed(version_one()), file_hash="a" * 64, source="v1")
    diff = store.diff(DS)
    assert diff.old is None and len(diff.added) == 3 and not diff.removed
    assert store.diff("eu_fsf").new is None


def test_export_ftm_round_trips_and_validates(db_url: str) -> None:
    store = Store(db_url)
    store.import_list(parsed(version_one()), file_hash="a" * 64, source="v1")
    out = io.StringIO()
    assert store.export_ftm(DS, out) == 3
    back = [Entity.from_ftm(json.loads(line)) for line in out.getvalue().splitlines()]
    assert sorted(back, key=lambda e: e.id) == sorted(version_one(), key=lambda e: e.id)
    for ent in back:
        validate_ftm(ent)
    with pytest.raises(StoreError, match="not loaded"):
        store.export_ftm("eu_fsf", io.StringIO())


def test_apply_delta_builds_on_active_snapshot(db_url: str) -> None:
    store = Store(db_url)
    base = store.import_list(parsed(version_one(), "2021-07-01"), file_hash="a" * 64, source="v1")
    changed = person("2", "IVANOV, Ivan Petrovich")
    ops = [("ADD", org("5", "ADDED CORP")), ("MOD", changed), ("DEL", org("3", ""))]
    snap = store.apply_delta(DS, ops, file_hash="d" * 64, source="delta.json")
    assert snap.kind == "delta" and snap.active and snap.entity_count == 3
    assert snap.list_date == "2021-07-01"
    ids = {e.id for e in store.iter_entities([DS])}
    assert ids == {"us-ofac-sdn-1", "us-ofac-sdn-2", "us-ofac-sdn-5"}
    assert store.get_entity("us-ofac-sdn-2") == changed
    assert len(store.snapshot_entities(base.id)) == 3
    with pytest.raises(StoreError, match="unknown delta operation 'UPSERT'"):
        store.apply_delta(DS, [("UPSERT", org("6", "X"))], file_hash="e" * 64, source="bad")
    assert store.active_snapshots()[0].id == snap.id


def test_bad_database_url_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        Store("nosuchdriver://x/y")


def test_prune_keeps_newest_and_active(db_url: str) -> None:
    store = Store(db_url)
    for i, letter in enumerate("abcd"):
        store.import_list(
            parsed(version_one(), f"2021-0{i + 1}-01"), file_hash=letter * 64, source=letter
        )
    ids = [s.id for s in store.snapshots(DS)]
    assert store.prune(DS, keep=2) == ids[2:]
    assert [s.id for s in store.snapshots(DS)] == ids[:2]
    assert table_counts(db_url) == (2, 6)
    assert store.active_snapshots(as_of="2021-02-15") == []
    assert store.prune(DS, keep=2) == []
    with pytest.raises(StoreError, match="at least 1"):
        store.prune(DS, keep=0)


def test_database_error_mid_import_rolls_back(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite does not enforce column lengths; PostgreSQL does")
    store = Store(db_url)
    good = store.import_list(parsed(version_one()), file_hash="a" * 64, source="good")
    before = table_counts(db_url)
    too_long = org("x" * 300, "AN ID LONGER THAN THE COLUMN")
    entities = [org(str(100 + i), f"COMPANY {i}") for i in range(3000)] + [too_long]
    with pytest.raises(StoreError, match="rolled back"):
        store.import_list(parsed(entities), file_hash="b" * 64, source="bad")
    assert table_counts(db_url) == before
    assert store.active_snapshots() == [good]
