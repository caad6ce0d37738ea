"""The OFAC legacy CSV parser, on the real sdn.csv / alt.csv / add.csv / comments."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.model import validate_ftm
from corridor.sources.ofac_csv import parse_ofac_csv

FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.reader(fh) if len(r) > 1]


@pytest.fixture(scope="module")
def ofac_dir(lists_dir: Path) -> Path:
    return lists_dir / "ofac"


@pytest.fixture(scope="module")
def ofac(ofac_dir: Path) -> dict:
    parsed = parse_ofac_csv([ofac_dir / f for f in FILES])
    return {e.source_id: e for e in parsed.entities}


def test_every_row_becomes_an_entity(ofac_dir: Path, ofac: dict) -> None:
    rows = _rows(ofac_dir / "sdn.csv")
    assert len(ofac) == len(rows)
    assert {f"us_ofac_sdn:{r[0]}" for r in rows} == set(ofac)
    by_type = {t: sum(1 for r in rows if r[2].strip() == t) for t in ("individual", "vessel")}
    schemata = [e.schema for e in ofac.values()]
    assert schemata.count("Person") == by_type["individual"]
    assert schemata.count("Vessel") == by_type["vessel"]


def test_aliases_and_addresses_attached(ofac_dir: Path, ofac: dict) -> None:
    alts = _rows(ofac_dir / "alt.csv")
    for row in alts:
        assert " ".join(row[3].split()) in ofac[f"us_ofac_sdn:{row[0]}"].get("alias")
    fka = [r for r in alts if r[2] == "fka"]
    assert fka
    for r in fka:
        assert " ".join(r[3].split()) in ofac[f"us_ofac_sdn:{r[0]}"].get("previousName")
    for row in _rows(ofac_dir / "add.csv"):
        parts = [p.strip() for p in row[2:5] if p.strip() != "-0-"]
        if parts:
            address = " ".join(", ".join(parts).split())
            assert address in ofac[f"us_ofac_sdn:{row[0]}"].get("address"), row


def test_every_entity_validates(ofac: dict) -> None:
    for entity in ofac.values():
        validate_ftm(entity)


def test_real_person_with_dob_passport_and_weak_alias(ofac: dict) -> None:
    # 306 BANCO NACIONAL DE CUBA: remark a.k.a. 'BNC' and alt.csv aka.
    bnc = ofac["us_ofac_sdn:306"]
    assert bnc.schema == "Organization"
    assert bnc.get("weakAlias") == ["BNC"]
    assert "NATIONAL BANK OF CUBA" in bnc.get("alias")
    assert bnc.get("program") == ["CUBA"]
    people = [
        e
        for e in ofac.values()
        if e.schema == "Person" and e.get("passportNumber") and e.get("birthDate")
    ]
    assert len(people) > 300


def test_real_vessel_with_imo(ofac_dir: Path, ofac: dict) -> None:
    row = next(
        r
        for r in _rows(ofac_dir / "sdn.csv")
        if "Vessel Registration Identification IMO 9187629" in r[11]
    )
    vessel = ofac[f"us_ofac_sdn:{row[0]}"]
    assert vessel.schema == "Vessel"
    assert vessel.get("imoNumber") == ["IMO9187629"]
    assert vessel.get("name") == [row[1]]
    if row[9].strip() != "-0-":
        assert vessel.get("flag")


def test_remark_continuation_appended(ofac_dir: Path, ofac: dict) -> None:
    # sdn_comments.csv carries the tail of long remarks, e.g. more Linked To entries.
    for ent_num, tail in _rows(ofac_dir / "sdn_comments.csv"):
        if "LAZARUS GROUP" in tail:
            assert "Linked To: LAZARUS GROUP" in ofac[f"us_ofac_sdn:{ent_num}"].get("notes")


def test_secondary_sanctions_topic(ofac_dir: Path, ofac: dict) -> None:
    rows = [r for r in _rows(ofac_dir / "sdn.csv") if "Subject to Secondary Sanctions" in r[11]]
    assert rows
    for row in rows:
        assert "sanction.secondary" in ofac[f"us_ofac_sdn:{row[0]}"].get("topics")


def test_program_split(ofac: dict) -> None:
    multi = [e for e in ofac.values() if len(e.get("program")) > 1]
    assert multi
    assert all("]" not in p and "[" not in p for e in multi for p in e.get("program"))


def test_doubled_quotes_around_weak_aliases_are_dropped(ofac: dict) -> None:
    # sdn.csv writes a.k.a. ''FOOPIE''; the name is FOOPIE.
    weak = ofac["us_ofac_sdn:6925"].get("weakAlias")
    assert {"FOOPIE", "FUPI", "AHMED THE TANZANIAN", "KHABAR, Abu"} <= set(weak)
