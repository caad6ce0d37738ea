"""HS codes: 6-10 digits, separators ignored, HS-6 prefix checked against HS 2022."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_helpers import trade

from corridor.errors import InputError
from corridor.policy import load_hs_nomenclature, load_policy, trade_findings, validate_hs_code


def test_nomenclature_is_hs_2022(shared_dir: Path) -> None:
    table = load_hs_nomenclature(shared_dir / "data/hs/harmonized-system.csv")
    assert table["854231"].startswith("Electronic integrated circuits")
    assert "880730" in table and "880621" in table  # subheadings new in HS 2022
    assert sum(len(c) == 6 for c in table) > 5000


@pytest.mark.parametrize(
    "declared", ["854231", "8542.31", "8542 31 90", "8542-31-9000", "8542310000"]
)
def test_declared_forms(declared: str) -> None:
    code = validate_hs_code(declared)
    assert code.hs6 == "854231" and code.heading == "8542" and code.chapter == "85"
    assert "processors" in code.description


@pytest.mark.parametrize("declared", ["8542", "85423", "85423190001", "8542AB", ""])
def test_wrong_length_or_characters(declared: str) -> None:
    with pytest.raises(InputError, match="6 to 10 digits"):
        validate_hs_code(declared, field="goods[0].hs_code")


def test_unknown_subheading_names_field() -> None:
    with pytest.raises(InputError) as err:
        validate_hs_code("999999", field="goods[2].hs_code")
    assert str(err.value) == "goods[2].hs_code: 999999 is not an HS 2022 code"


def test_goods_findings_name_the_bad_line() -> None:
    t = trade(["exporter:de"], ["854231:de", "100390:kz", "999999:kz"])
    with pytest.raises(InputError, match=r"goods\[2\]\.hs_code: 999999"):
        trade_findings(load_policy(), t)


def test_missing_nomenclature_says_where_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CORRIDOR_HS_FILE", str(tmp_path / "absent.csv"))
    with pytest.raises(InputError) as err:
        validate_hs_code("854231")
    assert "harmonized-system.csv" in str(err.value) and "CORRIDOR_HS_FILE" in str(err.value)


def test_configured_nomenclature_file(tmp_path: Path, monkeypatch) -> None:
    small = tmp_path / "hs.csv"
    small.write_text(
        "section,hscode,description,parent,level\nXVI,854231,Processors,8542,6\n", encoding="utf-8"
    )
    monkeypatch.setenv("CORRIDOR_HS_FILE", str(small))
    assert validate_hs_code("854231").description == "Processors"
    with pytest.raises(InputError, match="100390 is not an HS 2022 code"):
        validate_hs_code("100390")


def test_not_a_nomenclature(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        load_hs_nomenclature(bad)


def test_every_listed_code_is_hs_2022() -> None:
    """List entries of 6+ digits must start with a real HS 2022 subheading."""
    table = load_hs_nomenclature()
    for glist in load_policy().goods_lists.values():
        for entry in glist.entries:
            prefix = entry.code[:6] if len(entry.code) >= 6 else entry.code
            assert prefix in table, f"{glist.id}: {entry.code}"


def test_goods_lists_cover_codes_by_prefix() -> None:
    lists = load_policy().goods_lists
    entry, certain = lists["chpl"].match("85423190")
    assert (entry.code, entry.tier, certain) == ("854231", "1", True)
    assert lists["eu_annex_vii_b"].match("854231") is not None
    assert lists["eu_annex_xi"].match("880730") is not None
    # barley is on no export-control list; it is food under the OFAC Iran general licence
    assert [g.id for g in lists.values() if g.match("100390")] == ["iran_gl_agri_medical"]
