"""A real database of OFAC SDN + UN, the app over it in-process, and a real server.

The in-process app (``client``) runs the ASGI app through Starlette's test client, with its
lifespan, so the index loads as in production. ``server`` is ``corridor serve`` in its own
process on a free loopback port: what the yente client and the load tests talk to.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from api_helpers import API_KEY, EVAL_DATASETS
from fastapi.testclient import TestClient

from corridor.api import create_app
from corridor.api.auth import hash_key
from corridor.settings import ApiSettings
from corridor.sources.update import update_lists
from corridor.store import Store


def make_db(path: Path, lists_dir: Path, names: list[str]) -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    updates = update_lists(store, names=names, from_dir=lists_dir)
    assert not any(u.failed for u in updates), updates
    store.close()
    return url


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> str:
    return make_db(tmp_path_factory.mktemp("api") / "corridor.db", lists_dir, EVAL_DATASETS)


@pytest.fixture(scope="session")
def api_settings(api_db: str) -> ApiSettings:
    return ApiSettings(db_url=api_db, key_hashes=frozenset({hash_key(API_KEY)}), reload_seconds=0)


def wait_ready(get, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the index did not load in time")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(db_url: str, log: Path, workers: int = 1, **env: str) -> Server:
    """``corridor serve`` on a free port, once its index is ready."""
    port = free_port()
    environ = dict(
        os.environ,
        CORRIDOR_DB=db_url,
        CORRIDOR_API_KEY_HASHES=hash_key(API_KEY),
        **env,
    )
    cmd = [
        sys.executable,
        "-m",
        "corridor",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "info",
    ]
    process = subprocess.Popen(cmd, env=environ, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    with httpx.Client(base_url=server.url, timeout=5) as http:
        try:
            wait_ready(http.get)
        except AssertionError:
            server.stop()
            raise AssertionError(log.read_text()[-3000:]) from None
    return server


@pytest.fixture(scope="session")
def server(api_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(
        api_db, tmp_path_factory.mktemp("server") / "server.log", CORRIDOR_API_RELOAD_SECONDS="0"
    )
    yield srv
    srv.stop()
