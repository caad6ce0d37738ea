"""The audit log: a chain of hashes that shows any edit, insertion, deletion or cut, on
SQLite and PostgreSQL, and stays one chain when writers race."""

from __future__ import annotations

import io
import json
import threading

import pytest
from case_helpers import OPERATOR
from sqlalchemy import delete, insert, select, text, update

from corridor.cases import audit
from corridor.cases.db import GENESIS_HASH, CaseStore
from corridor.cases.tables import audit_head_table, audit_table
from corridor.store import Store


def fill(cases: CaseStore, n: int) -> None:
    for i in range(n):
        audit.log(
            cases,
            actor="alice",
            action="test.event",
            subject=f"thing:{i}",
            payload={"n": i, "note": "ünïcode ✓"},
        )


def test_records_are_numbered_and_chained(cases: CaseStore) -> None:
    fill(cases, 3)
    records = audit.audit_records(cases)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash
    assert records[2].payload == {"n": 2, "note": "ünïcode ✓"}
    assert records[0].at == "2025-03-01T09:00:00.000000+00:00"
    assert audit.head(cases) == (3, records[2].hash)
    check = audit.verify_chain(cases)
    assert check.ok and check.records == 3 and check.first_bad is None


def test_an_empty_log_verifies(cases: CaseStore) -> None:
    check = audit.verify_chain(cases)
    assert check.ok and check.records == 0 and check.head_seq == 0


def _sql(cases: CaseStore, statement) -> None:
    with cases.engine.begin() as conn:
        conn.execute(statement)


@pytest.mark.parametrize("column", ["actor", "action", "subject", "at", "payload", "list_versions"])
def test_an_edited_field_names_its_record(cases: CaseStore, column: str) -> None:
    fill(cases, 5)
    value = {"payload": '{"n":999}', "list_versions": '{"x":"y"}'}.get(column, "mallory")
    _sql(cases, update(audit_table).where(audit_table.c.seq == 3).values({column: value}))
    check = audit.verify_chain(cases)
    assert not check.ok and check.first_bad == 3
    assert "record 3 was altered" in check.problem


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(cases: CaseStore) -> None:
    fill(cases, 5)
    with cases.engine.begin() as conn:
        row = conn.execute(select(audit_table).where(audit_table.c.seq == 2)).mappings().one()
        forged = audit.record_hash(
            seq=2,
            at=row["at"],
            actor="mallory",
            action=row["action"],
            subject=row["subject"],
            payload=json.loads(row["payload"]),
            list_versions=json.loads(row["list_versions"]),
            prev_hash=row["prev_hash"],
        )
        conn.execute(
            update(audit_table).where(audit_table.c.seq == 2).values(actor="mallory", hash=forged)
        )
    check = audit.verify_chain(cases)
    assert check.first_bad == 3 and "record 3 does not link to record 2" in check.problem


def test_a_deleted_record_is_a_gap(cases: CaseStore) -> None:
    fill(cases, 5)
    _sql(cases, delete(audit_table).where(audit_table.c.seq == 2))
    check = audit.verify_chain(cases)
    assert check.first_bad == 2 and check.problem == "record 2 deleted: record 1 is followed by 3"


def test_deleting_the_first_record_is_found(cases: CaseStore) -> None:
    fill(cases, 2)
    _sql(cases, delete(audit_table).where(audit_table.c.seq == 1))
    assert audit.verify_chain(cases).first_bad == 1


def test_a_cut_tail_is_found_by_the_head(cases: CaseStore) -> None:
    fill(cases, 5)
    _sql(cases, delete(audit_table).where(audit_table.c.seq >= 4))
    check = audit.verify_chain(cases)
    assert check.first_bad == 4 and "records 4–5 are missing from the end" in check.problem


def test_an_appended_record_behind_corridors_back_is_past_the_head(cases: CaseStore) -> None:
    fill(cases, 2)
    last = audit.audit_records(cases)[-1]
    values = dict(
        seq=3,
        at=last.at,
        actor="mallory",
        action="test.event",
        subject="",
        payload="{}",
        list_versions="{}",
        prev_hash=last.hash,
    )
    digest = audit.record_hash(**{**values, "payload": {}, "list_versions": {}})
    _sql(cases, insert(audit_table).values(**values, hash=digest))
    check = audit.verify_chain(cases)
    assert check.first_bad == 3 and "past the head" in check.problem


def test_an_inserted_record_breaks_the_chain_where_it_sits(cases: CaseStore) -> None:
    fill(cases, 4)
    # Make room after record 2 (renumbering 3..4 to 4..5), then insert a record 3.
    with cases.engine.begin() as conn:
        for seq in (4, 3):
            conn.execute(update(audit_table).where(audit_table.c.seq == seq).values(seq=seq + 1))
        conn.execute(update(audit_head_table).values(seq=5))
        prev = conn.execute(select(audit_table.c.hash).where(audit_table.c.seq == 2)).scalar_one()
        values = dict(
            seq=3,
            at="2025-03-01T09:00:00.000000+00:00",
            actor="mallory",
            action="test.event",
            subject="",
            payload={},
            list_versions={},
            prev_hash=prev,
        )
        digest = audit.record_hash(**values)
        conn.execute(
            insert(audit_table).values(
                **{**values, "payload": "{}", "list_versions": "{}"}, hash=digest
            )
        )
    check = audit.verify_chain(cases)
    assert not check.ok and check.first_bad == 4  # the old record 3 no longer links


def test_the_expected_head_kept_elsewhere_catches_a_rewrite(cases: CaseStore) -> None:
    fill(cases, 3)
    kept = audit.head(cases)
    assert audit.verify_chain(cases, expect=kept).ok
    check = audit.verify_chain(cases, expect=(3, "0" * 64))
    assert check.first_bad == 3 and "expected hash" in check.problem


def test_concurrent_writers_keep_one_chain(backend_url: str) -> None:
    """Four threads, each with its own engine (own connections), append at once."""
    CaseStore(Store(backend_url)).close()
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        try:
            with CaseStore(Store(backend_url)) as mine:
                for i in range(15):
                    audit.log(mine, actor=f"w{k}", action="test.race", payload={"i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with CaseStore(Store(backend_url)) as cases:
        check = audit.verify_chain(cases)
        assert check.ok, check.problem
        assert check.records == 60


def test_exports_carry_every_field(cases: CaseStore) -> None:
    fill(cases, 3)
    records = audit.audit_records(cases, action="test.*")
    as_json = json.loads(audit.export_text(records, "json"))
    assert [r["seq"] for r in as_json] == [1, 2, 3]
    assert as_json[0]["payload"] == {"n": 0, "note": "ünïcode ✓"}
    out = io.StringIO()
    assert audit.write_csv(records, out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(audit.CSV_COLUMNS)
    assert lines[1].startswith("1,2025-03-01T09:00:00.000000+00:00,alice,test.event,thing:0,")


def test_filters(cases: CaseStore, clock) -> None:
    fill(cases, 2)
    clock.advance(days=1)
    audit.log(cases, actor=OPERATOR.name, action="other.event")
    assert [r.seq for r in audit.audit_records(cases, action="other.event")] == [3]
    assert [r.seq for r in audit.audit_records(cases, actor="alice")] == [1, 2]
    assert [r.seq for r in audit.audit_records(cases, start=clock.now)] == [3]
    assert [r.seq for r in audit.audit_records(cases, newest_first=True, limit=2)] == [3, 2]
    # a page further on: the newest first, skipping the first page
    assert [r.seq for r in audit.audit_records(cases, newest_first=True, limit=2, offset=1)] == [
        2,
        1,
    ]


def test_records_carry_the_lists_in_force(cases: CaseStore, lists_dir) -> None:
    from corridor.sources.bis_dpl import parse_bis_dpl
    from corridor.store.fingerprint import sha256_file

    path = lists_dir / "bis" / "dpl.txt"
    cases.store.import_list(parse_bis_dpl([path]), file_hash=sha256_file(path), source="t")
    audit.log(cases, actor="alice", action="test.event")
    (record,) = audit.audit_records(cases)
    snap = cases.store.active_snapshot("us_bis_denied")
    assert record.list_versions == {"us_bis_denied": snap.version}


def test_the_audit_table_is_not_changed_by_sql_text(cases: CaseStore) -> None:
    # Sanity: the raw table is what verify reads (no cache between).
    fill(cases, 1)
    with cases.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'x' WHERE seq = 1"))
    assert audit.verify_chain(cases).first_bad == 1
