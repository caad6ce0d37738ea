"""Bad requests, keys and limits: every refusal is a 4xx whose message says what is wrong."""

from __future__ import annotations

import pytest
from api_helpers import API_KEY
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient

from corridor.api import create_app
from corridor.api.limits import MATCHABLE
from corridor.matching.compare.schema import QUERY_SCHEMATA

GOOD = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Ali Akbar Ahmadian"]}}}}


def query(**props) -> dict:
    return {"queries": {"q1": {"schema": "Person", "properties": props}}}


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (
            {"queries": {"q1": {"schema": "Persn", "properties": {"name": ["x"]}}}},
            400,
            "queries.q1.schema: 'Persn' is not a matchable FtM schema",
        ),
        (
            {"queries": {"q1": {"schema": "Address", "properties": {"full": ["x"]}}}},
            400,
            "not a matchable",
        ),
        ({"queries": {"q1": {"properties": {"name": ["x"]}}}}, 422, "queries.q1.schema: Field"),
        ({"queries": {}}, 400, "give at least one query"),
        ({}, 422, "queries: Field required"),
        (
            query(name=["x"], colour=["red"]),
            400,
            "properties.colour: not a property of Person (nor of any",
        ),
        (query(birthDate=["1970"]), 400, "properties.name: a query needs at least one"),
        (query(name=["   "]), 400, "at least one non-empty name"),
        (query(name=["x" * 501]), 400, "a value of 501 characters, above the limit of 500"),
        (query(name=[f"n{i}" for i in range(60)]), 400, "more than 50 values"),
        (query(name=[1, 2]), 422, "queries.q1.properties.name"),
        (
            {
                "queries": {"q1": {"schema": "Person", "properties": {"name": ["x"]}}},
                "config": {"nested": True},
            },
            400,
            "config.nested: corridor's algorithm takes no",
        ),
        ({**GOOD, "weights": {"name_literal": 0.3}}, 400, "weights.name_literal"),
    ],
)
def test_bad_match_bodies(client, body, status, says) -> None:
    response = client.post("/match/default", json=body)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/match/eu_fsf", 404, "dataset 'eu_fsf' is not loaded here; use one of: default"),
        ("/match/default?limit=0", 422, "query.limit"),
        ("/match/default?limit=1000", 422, "query.limit"),
        ("/match/default?threshold=1.5", 422, "query.threshold"),
        ("/match/default?algorithm=magic", 400, "algorithm: unknown 'magic'"),
        ("/match/default?changed_since=yesterday", 400, "changed_since: 'yesterday' is not a"),
    ],
)
def test_bad_match_parameters(client, path, status, says) -> None:
    response = client.post(path, json=GOOD)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


def test_the_api_takes_the_schemata_the_matcher_takes() -> None:
    """The API reads the matchable schemata from the FtM model; the matcher keeps its own
    list (it must start without loading the model): the two are one set."""
    assert set(QUERY_SCHEMATA) == MATCHABLE


def test_a_legal_entity_may_carry_a_birth_date_and_nationality(client) -> None:
    """As the evaluation protocol's queries do: the kind is unknown, the evidence is not."""
    body = {
        "queries": {
            "q": {
                "schema": "LegalEntity",
                "properties": {
                    "name": ["Ali Akbar Ahmadian"],
                    "birthDate": ["1960"],
                    "nationality": ["ir"],
                },
            }
        }
    }
    r = client.post("/match/default", json=body)
    assert r.status_code == 200 and r.json()["responses"]["q"]["results"][0]["match"]


def test_malformed_json_is_a_4xx_naming_the_body(client) -> None:
    response = client.post(
        "/match/default", content=b'{"queries": {', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    "name",
    ["\x00\x01", "!!!", "🙂🙂", "ـــ", "A", "\u202e\u200b", "x" * 500, "ООО «»", "李"],
)
def test_odd_names_never_fail(client, name) -> None:
    response = client.post("/match/default", json=query(name=[name]))
    assert response.status_code in (200, 400), response.text
    assert "detail" in response.json() or "responses" in response.json()


def test_limits_come_from_the_settings(client_with) -> None:
    small = client_with(max_queries=2, max_body_bytes=2_000, max_value_length=20, max_properties=2)
    three = {"queries": {k: GOOD["queries"]["q1"] for k in ("a", "b", "c")}}
    r = small.post("/match/default", json=three)
    assert r.status_code == 400 and "3 queries, above the limit of 2" in r.json()["detail"]
    r = small.post("/match/default", json=query(name=["y" * 3000]))
    assert r.status_code == 413 and "above the limit of 2000 bytes" in r.json()["detail"]
    r = small.post("/match/default", json=query(name=["y" * 21]))
    assert r.status_code == 400 and "above the limit of 20" in r.json()["detail"]
    r = small.post("/match/default", json=query(name=["a"], birthDate=["1970"], nationality=["ir"]))
    assert r.status_code == 400 and "3 properties, above the limit of 2" in r.json()["detail"]


def test_a_chunked_body_over_the_limit_is_refused(client_with) -> None:
    small = client_with(max_body_bytes=1_000)

    def chunks():
        yield b'{"queries": {"q1": {"schema": "Person", "properties": {"name": ["'
        for _ in range(10):
            yield b"z" * 200
        yield b'"]}}}}'

    r = small.post("/match/default", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_update_needs_a_key(client) -> None:
    r = client.post("/lists/update", json={"datasets": ["un_sc_sanctions"]})
    assert r.status_code == 401 and "API key is required" in r.json()["detail"]
    r = client.post("/lists/update", json={}, headers={"Authorization": "ApiKey wrong"})
    assert r.status_code == 403 and "not valid" in r.json()["detail"]


def test_update_is_refused_when_no_key_is_configured(client_with) -> None:
    open_server = client_with(key_hashes=frozenset())
    r = open_server.post("/lists/update", json={}, headers={"Authorization": f"ApiKey {API_KEY}"})
    assert r.status_code == 403 and "none configured" in r.json()["detail"]


def test_update_with_a_key_and_a_bad_dataset_says_which(client) -> None:
    r = client.post(
        "/lists/update", json={"datasets": ["no_such_list"]}, headers={"X-API-Key": API_KEY}
    )
    assert r.status_code == 400 and "unknown dataset no_such_list" in r.json()["detail"]


def test_reads_can_require_a_key(client_with) -> None:
    keyed = client_with(read_needs_key=True)
    assert keyed.get("/healthz").status_code == 200  # probes stay open
    assert keyed.post("/match/default", json=GOOD).status_code == 401
    assert keyed.get("/catalog").status_code == 401
    ok = keyed.post("/match/default", json=GOOD, headers={"Authorization": f"Bearer {API_KEY}"})
    assert ok.status_code == 200 and ok.json()["responses"]["q1"]["results"]


def test_every_answer_names_its_index(client) -> None:
    r = client.post("/match/default", json=GOOD)
    version = r.headers["X-Corridor-Index"]
    assert client.get("/readyz").headers["X-Corridor-Index"] == version


def test_update_in_the_background_and_one_at_a_time(client_with, lists_dir) -> None:
    admin = client_with(update_from=lists_dir)
    key = {"Authorization": f"ApiKey {API_KEY}"}
    holder = admin.app.state.holder
    assert holder.update_lock.acquire(blocking=False)  # as if an update were running
    try:
        r = admin.post("/lists/update", json={"datasets": ["un_sc_sanctions"]}, headers=key)
        assert r.status_code == 409 and "already running" in r.json()["detail"]
    finally:
        holder.update_lock.release()
    version = admin.get("/readyz").headers["X-Corridor-Index"]
    r = admin.post("/lists/update?wait=false", json={"datasets": ["un_sc_sanctions"]}, headers=key)
    assert r.status_code == 202 and r.json()["status"] == "accepted"
    assert holder.update_lock.acquire(timeout=60)  # the background update finished
    holder.update_lock.release()
    r = admin.post("/lists/update", json={"datasets": ["un_sc_sanctions"]}, headers=key)
    assert r.status_code == 200
    assert r.json()["updates"] == [
        {
            "dataset": "un_sc_sanctions",
            "status": "unchanged",
            "version": r.json()["updates"][0]["version"],
            "entities": 1003,
            "error": None,
        }
    ]
    assert r.json()["index"] == version  # unchanged files: the same index is served


def test_api_key_command_prints_a_key_and_its_hash() -> None:
    from typer.testing import CliRunner

    from corridor.api.auth import hash_key
    from corridor.cli import app

    out = CliRunner().invoke(app, ["api-key"]).output
    key = out.split("key:")[1].split()[0]
    digest = out.split("hash:")[1].split()[0]
    assert key.startswith("crd_") and len(key) > 30 and hash_key(key) == digest


def test_another_package_can_mount_its_routes_on_the_app(api_settings) -> None:
    pages = APIRouter()

    @pages.get("/ui/status")
    async def status(request: Request) -> dict:
        return {"index": request.app.state.holder.status}

    with TestClient(create_app(api_settings, routers=[pages])) as c:
        wait = c.get("/ui/status")
        assert wait.status_code == 200 and "index" in wait.json()
        assert c.get("/healthz").status_code == 200


def test_with_no_lists_the_server_starts_and_says_why_it_is_not_ready(tmp_path) -> None:
    from corridor.settings import ApiSettings

    empty = ApiSettings(db_url=f"sqlite:///{tmp_path / 'empty.db'}", reload_seconds=0)
    with TestClient(create_app(empty)) as c:
        assert c.get("/healthz").status_code == 200
        r = c.get("/readyz")
        assert r.status_code == 503 and "no lists are loaded" in r.json()["detail"]
        r = c.post("/match/default", json=GOOD)
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
