"""EU FSF XML and UK OFSI ConList.csv, on fixtures written in the official layouts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from corridor.errors import SourceError
from corridor.model import validate_ftm
from corridor.sources.eu_fsf import parse_eu_fsf
from corridor.sources.registry import detect, parse_dataset
from corridor.sources.uk_hmt import parse_uk_hmt, split_numbered

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EU = FIXTURES / "eu" / "eu_fsf.xml"
UK = FIXTURES / "uk" / "ConList.csv"


def test_eu_entities() -> None:
    parsed = parse_eu_fsf([EU])
    assert parsed.list_date == "2024-05-30"
    entities = {e.source_id: e for e in parsed.entities}
    ids = re.findall(r'<sanctionEntity [^>]*logicalId="(\d+)"', EU.read_text(encoding="utf-8"))
    assert set(entities) == {f"eu_fsf:{i}" for i in ids}
    for entity in entities.values():
        validate_ftm(entity)
    saddam = entities["eu_fsf:13"]
    assert saddam.get("name") == ["Saddam Hussein Al-Tikriti"]
    assert saddam.get("alias") == ["Abu Ali"]
    assert saddam.get("birthDate") == ["1937-04-28"]
    assert saddam.get("nationality") == ["iq"]
    assert saddam.get("program") == ["IRQ"]
    assert saddam.get("programId") == ["EU.27.28"]
    tobacco = entities["eu_fsf:139432"]
    assert tobacco.schema == "Organization"
    assert tobacco.get("registrationNumber") == ["808000714"]
    assert tobacco.get("country") == ["by"]
    assert len(tobacco.get("alias")) == 2
    sidorov = entities["eu_fsf:150001"]
    assert sidorov.get("birthDate") == ["1964", "1965", "1966"]
    assert sidorov.get("weakAlias") == ["Vanya"]
    assert sidorov.get("passportNumber") == ["720000001"]
    assert not sidorov.get("country")  # "00" means unknown
    assert sidorov.get("createdAt") == ["2023-02-25"]


def test_eu_bad_subject(tmp_path: Path) -> None:
    broken = tmp_path / "eu.xml"
    broken.write_text(
        EU.read_text(encoding="utf-8").replace('code="enterprise"', 'code="planet"'),
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="unknown subjectType") as err:
        list(parse_eu_fsf([broken]).entities)
    assert err.value.element == "sanctionEntity logicalId=139432"


def test_uk_entities() -> None:
    parsed = parse_uk_hmt([UK])
    assert parsed.list_date == "2026-01-14"
    entities = {e.source_id: e for e in parsed.entities}
    groups = {line.rsplit(",", 1)[-1] for line in UK.read_text(encoding="utf-8").splitlines()[2:]}
    assert set(entities) == {f"gb_hmt_sanctions:{g}" for g in groups}
    for entity in entities.values():
        validate_ftm(entity)
    zawahiri = entities["gb_hmt_sanctions:6897"]
    assert zawahiri.get("name") == ["Aiman Muhammed Rabi AL-ZAWAHIRI"]
    assert "Aiman ABDEL RAHMAN" in zawahiri.get("alias")
    assert zawahiri.get("weakAlias") == ["ABU MOHAMMED"]
    assert zawahiri.get("birthDate") == ["1951-06-19"]
    petrov = entities["gb_hmt_sanctions:14900"]
    assert petrov.get("nationality") == ["ru", "ua"]
    assert petrov.get("birthDate") == ["1965"]
    assert "ПЕТРОВ Иван Сергеевич" in petrov.get("alias")
    ship = entities["gb_hmt_sanctions:13641"]
    assert ship.schema == "Vessel" and ship.get("imoNumber") == ["IMO8914934"]


def test_uk_bad_layout(tmp_path: Path) -> None:
    broken = tmp_path / "ConList.csv"
    broken.write_text("\n".join(UK.read_text(encoding="utf-8").splitlines()[1:]), encoding="utf-8")
    with pytest.raises(SourceError, match="Last Updated") as err:
        parse_uk_hmt([broken])
    assert err.value.line == 1
    lines = UK.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace(",Individual,", ",Robot,")
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceError, match="unknown Group Type") as err:
        list(parse_uk_hmt([broken]).entities)
    assert err.value.line == 5 and err.value.field == "Group Type"


def test_split_numbered() -> None:
    assert split_numbered("(1) Russia (2) Ukraine") == ["Russia", "Ukraine"]
    assert split_numbered("Russia") == ["Russia"]
    assert split_numbered("") == []


def test_registry_finds_eu_and_uk(tmp_path: Path) -> None:
    (tmp_path / "eu").mkdir()
    (tmp_path / "uk").mkdir()
    shutil.copy(EU, tmp_path / "eu" / "eu_fsf.xml")
    shutil.copy(UK, tmp_path / "uk" / "ConList.csv")
    found = detect(tmp_path)
    assert set(found) == {"eu_fsf", "gb_hmt_sanctions"}
    assert parse_dataset("gb_hmt_sanctions", found["gb_hmt_sanctions"]).list_date == "2026-01-14"


def test_uk_sanctions_list_fcdo_layout() -> None:
    from corridor.sources.uk_fcdo import parse_uk_fcdo

    path = FIXTURES / "uk" / "UK-Sanctions-List.csv"
    parsed = parse_uk_fcdo([path])
    assert parsed.list_date == "2026-10-08"
    entities = {e.source_id: e for e in parsed.entities}
    assert set(entities) == {
        "gb_fcdo_sanctions:RUS9001",
        "gb_fcdo_sanctions:RUS9002",
        "gb_fcdo_sanctions:RUS9003",
    }
    for entity in entities.values():
        validate_ftm(entity)
    ship = entities["gb_fcdo_sanctions:RUS9001"]
    assert ship.schema == "Vessel"
    assert ship.get("imoNumber") == ["IMO9826000"]
    assert ship.get("flag") == ["ga"] and ship.get("pastFlags") == ["lr", "pa"]
    petrov = entities["gb_fcdo_sanctions:RUS9002"]
    assert petrov.get("name") == ["Ivan Sergeyevich PETROV"]
    assert "Ivan PETROFF" in petrov.get("alias")
    assert petrov.get("weakAlias") == ["VANYA"]
    assert petrov.get("nationality") == ["ru", "ua"]
    assert entities["gb_fcdo_sanctions:RUS9003"].get("registrationNumber") == ["1027700000001"]
