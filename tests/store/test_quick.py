"""``corridor.store.quick``: the active snapshots of a store read without SQLAlchemy are
the store's own, on SQLite and PostgreSQL, and anything else is left to the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corridor.errors import StoreError
from corridor.model import Entity, ParsedList
from corridor.store import Store, quick


def _list(dataset: str, *names: str) -> ParsedList:
    entities = []
    for k, name in enumerate(names):
        ent = Entity.create(dataset, str(k), "Person")
        ent.add("name", name)
        entities.append(ent)
    return ParsedList(dataset=dataset, list_date=None, entities=iter(entities))


def _as_store_has_them(store: Store) -> list[tuple[str, int, str]]:
    return [(s.dataset, s.id, s.file_hash) for s in store.active_snapshots()]


def test_the_active_snapshots_are_the_stores(backend_url: str) -> None:
    url = backend_url
    assert quick.active_snapshots(url) is None  # no tables yet: the store makes them
    store = Store(url)
    assert quick.active_snapshots(url) == []  # tables made, no list loaded
    store.import_list(_list("un_sc_sanctions", "ZHUKOV, Sergey"), file_hash="a" * 64, source="t")
    store.import_list(_list("us_ofac_sdn", "IVANOV, Ivan"), file_hash="b" * 64, source="t")
    # A new release of one list: its snapshot is the active one now, the old one is kept.
    store.import_list(
        _list("un_sc_sanctions", "ZHUKOV, Sergey", "PETROV, Oleg"), file_hash="c" * 64, source="t"
    )
    found = quick.active_snapshots(url)
    assert found is not None and [tuple(s) for s in found] == _as_store_has_them(store)
    assert [s.file_hash[0] for s in found] == ["c", "b"]
    store.close()


def test_a_store_given_by_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``corridor match --db lists.db``: a relative path is read as from the working
    directory (a file URI needs an absolute path; this once stopped the command)."""
    monkeypatch.chdir(tmp_path)
    store = Store("sqlite:///lists.db")
    store.import_list(_list("us_ofac_sdn", "IVANOV, Ivan"), file_hash="b" * 64, source="t")
    found = quick.active_snapshots("sqlite:///lists.db")
    assert found is not None and [tuple(s) for s in found] == _as_store_has_them(store)
    store.close()


def test_what_cannot_be_read_here_is_left_to_the_store(tmp_path: Path) -> None:
    assert quick.active_snapshots("mysql://user@host/corridor") is None
    missing = tmp_path / "missing.db"
    assert quick.active_snapshots(f"sqlite:///{missing}") is None
    assert not missing.exists()  # read-only: nothing is created
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE other (x INTEGER)")
    assert quick.active_snapshots(f"sqlite:///{foreign}") is None
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert quick.active_snapshots(f"sqlite:///{garbage}") is None


def test_a_server_that_cannot_be_reached_is_reported_at_once(
    tmp_path: Path, silent_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store would try the same server again and wait as long again: the quick read
    reports it itself, with the URL (password hidden) and the driver's reason."""
    nowhere = f"postgresql+psycopg://corridor:secret@/corridor?host={tmp_path}"
    with pytest.raises(StoreError, match=r"cannot open the store at .*corridor:\*\*\*@/corridor"):
        quick.active_snapshots(nowhere)  # no server at all
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", "1")
    hung = f"postgresql+psycopg://corridor@127.0.0.1:{silent_server.port}/corridor"
    with pytest.raises(StoreError, match=r"timeout expired \(CORRIDOR_DB_CONNECT_TIMEOUT=1 s\)"):
        quick.active_snapshots(hung)
    assert len(silent_server.accepted) == 1


@pytest.mark.parametrize("value", ["soon", "0"])
def test_a_bad_connect_timeout_is_the_stores_error_here_too(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", value)
    with pytest.raises(StoreError, match="CORRIDOR_DB_CONNECT_TIMEOUT"):
        quick.active_snapshots("postgresql+psycopg://corridor@127.0.0.1:1/corridor")


def test_a_connect_timeout_in_the_url_wins_here_too(
    silent_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", "soon")  # not read: the URL gives one
    url = f"postgresql+psycopg://corridor@127.0.0.1:{silent_server.port}/corridor?connect_timeout=1"
    with pytest.raises(StoreError, match="timeout expired$"):
        quick.active_snapshots(url)
