"""The matcher on the real UN + OFAC lists: ranking, qualifiers, merging, explanations."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from matching_fixtures import dev_set, real_matcher

from corridor.errors import InputError
from corridor.matching import DEFAULT_THRESHOLD, Matcher, MatchResult
from corridor.matching.compare.names import align_names
from corridor.matching.compare.schema import QUERY_SCHEMATA
from corridor.matching.linking import RecordLinker, cross_list_links
from corridor.matching.result import MATCH_JSON_SCHEMA
from corridor.matching.score import FEATURES
from corridor.model import Entity


@pytest.fixture(scope="module")
def matcher(lists_dir: Path) -> Matcher:
    return real_matcher(lists_dir)


def top(matcher: Matcher, schema: str, **props: list[str]) -> MatchResult:
    results = matcher.match({"schema": schema, "properties": props})
    assert results, props
    return results[0]


def test_cyrillic_person(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["Гаус Александра Викторовна"], birthDate=["1975-03-29"])
    assert "us_ofac_sdn:16395" in r.source_ids and r.match


def test_cyrillic_company_with_legal_form(matcher: Matcher) -> None:
    r = top(matcher, "Company", name=["ООО «ЮНИДЖЕТ»"], country=["ru"])
    assert r.source_ids == ["us_ofac_sdn:31299"] and r.match


def test_romanisation_variant(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["Sergey Vladimirovich Jelezniak"])
    assert "us_ofac_sdn:16668" in r.source_ids and r.match


def test_same_person_on_both_lists_is_one_result(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["MIN BYONG CHOL"])
    assert set(r.source_ids) == {"un_sc_sanctions:6908587", "us_ofac_sdn:21305"}
    assert r.datasets == ["un_sc_sanctions", "us_ofac_sdn"]


def test_conflicting_birth_date_lowers_the_score(matcher: Matcher) -> None:
    right = top(matcher, "Person", name=["Carlos CASTANO GIL"], birthDate=["1965-05-15"])
    wrong = top(matcher, "Person", name=["Carlos CASTANO GIL"], birthDate=["1976-05-15"])
    assert right.source_ids == wrong.source_ids == ["us_ofac_sdn:8147"]
    assert wrong.score < right.score
    assert wrong.explanation.features["dob_conflict"].contribution < 0


def test_vessel_found_by_imo_even_when_renamed(matcher: Matcher) -> None:
    r = top(matcher, "Vessel", name=["SOME NEW NAME"], imoNumber=["IMO9137246"])
    assert r.source_ids == ["us_ofac_sdn:25261"] and r.match
    assert r.explanation.features["imo_match"].value == 1.0
    assert "sanction.secondary" in r.topics and r.schema == "Vessel"


def test_person_query_does_not_alert_on_an_organisation(matcher: Matcher) -> None:
    results = matcher.match({"schema": "Person", "properties": {"name": ["IRAN SHAHED"]}})
    assert not any(r.match for r in results)


def test_common_words_alone_do_not_alert(matcher: Matcher) -> None:
    for name in ["Mohammed Ali Trading LLC", "International Group Company", "John Smith"]:
        results = matcher.match({"schema": "LegalEntity", "properties": {"name": [name]}})
        assert not any(r.match for r in results), (name, results[:1])


def test_explanation_has_alignment_and_features(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["Roman LYAGIN"], birthDate=["1980"])
    ex = r.explanation
    assert ex.query_name == "Roman LYAGIN" and ex.name is not None
    assert {(p.query, p.listed) for p in ex.name.pairs} == {
        ("roman", "roman"),
        ("lyagin", "lyagin"),
    }
    assert all(p.weight > 0 for p in ex.name.pairs)
    assert ex.features["dob_match"].description
    assert [f.name for f in FEATURES] == list(ex.features)  # every feature, fired or not
    assert ex.threshold == DEFAULT_THRESHOLD
    assert r.caption and r.schema == "Person" and "sanction" in r.topics


def test_json_form_follows_its_schema(matcher: Matcher) -> None:
    queries = [
        {"schema": "Person", "properties": {"name": ["Roman LYAGIN"], "birthDate": ["1980"]}},
        {"schema": "Company", "properties": {"name": ["ООО «ЮНИДЖЕТ» Holding"]}},
        {"schema": "Vessel", "properties": {"name": ["SOME NEW NAME"], "imoNumber": ["9137246"]}},
    ]
    for query in queries:
        for r in matcher.match(query):
            data = r.to_dict()
            jsonschema.validate(data, MATCH_JSON_SCHEMA)
            assert list(data) == list(MATCH_JSON_SCHEMA["properties"])
            assert list(data["explanation"]) == [
                "query_name",
                "listed_name",
                "listed_name_weak",
                "name",
                "features",
                "threshold",
            ]


def test_identifier_alone_explains_an_empty_alignment(matcher: Matcher) -> None:
    r = top(matcher, "Vessel", name=["SOME NEW NAME"], imoNumber=["IMO9137246"])
    ex = r.explanation
    assert ex.query_name == "SOME NEW NAME" and ex.listed_name == r.caption
    assert ex.name is not None and ex.name.to_dict() == {
        "score": 0.0,
        "pairs": [],
        "unmatched_query": [],
        "unmatched_listed": [],
    }


def test_protocol_results_sorted_and_bounded(matcher: Matcher) -> None:
    out = matcher.match_protocol({"schema": "Person", "properties": {"name": ["Ali Hassan"]}})
    assert 0 < len(out) <= 10
    scores = [r["score"] for r in out]
    assert scores == sorted(scores, reverse=True)
    assert set(out[0]) == {"id", "score", "match", "source_ids"}


def test_a_prepared_block_matches_as_each_query_alone(lists_dir: Path) -> None:
    """``prepare_block`` only fills caches: a fresh matcher that prepares a block first
    gives every query the results another fresh matcher gives it alone, and a query it
    cannot prepare comes back as its error, in its place."""
    queries = [
        {"schema": "Person", "properties": {"name": ["Гаус Александра Викторовна"]}},
        {"schema": "Persn", "properties": {"name": ["Roman LYAGIN"]}},
        {"schema": "Company", "properties": {"name": ["Kaz Munai Gaz LLP"], "country": ["kz"]}},
        {"schema": "Person", "properties": {"name": ["Abdul Rahman Yasin", "Jun Yin"]}},
        {"schema": "Person", "properties": {}},
    ]
    blocked, alone = real_matcher(lists_dir), real_matcher(lists_dir)
    prepared = blocked.prepare_block(queries)
    assert isinstance(prepared[1], InputError) and "Persn" in str(prepared[1])
    assert isinstance(prepared[4], InputError) and "properties.name" in str(prepared[4])
    with pytest.raises(InputError, match="Persn"):  # raised where the query is matched
        blocked.match_protocol(prepared[1])
    for query, pq in zip(queries, prepared, strict=True):
        if isinstance(pq, InputError):
            continue
        assert blocked.match_protocol(pq) == alone.match_protocol(query)
        assert [r.to_dict() for r in blocked.match(pq)] == [r.to_dict() for r in alone.match(query)]
    assert blocked.match_protocol(prepared[0])[0]["source_ids"] == ["us_ofac_sdn:16395"]


def test_query_without_name_is_rejected(matcher: Matcher) -> None:
    with pytest.raises(InputError, match="properties.name"):
        matcher.match({"schema": "Person", "properties": {}})


def test_a_schema_the_matcher_does_not_know_is_rejected(matcher: Matcher) -> None:
    """A typo (``Persn``) or a schema that names no party (``Address``) must not be matched as
    "person or organisation, unknown": the caller hears which schemata there are."""
    for schema in ("Persn", "Address", "person"):
        query = {"schema": schema, "properties": {"name": ["Roman LYAGIN"]}}
        with pytest.raises(InputError, match=rf"schema: '{schema}' is not a schema .* Person"):
            matcher.match(query)
    for schema in QUERY_SCHEMATA:
        matcher.match({"schema": schema, "properties": {"name": ["Roman LYAGIN"]}})
    assert matcher.match({"properties": {"name": ["Roman LYAGIN"]}})  # none: LegalEntity


def test_from_entities_on_a_small_list() -> None:
    a = Entity.create("demo", "1", "Company")
    a.add("name", "Example Trading TOO")
    a.add("registrationNumber", "123456789012")
    b = Entity.create("demo", "2", "Person")
    b.add("name", "Ivanov, Ivan")
    m = Matcher.from_entities([a, b])
    r = m.match({"schema": "Company", "properties": {"name": ["EXAMPLE TRADING LLP"]}})
    assert r[0].source_ids == ["demo:1"] and r[0].match
    by_id = m.match(
        {
            "schema": "Company",
            "properties": {"name": ["Other"], "registrationNumber": ["1234 5678 9012"]},
        }
    )
    assert by_id[0].source_ids == ["demo:1"]


def test_arabic_script_query(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["أحمد حسين الخضير"])
    assert "us_ofac_sdn:8329" in r.source_ids and r.match


def test_glued_and_split_parts(matcher: Matcher) -> None:
    assert "us_ofac_sdn:24310" in top(matcher, "Person", name=["ABUGREIN Musab"]).source_ids
    r = top(matcher, "Person", name=["KIM TONGCHOL"])
    assert r.match and r.caption.startswith("KIM")


def test_initials_for_given_names(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["D. B. KRATOV"])
    assert r.source_ids == ["us_ofac_sdn:16394"] and r.match
    assert r.explanation.name is not None
    pairs = {(p.query, p.listed) for p in r.explanation.name.pairs}
    assert ("d", "dmitry") in pairs


def test_glued_words_in_a_company_name(matcher: Matcher) -> None:
    r = top(matcher, "Company", name=["INVERSIONESARIO LTDA."])
    assert r.source_ids == ["us_ofac_sdn:4500"] and r.match


def test_two_typos_in_a_long_part_are_still_found(matcher: Matcher) -> None:
    r = top(matcher, "Person", name=["RAZOOKOI, Hanna"])
    assert r.source_ids == ["us_ofac_sdn:8399"] and r.match


def test_one_party_on_two_lists_is_one_result(matcher: Matcher) -> None:
    """Records linked across lists beyond equal names: one holds the other's name and the
    birth year agrees (Hamza bin Laden), the full birth date and country agree with an
    alias spelled otherwise (FAIZ / MOHAMMED YUSIP KARIM), an acronym in brackets."""
    r = top(matcher, "Person", name=["Hamza Usama Bin Laden"], birthDate=["1989"])
    assert set(r.source_ids) == {"un_sc_sanctions:6908767", "us_ofac_sdn:21286"}
    r = top(matcher, "Person", name=["FAIZ, Mohammad Yusuf Karim"], nationality=["id"])
    assert set(r.source_ids) == {"un_sc_sanctions:6908719", "us_ofac_sdn:24784"}
    r = top(matcher, "Organization", name=["GENERAL BUREAU OF ATOMIC ENERGY"])
    assert set(r.source_ids) == {"un_sc_sanctions:690758", "us_ofac_sdn:11598"}
    alerts = [
        x
        for x in matcher.match(
            {"schema": "Organization", "properties": {"name": ["GENERAL BUREAU OF ATOMIC ENERGY"]}}
        )
        if x.match
    ]
    assert len(alerts) == 1


def people(rows: list[tuple[str, str, str, list[str]]]) -> list[Entity]:
    """Person records (id, dataset, name, birth dates) of small made-up lists."""
    records = []
    for native, dataset, name, dates in rows:
        entity = Entity.create(dataset, native, "Person")
        entity.add("name", name)
        entity.add("birthDate", *dates)
        records.append(entity)
    return records


def align_every_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linking as if it aligned every candidate name in full (both of its floors off)."""
    every_name = Matcher._best_names
    monkeypatch.setattr(
        Matcher, "_best_names", lambda self, pq, link_floor=0.0, own=-1: every_name(self, pq)
    )


def test_linking_aligns_in_full_only_names_that_can_link(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Linking leaves names under ``LINK_FLOOR`` (and, the other way round, under the
    score the pair needs, and names of the record's own list under the contest's score)
    without a full alignment: the links are those of aligning every name in full, on every
    record of UN against OFAC."""
    monkeypatch.setenv("CORRIDOR_LINK_WORKERS", "1")
    links = cross_list_links(matcher)
    assert len(links) > 500
    full_name_score = RecordLinker.name_score
    align_every_name(monkeypatch)
    monkeypatch.setattr(
        RecordLinker,
        "name_score",
        lambda self, q, listed, needed=0.0: full_name_score(self, q, listed),
    )
    assert cross_list_links(matcher) == links


def test_linking_record_contests_other_lists_names_from_its_own_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records of the linking record's own list are never linked to it, but they (the
    record itself first) still make the contest: a name of another list that leaves a
    distinctive part over is scored as naming someone else. Here the contest alone keeps
    ``Ivan Petrov`` from ``Ivan Petrov Sidorov`` of the same birth date, so leaving the
    own list's names out (or aligning them under a wrong floor) would link them."""
    born = ["1971-04-12"]
    monkeypatch.setenv("CORRIDOR_LINK_WORKERS", "1")
    matcher = Matcher.from_entities(
        people(
            [
                ("1", "list_a", "Ivan Petrov", born),
                ("2", "list_b", "Ivan Petrov Sidorov", born),
                ("3", "list_b", "Maria Ivanova", born),
                ("4", "list_b", "Olga Smirnova", born),
            ]
        )
    )
    t = matcher.entities
    ent = {t.source_ids[e]: e for e in range(len(t))}
    assert cross_list_links(matcher) == []
    assert t.cluster[ent["list_a:1"]] != t.cluster[ent["list_b:2"]]

    linker = RecordLinker(matcher)
    pq = linker.record_query(ent["list_a:1"])
    assert pq is not None
    needed = linker.link_name_score(pq, ent["list_b:2"])  # the same full birth date
    assert needed is not None
    toks, weights, _abjad = matcher._query_parts("Ivan Petrov", False)
    listed = linker.entity_names(ent["list_b:2"])[0]
    uncontested = align_names(toks, weights, *matcher._parts(listed), "person", False, True)
    assert uncontested is not None and uncontested[0] >= needed  # without the contest: linked
    assert linker.name_score(ent["list_b:2"], ent["list_a:1"]) < needed  # nor the other way

    align_every_name(monkeypatch)
    assert cross_list_links(matcher) == []


_LINK_IN_WORKERS = """
import json, sys
from pathlib import Path
from corridor.matching import linking
from matching_fixtures import real_matcher

matcher = real_matcher(Path(sys.argv[1]))
un = [e for e in range(len(matcher.entities)) if matcher.entities.datasets[e] == "un_sc_sanctions"]
one = linking.RecordLinker(matcher).links(un)
linking.PARALLEL_MIN = 100
shared = linking.cross_list_links(matcher)
print(json.dumps({"may_fork": linking.may_fork(), "same": shared == one, "links": len(one)}))
"""


def test_linking_shared_out_among_workers_finds_the_same_links(lists_dir: Path) -> None:
    """Many records to link are shared out among processes forked from the building one
    (here from a fresh interpreter: never from one running threads, as a test process may
    be): the same links, in the same order, as one process."""
    done = subprocess.run(
        [sys.executable, "-c", _LINK_IN_WORKERS, str(lists_dir)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,  # matching_fixtures
        env={**os.environ, "CORRIDOR_LINK_WORKERS": "2"},
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["may_fork"] and found["same"] and found["links"] > 500


def test_a_record_with_several_birth_years_joins_a_namesake_in_a_set_order() -> None:
    """Records merged by equal names and birth year: a record with several birth years
    meets its namesakes of another list year by year in order, so which one it joins (the
    earliest year's) never depends on the process's string hashing."""
    name = "Ivan Sergeevich Petrov"
    matcher = Matcher.from_entities(
        people(
            [
                ("1", "list_b", name, ["1970-05-01"]),
                ("2", "list_b", name, ["1965-02-02"]),
                ("3", "list_b", name, ["1958-07-11"]),
                ("4", "list_a", name, ["1970-05-01", "1965-02-02", "1958-07-11"]),
            ]
        )
    )
    members = {
        tuple(sorted(matcher.entities.source_ids[m] for m in matcher.entities.cluster_members[c]))
        for c in set(matcher.entities.cluster.tolist())
    }
    assert members == {("list_a:4", "list_b:3"), ("list_b:1",), ("list_b:2",)}


def test_relatives_sharing_a_name_chain_are_not_alerted(matcher: Matcher) -> None:
    """When a listed name is the query's part for part, the father (whose name the son's
    holds), the sons and brothers (another given name before the same chain) stay below
    the threshold; the right one comes first."""
    for name, expected in (
        ("AL-TAKRITI, Barzan Ibrahim Hassan", "us_ofac_sdn:7880"),
        ("IBRAHIM SABAWI IBRAHIM HASAN EL TIKRITI", "us_ofac_sdn:9332"),
        ("Hafiz Abdoul Majid", "us_ofac_sdn:25398"),
    ):
        results = matcher.match({"schema": "Person", "properties": {"name": [name]}})
        assert expected in results[0].source_ids and results[0].match
        assert not [r for r in results[1:] if r.match], name


def test_matching_makes_no_reference_cycles(matcher: Matcher, shared_dir: Path) -> None:
    """``corridor match`` turns the cyclic garbage collector off while it matches: that is
    sound only while matching leaves nothing for it to find. After a first block (which
    builds tables once per process), every dev query is matched with the collector off;
    a collection then finds no unreachable object."""
    queries = [q for q, _ in dev_set(shared_dir)]
    for pq in matcher.prepare_block(queries[:50]):
        matcher.match_protocol(pq, limit=10)
    gc.collect()
    gc.disable()
    try:
        for start in range(50, len(queries), 256):
            for pq in matcher.prepare_block(queries[start : start + 256]):
                matcher.match_protocol(pq, limit=10)
                matcher.match(pq, limit=3)
        assert gc.collect() == 0
    finally:
        gc.enable()
