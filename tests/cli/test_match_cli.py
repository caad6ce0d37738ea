"""``corridor match`` (JSON Lines contract of the evaluation protocol) and ``corridor search``."""

from __future__ import annotations

import gc
import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.matching.cache import cache_dir
from corridor.sources import registry
from corridor.store import Store

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="session")
def match_db(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """UN + the 2021 OFAC SDN set (the evaluated lists), imported once through `corridor
    lists update`, one release folder at a time."""
    db = str(tmp_path_factory.mktemp("match") / "corridor.db")
    for folder in ("un", "ofac"):
        result = runner.invoke(
            app, ["lists", "update", "--from", str(lists_dir / folder), "--db", db]
        )
        assert result.exit_code == 0, result.output
    return db


def run_match(db: str, lines: list[str], *extra: str):
    result = runner.invoke(app, ["match", "--db", db, *extra], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_jsonl_contract(match_db: str) -> None:
    queries = [
        {"id": "q1", "schema": "Person", "properties": {"name": ["Гаус Александра Викторовна"]}},
        {"id": "q2", "schema": "Company", "properties": {"name": ["Totally Unknown Widgets GmbH"]}},
        {"id": "q3", "schema": "Person", "properties": {"name": ["MIN BYONG CHOL"], "x": ["y"]}},
    ]
    out, _ = run_match(match_db, [json.dumps(q, ensure_ascii=False) for q in queries])
    by_id = {o["id"]: o["results"] for o in out}
    assert set(by_id) == {"q1", "q2", "q3"}
    q1 = by_id["q1"]
    assert q1[0]["source_ids"] == ["us_ofac_sdn:16395"] and q1[0]["match"] is True
    for results in by_id.values():
        assert len(results) <= 10
        scores = [r["score"] for r in results]
        assert scores == sorted(scores, reverse=True)
        for r in results:
            assert set(r) == {"id", "score", "match", "source_ids"}
            assert 0.0 <= r["score"] <= 1.0
    assert not any(r["match"] for r in by_id["q2"])
    assert set(by_id["q3"][0]["source_ids"]) == {"un_sc_sanctions:6908587", "us_ofac_sdn:21305"}


def test_dataset_restriction_and_limit(match_db: str) -> None:
    q = {"id": "a", "schema": "Person", "properties": {"name": ["MIN BYONG CHOL"]}}
    out, _ = run_match(match_db, [json.dumps(q)], "--dataset", "un_sc_sanctions", "--limit", "2")
    results = out[0]["results"]
    assert 0 < len(results) <= 2
    assert all(s.startswith("un_sc_sanctions:") for r in results for s in r["source_ids"])


def test_bad_lines_are_reported_and_skipped(match_db: str) -> None:
    good = json.dumps({"id": "ok", "schema": "Person", "properties": {"name": ["Roman LYAGIN"]}})
    no_name = json.dumps({"id": "nn", "schema": "Person", "properties": {}})
    typo = json.dumps({"id": "ty", "schema": "Persn", "properties": {"name": ["Roman LYAGIN"]}})
    out, err = run_match(match_db, ["{not json", good, no_name, typo])
    assert [o["id"] for o in out] == ["ok", "nn", "ty"]
    assert out[1]["results"] == [] and out[2]["results"] == []
    assert "<stdin>:1" in err and "<stdin>:3" in err
    assert "<stdin>:4: schema: 'Persn' is not a schema corridor matches" in err


def test_a_byte_order_mark_does_not_cost_the_first_query(match_db: str, tmp_path: Path) -> None:
    queries = tmp_path / "from_windows.jsonl"
    line = json.dumps({"id": "q1", "schema": "Person", "properties": {"name": ["Roman LYAGIN"]}})
    queries.write_bytes(b"\xef\xbb\xbf" + line.encode() + b"\n")
    out, err = run_match(match_db, [], "--queries", str(queries))
    assert [o["id"] for o in out] == ["q1"] and out[0]["results"][0]["match"]
    assert not err


def test_queries_file_threshold_and_explain(match_db: str, tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    q = {"id": "e", "schema": "Person", "properties": {"name": ["LYAGIN Roman"]}}
    path.write_text(json.dumps(q) + "\n", encoding="utf-8")
    out, _ = run_match(match_db, [], "--queries", str(path), "--threshold", "0.999", "--explain")
    top = out[0]["results"][0]
    assert top["caption"] == "LYAGIN, Roman"
    assert top["match"] is (top["score"] >= 0.999)
    assert top["explanation"]["name"]["pairs"]


def test_index_is_cached_beside_the_db(match_db: str) -> None:
    run_match(match_db, [json.dumps({"id": "c", "properties": {"name": ["X"]}})])
    assert list(cache_dir(f"sqlite:///{match_db}").glob("*.idx"))


def test_search_prints_alignment_and_reasons(match_db: str) -> None:
    result = runner.invoke(
        app,
        [
            "search",
            "Carlos Castano Gil",
            "--schema",
            "Person",
            "--birth-date",
            "1976",
            "--db",
            match_db,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "CASTANO GIL, Carlos" in result.stdout
    assert "us_ofac_sdn:8147" in result.stdout
    assert "castano" in result.stdout and "dob_conflict" in result.stdout


def test_search_json(match_db: str) -> None:
    result = runner.invoke(
        app, ["search", "ООО «ЮНИДЖЕТ»", "--schema", "Company", "--json", "--db", match_db]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[0]["source_ids"] == ["us_ofac_sdn:31299"]
    assert data[0]["explanation"]["features"]["schema_mismatch"]["value"] == 0.0


def test_empty_database_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["match", "--db", str(tmp_path / "empty.db")], input="")
    assert result.exit_code == 2
    assert "corridor lists update" in result.stderr


def test_a_missing_queries_file_is_named(match_db: str, tmp_path: Path) -> None:
    missing = tmp_path / "customers.jsonl"
    result = runner.invoke(app, ["match", "--db", match_db, "--queries", str(missing)])
    assert result.exit_code == 2
    assert "customers.jsonl" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def _corridor(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed entry point in its own process (``corridor.cli.main``); a process
    still running after five minutes fails the test instead of holding the suite."""
    code = "import sys; from corridor.cli import main; sys.argv[0] = 'corridor'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_a_database_server_that_never_answers_is_reported_once(silent_server) -> None:
    """A PostgreSQL server that takes the connection and never answers: `corridor match`
    says so after the connect timeout, tried once (the quick read reports it; the store
    would only wait again), with the URL's password hidden."""
    url = f"postgresql+psycopg://corridor:secret@127.0.0.1:{silent_server.port}/corridor"
    done = _corridor("match", "--db", url, env={"CORRIDOR_DB_CONNECT_TIMEOUT": "1"})
    assert done.returncode == 2
    assert (
        f"error: cannot open the store at postgresql+psycopg://corridor:***@127.0.0.1:{silent_server.port}/corridor"
        in done.stderr
    )
    assert "timeout expired (CORRIDOR_DB_CONNECT_TIMEOUT=1 s)" in done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr
    assert len(silent_server.accepted) == 1


def test_match_leaves_the_collector_as_it_found_it(match_db: str) -> None:
    """In-process, ``corridor match`` turns the cyclic collector back on when done, with
    what matching cached frozen beside the index: no pass of the collector afterwards
    starts with the caches' objects young (each would walk them all)."""
    firsts = ["Ivan", "Olga", "Ahmad", "Aigerim", "Nurlan", "Fatima", "Kim", "Pedro"]
    lasts = ["Petrov", "Seitkali", "Rahimi", "Zhakypov", "Haddad", "Chol", "Morales"]
    queries = [
        json.dumps({"id": f"{a}-{b}", "schema": "Person", "properties": {"name": [f"{a} {b}"]}})
        for a in firsts
        for b in lasts
    ]
    young_at_start: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 0:  # the automatic passes
            young_at_start.append(gc.get_count()[0])

    run_match(match_db, queries[:1])  # the index cached first: building it is not matching
    assert gc.isenabled()
    gc.callbacks.append(record)
    try:
        run_match(match_db, queries)
        assert gc.isenabled()
        young = [[] for _ in range(2 * gc.get_threshold()[0])]  # a pass is due
        del young
        gc.callbacks.remove(record)
        gc.disable()
        run_match(match_db, queries[:1])
        assert not gc.isenabled()
    finally:
        if record in gc.callbacks:
            gc.callbacks.remove(record)
        gc.enable()
        gc.unfreeze()
    # A pass starts once the young objects pass the threshold (3.11) or soon after (3.12+);
    # without the freeze the first pass after this run starts with some 5,800.
    assert young_at_start and max(young_at_start) <= 2 * gc.get_threshold()[0]


def test_match_process_answers_flushes_and_exits(match_db: str) -> None:
    """`corridor match` as its own process: only the matching commands are imported, every
    answer is written before the process ends without the interpreter's teardown, and the
    exit codes are Typer's."""
    queries = [
        {"id": f"q{i}", "schema": "Person", "properties": {"name": ["MIN BYONG CHOL"]}}
        for i in range(300)
    ]
    done = _corridor("match", "--db", match_db, stdin="\n".join(map(json.dumps, queries)) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == [q["id"] for q in queries]
    assert run_match(match_db, [json.dumps(queries[0])])[0] == out[:1]
    empty = str(Path(match_db).with_name("empty.db"))
    refused = _corridor("match", "--db", empty, stdin="")
    assert refused.returncode == 2 and "no lists are loaded" in refused.stderr
    assert _corridor("match", "--no-such-option").returncode == 2
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; import corridor.cli.match; "
            "print(sorted(m for m in sys.modules if m.startswith('corridor.c')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "corridor.cases" not in imported.stdout and "corridor.cli.lists" not in imported.stdout
    # ``main`` starts a lean command's ICU read-ahead before typer is imported
    lean = subprocess.run(
        [sys.executable, "-c", "import sys, corridor.cli; print('typer' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert lean.stdout.strip() == "False"


def test_match_answers_each_query_as_it_comes(match_db: str) -> None:
    """Queries are prepared in blocks, but a block never waits for input: a program that
    writes one query and waits for its answer gets it before it writes the next."""
    code = "import sys; from corridor.cli import main; sys.argv[0] = 'corridor'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "match", "--db", match_db],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin and proc.stdout
    try:
        for i, name in enumerate(["MIN BYONG CHOL", "Roman LYAGIN"]):
            query = {"id": f"q{i}", "schema": "Person", "properties": {"name": [name]}}
            proc.stdin.write(json.dumps(query).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 120)
            assert ready, f"no answer to query {i} while the input stays open"
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == f"q{i}" and answer["results"][0]["match"]
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()


def test_blocks_keep_order_and_line_numbers(match_db: str, tmp_path: Path) -> None:
    """More queries than a block holds, bad lines among them and no newline after the
    last: every good query answered in order, every bad line named by its number."""
    lines = []
    for i in range(600):
        if i % 97 == 5:
            lines.append("{not json")
        else:
            name = "MIN BYONG CHOL" if i % 2 else "Totally Unknown Widgets"
            lines.append(json.dumps({"id": f"q{i}", "properties": {"name": [name]}}))
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")  # the last line has no newline
    out, err = run_match(match_db, [], "--queries", str(path))
    bad = [i for i in range(600) if i % 97 == 5]
    assert [o["id"] for o in out] == [f"q{i}" for i in range(600) if i not in bad]
    assert [f"{path}:{i + 1}: not valid JSON" in err for i in bad] == [True] * len(bad)
    assert out[-1]["id"] == "q599" and out[-1]["results"][0]["match"]


def test_match_on_either_store_with_its_index_cached_opens_no_store(
    backend_url: str, lists_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL as on SQLite, once the index is cached `corridor match` reads which lists
    are active with the driver alone (psycopg, or the standard library's sqlite3): no
    SQLAlchemy and no PostgreSQL dialect at start, the same answers."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a PostgreSQL store's cache
    store = Store(backend_url)
    parsed = registry.parse_dataset(
        "un_sc_sanctions", registry.detect(lists_dir)["un_sc_sanctions"]
    )
    store.import_list(parsed, file_hash="u" * 64, source="test")
    store.close()
    query = json.dumps({"id": "q", "schema": "Person", "properties": {"name": ["Kim Yong Chol"]}})
    through_store, _ = run_match(backend_url, [query])  # builds the index and caches it
    assert through_store[0]["results"], "the UN list names him"
    code = (
        "import sys\n"
        "from corridor.cli import _lean_app\n"
        "try:\n"
        "    _lean_app()(['match', '--db', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, backend_url],
        input=query + "\n",
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert done.stderr.strip().splitlines()[-1] == "False"
    assert [json.loads(line) for line in done.stdout.splitlines()] == through_store
