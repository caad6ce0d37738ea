"""A real database of OFAC SDN + UN, the app over it in-process, and a real server.

The in-process app (``client``) runs the ASGI app through Starlette's test client, with its
lifespan, so the index loads as in production. ``server`` is ``corridor serve`` in its own
process on a free loopback port: what the yente client and the load tests talk to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from api_helpers import API_KEY, EVAL_DATASETS, key_env, make_db
from fastapi.testclient import TestClient

from corridor.api import create_app
from corridor.api.auth import hash_key
from corridor.settings import ApiSettings
from server_helpers import Server, session_server, wait_ready


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> str:
    return make_db(tmp_path_factory.mktemp("api") / "corridor.db", lists_dir, EVAL_DATASETS)


@pytest.fixture(scope="session")
def api_settings(api_db: str) -> ApiSettings:
    return ApiSettings(db_url=api_db, key_hashes=frozenset({hash_key(API_KEY)}), reload_seconds=0)


@pytest.fixture(scope="session")
def client(api_settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as c:
        wait_ready(c.get)
        yield c


@pytest.fixture()
def client_with(api_settings: ApiSettings):
    """An app over the same lists with some settings changed: ``client_with(max_queries=2)``."""
    opened: list[TestClient] = []

    def make(**changes) -> TestClient:
        c = TestClient(create_app(replace(api_settings, **changes)))
        c.__enter__()
        opened.append(c)
        wait_ready(c.get)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture(scope="session")
def server(api_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from session_server(api_db, tmp_path_factory, **key_env())
