"""What the workbench tests share: a database of small real lists with two releases of one
of them, its users, a logged-in test client, and a real server (imported by name: pytest
puts this folder on the path)."""

from __future__ import annotations

import re
from pathlib import Path

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
