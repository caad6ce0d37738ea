"""The UN consolidated list parser, on the real UN_consolidated.xml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corridor.model import validate_ftm
from corridor.sources.un_sc import parse_un_sc


@pytest.fixture(scope="module")
def un_file(lists_dir: Path) -> Path:
    return lists_dir / "un" / "UN_consolidated.xml"


@pytest.fixture(scope="module")
def un_entities(un_file: Path) -> dict:
    parsed = parse_un_sc([un_file])
    return {e.source_id: e for e in parsed.entities}


def test_counts_match_the_file(un_file: Path, un_entities: dict) -> None:
    text = un_file.read_text(encoding="utf-8")
    individuals = len(re.findall(r"<INDIVIDUAL>", text))
    organisations = len(re.findall(r"<ENTITY>", text))
    schemata = [e.schema for e in un_entities.values()]
    assert schemata.count("Person") == individuals
    assert schemata.count("Organization") == organisations
    assert len(un_entities) == len(re.findall(r"<DATAID>", text))


def test_list_date_from_root(un_file: Path) -> None:
    text = un_file.read_text(encoding="utf-8")[:1000]
    generated = re.search(r'dateGenerated="([0-9-]{10})', text)
    assert generated is not None
    assert parse_un_sc([un_file]).list_date == generated[1]


def test_every_entity_validates(un_entities: dict) -> None:
    for entity in un_entities.values():
        validate_ftm(entity)
        assert entity.source_id.startswith("un_sc_sanctions:")


def test_alias_qualities_and_year_range(un_entities: dict) -> None:
    # BOSCO TAGANDA: aliases of quality Good and Low, born BETWEEN 1973 and 1974.
    bosco = un_entities["un_sc_sanctions:6908021"]
    assert bosco.get("name") == ["BOSCO TAGANDA"]
    assert "Bosco Ntaganda" in bosco.get("alias")
    assert "Terminator" in bosco.get("weakAlias")
    assert "Terminator" not in bosco.get("alias")
    assert bosco.get("birthDate") == ["1973", "1974"]
    assert bosco.get("nationality") == ["cd"]
    assert bosco.get("program") == ["DRC"]
    assert bosco.get("gender") == ["male"]


def test_year_only_birth_date_and_passport(un_entities: dict) -> None:
    badege = un_entities["un_sc_sanctions:6907993"]
    assert badege.get("birthDate") == ["1971"]
    assert badege.get("country") == ["rw"]
    holder = [e for e in un_entities.values() if "AB850901" in e.get("passportNumber")]
    assert len(holder) == 1
    assert "AB187304" in holder[0].get("passportNumber")


def test_original_script_and_fka(un_file: Path, un_entities: dict) -> None:
    text = un_file.read_text(encoding="utf-8")
    scripts = re.findall(r"<NAME_ORIGINAL_SCRIPT>([^<]+)<", text)
    aliases = {a for e in un_entities.values() for a in e.get("alias")}
    assert all(" ".join(s.split()) in aliases for s in scripts)
    fka = re.findall(r"<QUALITY>f\.k\.a\.</QUALITY>\s*<ALIAS_NAME>([^<]+)<", text)
    previous = {a for e in un_entities.values() for a in e.get("previousName")}
    assert fka and all(" ".join(n.split()) in previous for n in fka)


def test_quotes_around_whole_aliases_are_dropped(un_file: Path, un_entities: dict) -> None:
    text = un_file.read_text(encoding="utf-8")
    quoted = re.findall(r"<ALIAS_NAME>\s*[\"“]([^<\"“”]+)[\"”]\s*<", text)
    names = {a for e in un_entities.values() for p in ("alias", "weakAlias") for a in e.get(p)}
    assert len(quoted) >= 10
    assert all(" ".join(q.split()) in names for q in quoted)
    assert not [n for n in names if n[:1] in '"“' and n[-1:] in '"”']
    assert "The Base" in un_entities["un_sc_sanctions:113458"].get("alias")
