"""The API and the case work: ``?record=true`` puts hits in the alert queue (a key needed;
a user's own key names the user), per-user keys beside the server's, and a list update
audited and followed by re-screening."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import API_KEY

from corridor.api.auth import hash_key
from corridor.cases import (
    AlertFilter,
    CaseStore,
    Operator,
    add_user,
    audit_records,
    create_api_key,
    list_alerts,
)
from corridor.store import Store

OPERATOR = Operator("local:tester")
LISTED = {"schema": "Person", "properties": {"name": ["Ali Akbar Ahmadian"], "country": ["ir"]}}


@pytest.fixture(scope="module")
def keys(api_db: str) -> dict[str, str]:
    """An analyst's and an admin's own API keys on the API's database."""
    with CaseStore(Store(api_db)) as cases:
        out = {}
        for name, role in (("kim", "analyst"), ("ada", "admin")):
            add_user(cases, name, "correct horse battery", role, actor=OPERATOR)
            out[name] = create_api_key(cases, name, "tests", actor=OPERATOR).secret
        return out


def alerts_of(api_db: str, text: str, origin: str) -> list:
    with CaseStore(Store(api_db)) as cases:
        return list_alerts(cases, AlertFilter(text=text, origin=origin)).items


def test_match_records_only_when_asked_and_with_a_key(client, api_db, keys) -> None:
    body = {"queries": {"c1": LISTED}}
    assert client.post("/match/default", json=body).status_code == 200
    assert not alerts_of(api_db, "Ahmadian", "match")
    r = client.post("/match/default?record=true", json=body)
    assert r.status_code == 401
    r = client.post("/match/default?record=maybe", json=body, headers={"X-API-Key": API_KEY})
    assert r.status_code == 400 and "record" in r.json()["detail"]
    r = client.post(
        "/match/default?record=true&reference=CUST-7",
        json=body,
        headers={"Authorization": f"ApiKey {keys['kim']}"},
    )
    assert r.status_code == 200 and r.json()["responses"]["c1"]["results"]
    found = alerts_of(api_db, "Ahmadian", "match")
    assert found and found[0].subject.reference == "CUST-7"
    with CaseStore(Store(api_db)) as cases:
        recorded = audit_records(cases, action="match.recorded")
    assert recorded[-1].actor == "kim"


def test_screen_records_with_a_server_key(client, api_db) -> None:
    trade = {
        "date": "2024-08-16",
        "parties": [
            {"role": "exporter", "name": "Example Trading TOO", "country": "kz"},
            {"role": "importer", "name": "Ali Akbar Ahmadian", "schema": "Person"},
        ],
    }
    r = client.post(
        "/screen?record=true&reference=TRADE-9", json=trade, headers={"X-API-Key": API_KEY}
    )
    assert r.status_code == 200
    found = alerts_of(api_db, "Ahmadian", "screen")
    assert found and found[0].origin_ref == "TRADE-9"
    with CaseStore(Store(api_db)) as cases:
        last = audit_records(cases, action="screen.recorded")[-1]
    assert last.actor == f"api:key-{hash_key(API_KEY)[:8]}"
    assert API_KEY not in str(last.to_dict())


def test_user_keys_are_checked_and_their_roles_too(client_with, keys, lists_dir: Path) -> None:
    updating = client_with(update_from=lists_dir)
    body = {"datasets": ["un_sc_sanctions"]}
    r = updating.post("/lists/update", json=body, headers={"X-API-Key": "ck_not-a-real-key"})
    assert r.status_code == 403 and "not valid" in r.json()["detail"]
    r = updating.post("/lists/update", json=body, headers={"X-API-Key": keys["kim"]})
    assert r.status_code == 403 and "admin" in r.json()["detail"]
    r = updating.post("/lists/update", json=body, headers={"X-API-Key": keys["ada"]})
    assert r.status_code == 200, r.text


def test_a_list_update_is_audited_and_followed_by_rescreening(
    client_with, api_db, lists_dir: Path
) -> None:
    updating = client_with(update_from=lists_dir)
    r = updating.post(
        "/lists/update", json={"datasets": ["un_sc_sanctions"]}, headers={"X-API-Key": API_KEY}
    )
    assert r.status_code == 200
    with CaseStore(Store(api_db)) as cases:
        updated = audit_records(cases, action="lists.updated")
    assert {rec.payload.get("dataset") for rec in updated} >= {"un_sc_sanctions", "us_ofac_sdn"}
