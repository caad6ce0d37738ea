"""Request bodies in the forms yente's documentation uses, answered field by field in yente's
shape; and POST /screen, which answers what ``screen_trade`` does."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from corridor.policy import load_policy
from corridor.screening import build_screener, parse_trade, screen_trade
from corridor.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: The example of yente's /match documentation: free keys, a property as a list or a string.
YENTE_DOC_BODY = {
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {
                "name": ["John Doe"],
                "birthDate": ["1975-04-21"],
                "nationality": ["us"],
            },
        },
        "entity2": {
            "schema": "Company",
            "properties": {
                "name": ["Brilliant Amazing Limited"],
                "jurisdiction": ["hk"],
                "registrationNumber": ["84BA99810"],
            },
        },
        "listed": {"schema": "Person", "properties": {"name": "Ali Akbar Ahmadian"}},
    }
}
RESULT_FIELDS = {
    "id",
    "caption",
    "schema",
    "properties",
    "datasets",
    "referents",
    "target",
    "first_seen",
    "last_seen",
    "last_change",
    "score",
    "match",
    "features",
    "explanations",
    "explanation",
    "source_ids",
}


def test_yente_documentation_body_field_by_field(client) -> None:
    r = client.post("/match/default", json=YENTE_DOC_BODY, params={"limit": 3})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"responses", "matcher", "limit"} and body["limit"] == 3
    assert set(body["responses"]) == {"entity1", "entity2", "listed"}
    for doc in body["matcher"].values():
        assert set(doc) == {"description", "coefficient", "url"}
    for key, resp in body["responses"].items():
        assert set(resp) == {"status", "results", "total", "query"}
        assert resp["status"] == 200
        assert set(resp["total"]) == {"value", "relation"}
        assert resp["query"]["schema"] == YENTE_DOC_BODY["queries"][key]["schema"]
        assert all(isinstance(v, list) for v in resp["query"]["properties"].values())
        assert len(resp["results"]) <= 3
    assert not any(r["match"] for r in body["responses"]["entity1"]["results"])
    top = body["responses"]["listed"]["results"][0]
    assert set(top) == RESULT_FIELDS
    assert top["match"] is True and 0.8 <= top["score"] <= 1
    assert top["target"] is True and top["schema"] == "Person"
    assert all(isinstance(v, list) for v in top["properties"].values())
    assert any(s.startswith("us_ofac_sdn:") for s in top["referents"])
    assert top["first_seen"] and top["last_seen"]
    assert all(isinstance(v, float) for v in top["features"].values())
    assert top["features"]["name"] == top["explanations"]["name"]["score"]
    pairs = top["explanation"]["name"]["pairs"]
    assert {p["query"] for p in pairs} >= {"ali", "akbar", "ahmadian"}
    # The queries of one request are prepared together: each is answered as if alone.
    for key, query in YENTE_DOC_BODY["queries"].items():
        alone = client.post("/match/default", json={"queries": {key: query}}, params={"limit": 3})
        assert alone.json()["responses"][key] == body["responses"][key]


def test_threshold_cutoff_and_limit_behave_as_in_yente(client) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Akbar Ahmadian"]}}}}
    strict = client.post("/match/default", json=body, params={"threshold": 1.0}).json()
    assert not any(x["match"] and x["score"] < 1.0 for x in strict["responses"]["q"]["results"])
    loose = client.post("/match/default", json=body, params={"cutoff": 0.95, "limit": 1}).json()
    results = loose["responses"]["q"]["results"]
    assert len(results) <= 1 and all(x["score"] >= 0.95 for x in results)


def test_the_entity_of_a_result_has_its_source_records(client) -> None:
    body = {"queries": {"q": {"schema": "Organization", "properties": {"name": ["Al-Qaida"]}}}}
    top = client.post("/match/un", json=body).json()["responses"]["q"]["results"][0]
    entity = client.get(f"/entities/{top['id']}").json()
    assert entity["id"] == top["id"]
    assert {r["referents"][0] for r in entity["records"]} >= {
        s for s in top["source_ids"] if s.startswith("un_sc_sanctions:")
    }
    assert {r["datasets"][0] for r in entity["records"]} == set(entity["datasets"])


def test_screen_answers_what_screen_trade_does(client, api_db) -> None:
    data = yaml.safe_load((EXAMPLES / "03-kz-reseller-usd.yaml").read_text())
    data["date"] = str(data["date"])
    r = client.post("/screen", json=data)
    assert r.status_code == 200, r.text
    store = Store(api_db)
    expected = screen_trade(
        parse_trade(data), store=store, policy=load_policy(), matcher=build_screener(store)
    ).model_dump(mode="json", by_alias=True)
    assert r.json() == expected
    assert r.json()["verdict"] in ("PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "CLEAR")
    dated = client.post("/screen", json=data, params={"as_of": "2025-03-01"})
    assert dated.status_code == 200 and dated.json()["as_of"] == "2025-03-01"
    assert {x["dataset"] for x in dated.json()["lists"]} == {"us_ofac_sdn", "un_sc_sanctions"}


def test_screen_rejects_a_bad_trade_naming_the_field(client) -> None:
    r = client.post(
        "/screen",
        json={"parties": [{"role": "exporter", "name": "X"}], "goods": [{"hs_code": "85"}]},
    )
    assert r.status_code == 400 and "goods[0].hs_code" in r.json()["detail"]
    r = client.post("/screen", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "malformed JSON" in r.json()["detail"]
    r = client.post("/screen", json=["a list"])
    assert r.status_code == 400 and "a trade is a mapping" in r.json()["detail"]
    r = client.post(
        "/screen", json={"parties": [{"role": "exporter", "name": "X"}]}, params={"as_of": "soon"}
    )
    assert r.status_code == 422 and "query.as_of" in r.json()["detail"]


def test_curl_example_of_the_readme_is_valid(client) -> None:
    body = textwrap.dedent("""
        {"queries": {"q1": {"schema": "Person",
         "properties": {"name": ["Ali Akbar Ahmadian"], "nationality": ["ir"]}}}}
    """)
    r = client.post("/match/default", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["responses"]["q1"]["results"][0]["match"]


def test_a_low_threshold_is_never_cut_off(client) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Akbar Ahmadi"]}}}}
    r = client.post("/match/default", json=body, params={"threshold": 0.3, "limit": 20}).json()
    results = r["responses"]["q"]["results"]
    assert any(x["score"] < 0.5 for x in results)  # cutoff 0.5 yields to threshold 0.3
    assert all(x["match"] == (x["score"] >= 0.3) for x in results)
    assert all(x["explanation"].get("threshold", 0.3) == 0.3 for x in results)
