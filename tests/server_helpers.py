"""A real ``corridor serve`` process on a free port, for the API and workbench tests that go
through HTTP as a client would (swap under load, browser flows)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


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
    """``corridor serve`` (API and workbench) on a free port, once its index is ready; the
    server's output goes to ``log``, whose tail is the error if it never gets ready."""
    port = free_port()
    environ = dict(os.environ, CORRIDOR_DB=db_url, **env)
    cmd = [sys.executable, "-m", "corridor", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers), "--log-level", "info"]
    process = subprocess.Popen(cmd, env=environ, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    with httpx.Client(base_url=server.url, timeout=5) as http:
        try:
            wait_ready(http.get)
        except AssertionError:
            server.stop()
            raise AssertionError(log.read_text()[-3000:]) from None
    return server


def session_server(db_url: str, tmp_path_factory, **env: str) -> Iterator[Server]:
    """A test session's server over ``db_url`` (no periodic reload: the tests swap lists
    themselves), stopped when the session ends: ``yield from`` it in a fixture."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    server = start_server(db_url, log, CORRIDOR_API_RELOAD_SECONDS="0", **env)
    yield server
    server.stop()
