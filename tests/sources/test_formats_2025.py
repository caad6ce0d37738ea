"""The parsers of the 2022-2025 formats on the mirror's real files: OFAC Enhanced XML, OFSI
ConList (XLSX and CSV), the FCDO summary (ODS and CSV), the CSL (.gz), the AFM shape."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from corridor.errors import SourceError
from corridor.model import validate_ftm
from corridor.sources.kz_afmrk import parse_kz_afmrk
from corridor.sources.ofac_csv import parse_ofac_cons_csv
from corridor.sources.ofac_enhanced import parse_ofac_enhanced_cons, parse_ofac_enhanced_sdn
from corridor.sources.reading import ods_rows, xlsx_rows
from corridor.sources.trade_csl import parse_trade_csl
from corridor.sources.uk_fcdo_summary import parse_uk_fcdo_summary
from corridor.sources.uk_hmt import parse_uk_hmt

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_enhanced_xml_names_features_documents_relationships(lists_dir: Path) -> None:
    path = lists_dir / "ofac_non_sdn_2025" / "CONS_ENHANCED.ZIP"
    parsed = parse_ofac_enhanced_cons([path])
    assert parsed.list_date == "2025-01-10"
    entities = {e.source_id: e for e in parsed.entities}
    for entity in entities.values():
        validate_ftm(entity)
    vtb = entities["us_ofac_cons:17013"]
    assert vtb.first("name") == "VTB BANK PUBLIC JOINT STOCK COMPANY"
    assert "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО" in vtb.get("alias")  # a translation
    assert "JSC VTB BANK" in vtb.get("previousName")  # an F.K.A.
    assert "JSC VTB BANK NEW DELHI BRANCH" in vtb.get("weakAlias")  # isLowQuality
    assert vtb.get("swiftBic") == ["VTBRRUMM"] and "7702070139" in vtb.get("innCode")
    assert "sanction.secondary" in vtb.get("topics")
    assert set(vtb.get("program")) == {"UKRAINE-EO13662", "RUSSIA-EO14024"}
    haniya = entities["us_ofac_cons:9639"]
    assert (haniya.get("lastName"), haniya.get("birthDate")) == (["HANIYA"], ["1962"])
    assert any(
        "Acting for or on behalf of: HAMAS (OFAC entity 4695)" in e.get("notes")
        for e in entities.values()
    )
    # The same ent_nums as the legacy CSV set (of another release, so not all of them).
    csv_set = sorted((lists_dir / "ofac_non_sdn_2025").glob("cons_*.csv"))
    csv_ids = {e.source_id for e in parse_ofac_cons_csv(csv_set).entities}
    assert len(csv_ids & set(entities)) == 442


def test_enhanced_xml_of_another_list_is_refused(lists_dir: Path) -> None:
    path = lists_dir / "ofac_non_sdn_2025" / "CONS_ENHANCED.ZIP"
    with pytest.raises(SourceError, match="exports the Consolidated List, not the SDN List"):
        parse_ofac_enhanced_sdn([path])


def test_ofsi_xlsx_and_csv_forms_give_the_same_targets(lists_dir: Path, tmp_path: Path) -> None:
    """One parser, two readers: the sheet written out as CSV parses to the same entities."""
    xlsx = lists_dir / "uk_2025" / "ConList.xlsx"
    rows = [cells for _, cells in xlsx_rows(xlsx, "ConList")]
    width = len(rows[1])
    out = tmp_path / "ConList.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(rows[0])
        for cells in rows[1:]:
            writer.writerow(cells + [""] * (width - len(cells)))
    from_csv = [e.to_ftm() for e in parse_uk_hmt([out]).entities]
    from_xlsx = [e.to_ftm() for e in parse_uk_hmt([xlsx]).entities]
    assert from_csv == from_xlsx and len(from_xlsx) == 4688
    putin = next(e for e in parse_uk_hmt([xlsx]).entities if e.source_id.endswith(":14196"))
    assert putin.first("name") == "Vladimir PUTIN" and putin.get("gender") == ["male"]
    assert "Владимир Владимирович Путин" in putin.get("alias")
    assert "UK Sanctions List Ref: RUS0251" in putin.get("notes")


def test_fcdo_summary_ods_and_csv_forms_agree(lists_dir: Path, tmp_path: Path) -> None:
    ods = lists_dir / "uk_2025" / "FCDO_SL_Mon_Aug_11_2025.ods"
    out = tmp_path / "FCDO_SL_Mon_Aug_11_2025.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for _, cells in ods_rows(ods, "FCDO summary"):
            writer.writerow(cells)
    from_ods = [e.to_ftm() for e in parse_uk_fcdo_summary([ods]).entities]
    from_csv = [e.to_ftm() for e in parse_uk_fcdo_summary([out]).entities]
    assert from_ods == from_csv and len(from_ods) == 5302
    putin = next(e for e in from_ods if e["id"] == "gb-fcdo-sanctions-RUS0251")
    assert "OFSI Group ID: 14196" in putin["properties"]["notes"]


def test_csl_gz_and_plain_agree(lists_dir: Path, tmp_path: Path) -> None:
    gz = lists_dir / "us_csl_2022" / "consolidated.csv.gz"
    plain = tmp_path / "consolidated.csv"
    plain.write_bytes(gzip.decompress(gz.read_bytes()))
    assert [e.to_ftm() for e in parse_trade_csl([gz]).entities] == [
        e.to_ftm() for e in parse_trade_csl([plain]).entities
    ]


def test_afm_fixture_shape() -> None:
    """A fixture written to the AFM's XML shape: NOT official data (tests/fixtures/kz)."""
    entities = list(parse_kz_afmrk([FIXTURES / "kz" / "afmrk_terrorism.xml"]).entities)
    person, unnumbered, org = entities
    assert person.source_id == "kz_afmrk_sanctions:iin-800201300001"
    assert person.first("name") == "ИВАН ПЕТРОВИЧ ТЕСТОВ" and person.get("fatherName") == [
        "ПЕТРОВИЧ"
    ]
    assert person.get("birthDate") == ["1980-02-01"] and person.get("createdAt") == ["2021-03-15"]
    assert unnumbered.get("birthDate") == ["1975"] and not unnumbered.get("idNumber")
    assert org.get("registrationNumber") == ["190340000001"]
    assert org.get("alias") == ["ТЕСТ КОМЕК", "TEST AID FOUND LLP"]
    assert all("crime.terror" in e.get("topics") for e in entities)


def test_afm_bad_identifier_names_the_record(tmp_path: Path) -> None:
    bad = tmp_path / "afm.xml"
    text = (FIXTURES / "kz" / "afmrk_terrorism.xml").read_text(encoding="utf-8")
    bad.write_text(text.replace("800201300001", "80020130"), encoding="utf-8")
    with pytest.raises(SourceError, match="is not a 12-digit number") as err:
        list(parse_kz_afmrk([bad]).entities)
    assert err.value.element == "person #1" and err.value.field == "iin"
