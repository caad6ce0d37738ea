"""What the workbench tests share: a database of small real lists with two releases of one
of them, its users, a logged-in test client, and a real server (imported by name: pytest
puts this folder on the path)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from corridor.cases import CaseStore, Operator, add_user
from corridor.sources.bis_dpl import parse_bis_dpl
from corridor.sources.update import update_lists
from corridor.store import Store
from corridor.store.fingerprint import sha256_file

PASSWORD = "correct horse battery"
#: user name -> role; two analysts, so one can decide and another be refused.
USERS = {"ana": "analyst", "bob": "analyst", "pia": "approver", "adam": "admin"}
OPERATOR = Operator("local:tester")
#: A party on the real UN list (KOMID, UN 1718 Committee), to raise an alert.
LISTED = "Korea Mining Development Trading Corporation"


def make_db(path: Path, lists_dir: Path) -> str:
    """The UN list, and the BIS Denied Persons List in its 2022 then its 2023 release (an
    entity page then has a history), plus the users."""
    url = f"sqlite:///{path}"
    store = Store(url)
    updates = update_lists(store, names=["un_sc_sanctions"], from_dir=lists_dir)
    assert not any(u.failed for u in updates), updates
    for release in ("bis", "bis_dpl_2023"):
        dpl = lists_dir / release / "dpl.txt"
        store.import_list(
            parse_bis_dpl([dpl]), file_hash=sha256_file(dpl), source=str(dpl), force=True
        )
    cases = CaseStore(store)
    for name, role in USERS.items():
        add_user(cases, name, PASSWORD, role, actor=OPERATOR, display_name=name.title())
    store.close()
    return url


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no form token on the page"
    return found.group(1)


def log_in(client: TestClient, username: str) -> str:
    """Log ``client`` in; return the form token of the session."""
    page = client.get("/ui/login")
    token = csrf_of(page.text)
    r = client.post(
        "/ui/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/ui/dashboard").text)


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


def start_server(db_url: str, log: Path) -> Server:
    """``corridor serve`` (API and workbench) on a free port, once its index is ready."""
    port = free_port()
    env = dict(os.environ, CORRIDOR_DB=db_url, CORRIDOR_API_RELOAD_SECONDS="0")
    cmd = [sys.executable, "-m", "corridor", "serve", "--port", str(port), "--log-level", "info"]
    process = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    with httpx.Client(base_url=server.url, timeout=5) as http:
        try:
            wait_ready(http.get)
        except AssertionError:
            server.stop()
            raise AssertionError(log.read_text()[-3000:]) from None
    return server
