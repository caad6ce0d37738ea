"""What the API tests share: the key, a database maker, and a real server in its own process
(imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

from pathlib import Path

from corridor.api.auth import hash_key
from corridor.sources.update import update_lists
from corridor.store import Store
from server_helpers import Server
from server_helpers import start_server as serve

API_KEY = "test-key-9f8e7d"
EVAL_DATASETS = ["us_ofac_sdn", "un_sc_sanctions"]


def make_db(path: Path, lists_dir: Path, names: list[str]) -> str:
    url = f"sqlite:///{path}"
    store = Store(url)
    updates = update_lists(store, names=names, from_dir=lists_dir)
    assert not any(u.failed for u in updates), updates
    store.close()
    return url


def key_env() -> dict[str, str]:
    """The server's setting that makes the tests' API key valid."""
    return {"CORRIDOR_API_KEY_HASHES": hash_key(API_KEY)}


def start_server(db_url: str, log: Path, workers: int = 1, **env: str) -> Server:
    """``corridor serve`` with the tests' API key configured."""
    return serve(db_url, log, workers, **key_env(), **env)
