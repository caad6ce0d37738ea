"""Opening the database and writing to it: URL handling, transactions, and messages a user
can act on."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text

from corridor.errors import SourceError, StoreError
from corridor.store import Store
from corridor.store.engine import open_engine, transaction


def test_plain_path_means_sqlite(tmp_path) -> None:
    store = Store(str(tmp_path / "x.db"))
    assert store.engine.url.get_backend_name() == "sqlite"
    assert (tmp_path / "x.db").exists()


def test_bare_postgresql_url_uses_the_installed_driver(postgres_base: str) -> None:
    admin = create_engine(postgres_base.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bare_url"))
        conn.execute(text("CREATE DATABASE bare_url"))
    admin.dispose()
    url = postgres_base.format(db="bare_url").replace("postgresql+psycopg://", "postgresql://")
    if importlib.util.find_spec("psycopg2") is None:
        assert open_engine(url).url.drivername == "postgresql+psycopg"
    assert Store(url).snapshots() == []


def test_missing_driver_names_the_fix() -> None:
    if importlib.util.find_spec("psycopg2") is not None:
        pytest.skip("psycopg2 is installed")
    with pytest.raises(StoreError, match=r"psycopg2 is not installed.*corridor\[postgres\]"):
        Store("postgresql+psycopg2://user@localhost/corridor")


def test_transaction_rolls_back_and_says_what_failed(tmp_path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 't.db'}")
    with transaction(engine, "setup") as conn:
        conn.execute(text("create table t (id integer primary key)"))
    with (
        pytest.raises(StoreError) as failure,
        transaction(engine, "us_ofac_sdn: import from ./lists") as conn,
    ):
        conn.execute(text("insert into t values (1)"))
        conn.execute(text("insert into t values (1)"))
    message = str(failure.value)
    assert message.startswith("us_ofac_sdn: import from ./lists failed in the database")
    assert "rolled back: IntegrityError: UNIQUE constraint failed: t.id" in message
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from t")).scalar_one() == 0


def test_transaction_passes_other_errors_through_after_rolling_back(tmp_path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 't.db'}")
    with transaction(engine, "setup") as conn:
        conn.execute(text("create table t (id integer primary key)"))
    with pytest.raises(SourceError, match="sdn.csv:line 7"), transaction(engine, "import") as conn:
        conn.execute(text("insert into t values (1)"))
        raise SourceError("unexpected end of file", path="sdn.csv", line=7)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from t")).scalar_one() == 0


def _outcome_within(call: Callable[[], object], seconds: float) -> object:
    """What ``call`` returned or raised, or a test failure if it is still waiting after
    ``seconds`` (without a connect timeout it would wait as long as the network lets it)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"still waiting for the server after {seconds} s")
    return outcome[0]


def test_a_server_that_never_answers_is_reported_after_the_connect_timeout(
    silent_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL server that takes the connection and never answers (hung, or another
    program on its port) is an error after ``CORRIDOR_DB_CONNECT_TIMEOUT`` seconds."""
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", "1")
    url = f"postgresql+psycopg://corridor:secret@127.0.0.1:{silent_server.port}/corridor"
    error = _outcome_within(lambda: Store(url), 60)
    assert isinstance(error, StoreError)
    assert "timeout expired" in str(error)
    assert "secret" not in str(error)


def test_a_connect_timeout_in_the_url_wins(silent_server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", "3600")
    url = f"postgresql+psycopg://corridor@127.0.0.1:{silent_server.port}/corridor?connect_timeout=1"
    error = _outcome_within(lambda: Store(url), 60)
    assert isinstance(error, StoreError) and "timeout expired" in str(error)


@pytest.mark.parametrize("value", ["soon", "0"])
def test_a_bad_connect_timeout_is_named(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", value)
    with pytest.raises(StoreError, match="CORRIDOR_DB_CONNECT_TIMEOUT"):
        Store("postgresql+psycopg://corridor@127.0.0.1:1/corridor")
