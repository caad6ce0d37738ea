"""Database URLs in messages: a password is never shown, wherever the URL carries it."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from corridor.errors import StoreError
from corridor.store import Store, quick
from corridor.store.urls import masked, sets_connect_timeout


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://u:s3cret@db/corridor", "postgresql+psycopg://u:***@db/corridor"),
        (
            "postgresql://u@db/corridor?sslmode=require&password=s3cret",
            "postgresql://u@db/corridor?sslmode=require&password=***",
        ),
        ("postgresql://u:a@b@db/c?PASSWORD=x#f", "postgresql://u:***@db/c?PASSWORD=***#f"),
        ("sqlite:////var/lib/corridor.db", "sqlite:////var/lib/corridor.db"),
    ],
)
def test_passwords_are_hidden(url: str, shown: str) -> None:
    assert masked(url) == shown


def test_sqlalchemys_url_is_hidden_in_full() -> None:
    url = make_url("postgresql+psycopg://u:s3cret@db/corridor?password=s3cret")
    assert "s3cret" not in masked(url)


def test_no_message_of_the_store_shows_a_password(silent_server, monkeypatch) -> None:
    monkeypatch.setenv("CORRIDOR_DB_CONNECT_TIMEOUT", "1")
    url = f"postgresql+psycopg://u@127.0.0.1:{silent_server.port}/corridor?password=s3cret"
    for opening in (lambda: quick.active_snapshots(url), lambda: Store(url)):
        with pytest.raises(StoreError) as err:
            opening()
        assert "s3cret" not in str(err.value) and "password=***" in str(err.value)


@pytest.mark.parametrize(
    ("url", "sets"),
    [
        ("postgresql://u@db/c?connect_timeout=3", True),
        ("postgresql://u@db/c?sslmode=require&connect_timeout=7", True),
        ("postgresql://u@db/c?sslmode=require&connect_timeout=", False),
        ("postgresql://u:connect_timeout=9@db/c", False),  # a password, not the query
        ("postgresql://u@db/c?application_name=connect_timeout=9", False),
        ("postgresql://u@db/c?xconnect_timeout=3", False),
        ("postgresql://u@db/c", False),
    ],
)
def test_a_url_gives_its_own_timeout_only_with_a_value_in_its_query(url: str, sets: bool) -> None:
    """Whether the URL's own timeout wins is one decision for both ways of connecting."""
    assert sets_connect_timeout(url) is sets
    assert sets_connect_timeout(make_url(url)) is sets
