"""A database of real lists for the workbench, the app in-process (``app_client``: one
fresh, logged-out client per call) and ``corridor serve`` in its own process (``server``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import make_db

from corridor.api import create_app
from corridor.settings import ApiSettings
from corridor.web import EXCEPTION_HANDLERS, ROUTERS
from server_helpers import Server, session_server, wait_ready


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> str:
    return make_db(tmp_path_factory.mktemp("web") / "corridor.db", lists_dir)


@pytest.fixture(scope="session")
def web_app(web_db: str):
    return create_app(
        ApiSettings(db_url=web_db, reload_seconds=0),
        routers=ROUTERS,
        exception_handlers=EXCEPTION_HANDLERS,
    )


@pytest.fixture(scope="session")
def _started(web_app) -> Iterator[TestClient]:
    """One client that runs the app's lifespan (the index loads once for the session)."""
    with TestClient(web_app) as c:
        wait_ready(c.get)
        yield c


@pytest.fixture()
def app_client(web_app, _started) -> Callable[[], TestClient]:
    """Fresh clients (own cookies) over the one loaded app."""

    def make() -> TestClient:
        return TestClient(web_app, base_url="http://testserver")

    return make


@pytest.fixture(scope="session")
def server(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from session_server(web_db, tmp_path_factory)
