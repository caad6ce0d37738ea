"""OFAC XML (SDN.XML and the consolidated list) on fixtures in OFAC's structure.

The SDN fixture re-states four real entries of ../shared/data/lists/ofac, so the XML and
the CSV parser must agree on them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor.errors import SourceError
from corridor.model import validate_ftm
from corridor.sources.ofac_csv import parse_ofac_csv
from corridor.sources.ofac_xml import parse_ofac_cons_xml, parse_ofac_xml
from corridor.sources.registry import detect, parse_dataset

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ofac"


@pytest.fixture(scope="module")
def xml_entities() -> dict:
    parsed = parse_ofac_xml([FIXTURES / "sdn.xml"])
    assert parsed.list_date == "2021-07-06"
    return {e.source_id: e for e in parsed.entities}


def test_counts_and_validation(xml_entities: dict) -> None:
    text = (FIXTURES / "sdn.xml").read_text(encoding="utf-8")
    assert len(xml_entities) == text.count("<sdnEntry>")
    for entity in xml_entities.values():
        validate_ftm(entity)
    schemata = sorted(e.schema for e in xml_entities.values())
    assert schemata == ["Airplane", "Organization", "Person", "Vessel"]


def test_agrees_with_csv(lists_dir: Path, xml_entities: dict) -> None:
    ofac = lists_dir / "ofac"
    csv = {
        e.source_id: e
        for e in parse_ofac_csv(
            [ofac / n for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")]
        ).entities
    }
    compared = (
        "name",
        "alias",
        "weakAlias",
        "previousName",
        "birthDate",
        "birthPlace",
        "nationality",
        "passportNumber",
        "idNumber",
        "imoNumber",
        "mmsi",
        "flag",
        "pastFlags",
        "callSign",
        "program",
        "topics",
        "country",
        "serialNumber",
        "model",
        "buildDate",
    )
    for source_id, entity in xml_entities.items():
        other = csv[source_id]
        assert entity.schema == other.schema
        for prop in compared:
            assert sorted(entity.get(prop)) == sorted(other.get(prop)), (source_id, prop)


def test_person_details(xml_entities: dict) -> None:
    robow = xml_entities["us_ofac_sdn:11313"]
    assert robow.get("name") == ["ROBOW, Mukhtar"]
    assert robow.get("birthDate") == ["1969", "1969-10-10"]
    assert robow.get("passportNumber") == ["0310857"]
    assert robow.get("nationality") == ["er"]
    assert robow.get("weakAlias") == ["ABU MANSUR", "ABU MANSOUR"]


def test_vessel(xml_entities: dict) -> None:
    vessel = xml_entities["us_ofac_sdn:15036"]
    assert vessel.get("imoNumber") == ["IMO9187629"]
    assert vessel.get("flag") == ["ir"]
    assert "sanction.secondary" in vessel.get("topics")
    assert sorted(vessel.get("previousName")) == ["ABADAN", "ALPHA", "SHONA"]


def test_consolidated_other_namespace() -> None:
    parsed = parse_ofac_cons_xml([FIXTURES / "consolidated.xml"])
    assert parsed.dataset == "us_ofac_cons" and parsed.list_date == "2024-02-15"
    [entity] = list(parsed.entities)
    validate_ftm(entity)
    assert entity.source_id == "us_ofac_cons:90001"
    assert entity.get("program") == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert entity.get("innCode") == ["7700000000"]
    assert entity.get("country") == ["ru"]


def test_xml_preferred_over_csv(lists_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "ofac"
    shutil.copytree(lists_dir / "ofac", target)
    shutil.copy(FIXTURES / "sdn.xml", target / "sdn.xml")
    found = detect(tmp_path)
    assert found["us_ofac_sdn"] == [target / "sdn.xml"]
    parsed = parse_dataset("us_ofac_sdn", [*target.iterdir()])
    assert parsed.list_date == "2021-07-06"


def test_broken_xml(tmp_path: Path) -> None:
    broken = tmp_path / "sdn.xml"
    text = (FIXTURES / "sdn.xml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("<sdnType>Vessel</sdnType>", "<sdnType>Boat</sdnType>"), encoding="utf-8"
    )
    with pytest.raises(SourceError, match="unknown sdnType") as err:
        list(parse_ofac_xml([broken]).entities)
    assert err.value.element == "sdnEntry uid=15036" and err.value.field == "sdnType"
    broken.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    with pytest.raises(SourceError, match="truncated"):
        list(parse_ofac_xml([broken]).entities)
