"""Opening the database: URL handling and messages a user can act on."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import create_engine, text

from corridor.errors import StoreError
from corridor.store import Store
from corridor.store.engine import open_engine


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
