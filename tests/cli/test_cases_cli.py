"""``corridor users``, ``corridor audit``, ``corridor rescreen`` and ``corridor cases`` end to
end, on SQLite and PostgreSQL: editing or deleting any row of the audit table is caught by
``corridor audit verify``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, update
from typer.testing import CliRunner

from corridor.cases.tables import audit_table
from corridor.cli import app

runner = CliRunner()
PASSWORD = "correct horse battery\n"


def corridor(*args: str, db: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db], input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def seed(db: str) -> None:
    for name, role in (("alice", "analyst"), ("pia", "approver"), ("root", "admin")):
        code, out, err = corridor(
            "users", "add", name, "--role", role, "--password-stdin", db=db, stdin=PASSWORD
        )
        assert code == 0, err
        assert out == f"added {name} ({role})\n"


def test_users_commands(backend_url: str) -> None:
    seed(backend_url)
    code, out, _ = corridor("users", "list", db=backend_url)
    assert code == 0 and [line.split()[:3] for line in out.splitlines()] == [
        ["alice", "analyst", "active"],
        ["pia", "approver", "active"],
        ["root", "admin", "active"],
    ]
    assert corridor("users", "disable", "alice", db=backend_url)[0] == 0
    code, out, _ = corridor("users", "list", "--json", db=backend_url)
    assert json.loads(out.splitlines()[0])["active"] is False
    code, _, err = corridor(
        "users", "reset-password", "pia", "--password-stdin", db=backend_url, stdin="short\n"
    )
    assert code == 1 and err == "error: a password needs at least 12 characters\n"
    code, _, err = corridor(
        "users", "add", "x y", "--password-stdin", db=backend_url, stdin=PASSWORD
    )
    assert code == 1 and err.startswith("error: user name 'x y'")
    code, out, err = corridor("users", "api-key", "pia", "--label", "batch", db=backend_url)
    assert code == 0 and out.startswith("ck_") and "shown once" in err
    code, out, _ = corridor(
        "users", "seed-demo", "--password-stdin", db=backend_url, stdin="demo password 123\n"
    )
    assert out.split("\n")[:3] == [
        "demo-analyst (analyst)",
        "demo-approver (approver)",
        "demo-admin (admin)",
    ]


def tamper(db: str, statement) -> None:
    engine = create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(statement)
    engine.dispose()


@pytest.mark.parametrize(
    "change, bad, problem",
    [
        (update(audit_table).where(audit_table.c.seq == 2).values(actor="mallory"), 2, "altered"),
        (
            update(audit_table).where(audit_table.c.seq == 3).values(payload='{"role":"admin"}'),
            3,
            "altered",
        ),
        (delete(audit_table).where(audit_table.c.seq == 2), 2, "deleted"),
        (delete(audit_table).where(audit_table.c.seq == 4), 4, "missing from the end"),
    ],
)
def test_audit_verify_catches_an_edited_or_deleted_row(
    backend_url: str, change, bad: int, problem: str
) -> None:
    seed(backend_url)
    corridor("users", "disable", "alice", db=backend_url)
    code, out, _ = corridor("audit", "verify", db=backend_url)
    assert code == 0 and out.startswith("audit log intact: 4 records, head 4:")
    tamper(backend_url, change)
    code, _, err = corridor("audit", "verify", db=backend_url)
    assert code == 1
    assert err.startswith(f"audit log BROKEN at record {bad}: ") and problem in err


def test_audit_every_row_edit_is_caught(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    seed(db)
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(select(audit_table)).mappings().all()
    for row in rows:
        for column in ("at", "actor", "action", "subject", "payload", "list_versions", "hash"):
            original = row[column]
            tamper(
                db,
                update(audit_table)
                .where(audit_table.c.seq == row["seq"])
                .values({column: original + " "}),
            )
            code, _, err = corridor("audit", "verify", db=db)
            assert code == 1 and f"record {row['seq']}" in err, (row["seq"], column, err)
            tamper(
                db,
                update(audit_table)
                .where(audit_table.c.seq == row["seq"])
                .values({column: original}),
            )
    assert corridor("audit", "verify", db=db)[0] == 0


def test_audit_head_and_export(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    seed(db)
    code, head, _ = corridor("audit", "head", db=db)
    assert code == 0 and head.startswith("3:")
    assert corridor("audit", "verify", "--expect", head.strip(), db=db)[0] == 0
    code, out, err = corridor("audit", "export", db=db)
    assert [r["action"] for r in json.loads(out)] == ["user.added"] * 3 and err == "3 records\n"
    target = tmp_path / "audit.csv"
    code, _, _ = corridor("audit", "export", "--format", "csv", "--out", str(target), db=db)
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["subject"] for r in rows] == ["user:alice", "user:pia", "user:root"]
    assert corridor("audit", "export", "--action", "decision.*", db=db)[1] == "[]\n"


def test_rescreen_and_cases_list_after_a_list_update(tmp_path: Path, lists_dir: Path) -> None:
    """The DPL 2022 screened, the 2023 release loaded through `corridor lists update`, then
    `corridor rescreen` puts the customer on a newly listed entry in the queue."""
    from corridor.cases import alerts
    from corridor.cases.db import CaseStore
    from corridor.cases.model import Operator, Screened, Subject
    from corridor.screening.parties import MatcherScreener

    db = str(tmp_path / "c.db")
    mirror = tmp_path / "lists" / "bis"
    mirror.mkdir(parents=True)
    shutil.copy(lists_dir / "bis" / "dpl.txt", mirror / "dpl.txt")
    assert corridor("lists", "update", "--from", str(mirror.parent), db=db)[0] == 0
    with CaseStore.open(db) as cases:
        screener = MatcherScreener.from_store(cases.store)
        subject = Subject.of("Adriana Gabriela Guajardo Cavazos", "Person", "mx")
        matches = screener.screen(subject.name, subject.schema, subject.country, {})
        alerts.record_alerts(
            cases, [Screened(subject, matches)], actor=Operator("local:t"), origin="batch"
        )
    # Screened against snapshot 1 already: nothing to do.
    assert corridor("rescreen", db=db)[1] == "no list changes since the last re-screen\n"
    shutil.copy(lists_dir / "bis_dpl_2023" / "dpl.txt", mirror / "dpl.txt")
    assert corridor("lists", "update", "--from", str(mirror.parent), db=db)[0] == 0
    code, out, _ = corridor("rescreen", db=db)
    assert code == 0
    assert out.splitlines() == [
        "us_bis_denied: snapshot 1 → snapshot 2: 185 added, 11 changed, 99 removed",
        "1 kept subjects checked, 1 screened again, 1 new alerts, 0 suppressions lifted",
    ]
    code, out, err = corridor("cases", "list", "--status", "open", db=db)
    assert "Adriana Gabriela Guajardo Cavazos → ADRIANA GABRIELA GUAJARDO-CAVAZOS" in out
    assert err == "page 1 of 1, 1 alerts\n"
    assert corridor("rescreen", db=db)[1] == "no list changes since the last re-screen\n"
    code, out, _ = corridor("audit", "export", "--action", "lists.updated", db=db)
    assert [r["payload"]["snapshot"] for r in json.loads(out)] == [1, 2]
