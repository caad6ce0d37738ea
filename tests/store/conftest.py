"""Store tests run on SQLite and on a throw-away PostgreSQL cluster (``tests/conftest.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def db_url(backend_url: str) -> str:
    """A fresh, empty database for one test, on each backend."""
    return backend_url
