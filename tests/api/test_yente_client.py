"""The yente client from PyPI, unchanged, against corridor's server: every call it offers
that a yente server answers, each answer parsed by the client's own models."""

from __future__ import annotations

import pytest
from yente_client import Client
from yente_client.entities import Company, Person, Vessel
from yente_client.exceptions import BadRequestError, NotFoundError
from yente_client.models import MatchError, MatchResponse


@pytest.fixture(scope="module")
def yente(server) -> Client:
    with Client(base_url=server.url, app_name="corridor-tests") as c:
        yield c


def test_health_and_readiness(yente: Client) -> None:
    assert yente.healthz().status == "ok"
    assert yente.readyz().status == "ok"


def test_datasets_lists_loaded_lists_and_collections(yente: Client) -> None:
    catalog = yente.datasets()
    by_name = {d.name: d for d in catalog.datasets}
    for name in ("us_ofac_sdn", "un_sc_sanctions"):
        assert by_name[name].load and by_name[name].children == []
        assert by_name[name].entity_count and by_name[name].entity_count > 500
    assert set(by_name["default"].children) == {"us_ofac_sdn", "un_sc_sanctions"}
    assert by_name["us"].children == ["us_ofac_sdn"]
    assert by_name["un"].children == ["un_sc_sanctions"]
    assert by_name["kz"].children == ["un_sc_sanctions"]  # Kazakhstan implements the UN list
    assert "eu" not in by_name  # no EU list loaded: no empty collection
    assert set(catalog.current) == set(by_name)
    assert not catalog.index_stale


def test_algorithms(yente: Client) -> None:
    algos = yente.algorithms()
    assert algos.default == algos.best == "corridor"
    assert algos.algorithms[0].docs and "dob_conflict" in algos.algorithms[0].docs


def test_match_finds_a_listed_person_with_features(yente: Client) -> None:
    response = yente.match(Person(name="Ali Akbar Ahmadian", nationality="ir"), threshold=0.8)
    assert isinstance(response, MatchResponse)
    top = response.top
    assert top is not None and top.match and top.score >= 0.8
    assert "us_ofac_sdn" in top.datasets
    assert any(r.startswith("us_ofac_sdn:") for r in top.referents)
    assert top.properties["name"]
    assert top.explanations["name"].score > 0.8
    assert top.explanations["name"].candidate
    assert response.query["properties"]["name"] == ["Ali Akbar Ahmadian"]
    assert response.total.value >= 1


def test_match_in_a_scope_and_with_filters(yente: Client) -> None:
    un_only = yente.match(Company(name="Al-Qaida"), datasets=["un"])
    assert un_only.results and all("un_sc_sanctions" in r.datasets for r in un_only.results)
    top_id = un_only.results[0].id
    excluded = yente.match(Company(name="Al-Qaida"), datasets=["un"], exclude_entities=[top_id])
    assert top_id not in {r.id for r in excluded.results}


def test_match_iter_streams_many_queries(yente: Client) -> None:
    pairs = [
        ("a", Person(name="Ali Akbar Ahmadian")),
        ("b", Vessel(name="ADRIAN DARYA 1", imoNumber="IMO 9116412")),
        ("c", Person(name="Johanna Marieke Vandersloot", birthDate="1981-03-02")),
    ]
    got = dict(yente.match_iter(pairs, workers=2, on_error="collect"))
    assert set(got) == {"a", "b", "c"}
    assert not any(isinstance(v, MatchError) for v in got.values())
    assert got["a"].top.match
    assert not got["c"].matches  # a made-up name: no alert


def test_search_and_fetch(yente: Client) -> None:
    found = yente.search("Al Qaida", datasets=["default"], limit=5)
    assert found.results and found.total.value >= len(found.results)
    assert "countries" in found.facets and "datasets" in found.facets
    entity = yente.fetch(found.results[0].id)
    assert entity.id == found.results[0].id and entity.properties["name"]
    # a source id resolves to its merged entity (a 308 the client follows)
    source = next(r for r in entity.referents if ":" in r)
    assert yente.fetch(source).id == entity.id


def test_adjacent_is_empty_but_answered(yente: Client) -> None:
    entity = yente.search("Al Qaida", limit=1).results[0]
    adj = yente.adjacent(entity.id)
    assert adj.entity.id == entity.id and adj.adjacent == {}
    prop = yente.adjacent(entity.id, prop="sanctions")
    assert prop.results == [] and prop.total.value == 0


def test_errors_map_to_the_clients_exceptions(yente: Client) -> None:
    with pytest.raises(NotFoundError):
        yente.fetch("no-such-entity")
    with pytest.raises(NotFoundError, match="not loaded"):
        yente.match(Person(name="x y"), datasets=["eu_fsf"])
    with pytest.raises(BadRequestError, match="weights"):
        yente.match(Person(name="Ali Akbar Ahmadian"), weights={"name_literal": 0.5})
