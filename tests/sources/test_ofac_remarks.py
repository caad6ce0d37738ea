"""``parse_ofac_remarks``: one clause family per test, with remarks as OFAC writes them."""

from __future__ import annotations

import csv
from pathlib import Path

from corridor.sources.ofac_remarks import parse_ofac_remarks, split_remarks


def test_birth_dates_exact_month_year_circa_range_alt() -> None:
    out = parse_ofac_remarks(
        "DOB 08 Sep 1966; alt. DOB Jan 1959; alt. DOB circa 1951; "
        "alt. DOB 1960 to 1962; alt. DOB 1984."
    )
    assert out["birthDate"] == ["1966-09-08", "1959-01", "1951", "1960", "1961", "1962", "1984"]


def test_birth_date_range_of_full_dates() -> None:
    out = parse_ofac_remarks("DOB 01 Jan 1970 to 31 Dec 1971")
    assert out["birthDate"] == ["1970-01-01", "1971-12-31"]


def test_place_nationality_citizen_gender() -> None:
    out = parse_ofac_remarks(
        "POB Tehran, Iran; nationality Iran; citizen Korea, North; "
        "alt. nationality Russia; Gender Female"
    )
    assert out["birthPlace"] == ["Tehran, Iran"]
    assert out["nationality"] == ["ir", "ru"]
    assert out["citizenship"] == ["kp"]
    assert out["gender"] == ["female"]


def test_unmappable_country_goes_to_notes() -> None:
    out = parse_ofac_remarks("nationality Atlantis")
    assert "nationality" not in out
    assert out["notes"] == ["nationality Atlantis"]


def test_passport_and_ids_strip_country_and_dates() -> None:
    out = parse_ofac_remarks(
        "Passport A755350 (Saudi Arabia) issued 21 May 2000 expires 20 May 2005; "
        "alt. Passport G 649385; National ID No. 660000 73767 (Belgium); "
        "Cedula No. 16247821 (Colombia); Tax ID No. 7702070139 (Russia); "
        "NIT # 800146749-7 (Colombia); Registration Number 02696754 (United Kingdom); "
        "Folio Mercantil No. 343997 (Mexico) issued 14 Dec 2005; SSN 523-33-8386 "
        "(United States)"
    )
    assert out["passportNumber"] == ["A755350", "G 649385"]
    assert out["idNumber"] == ["660000 73767", "16247821"]
    assert out["taxNumber"] == ["7702070139", "800146749-7"]
    assert out["innCode"] == ["7702070139"]
    assert out["registrationNumber"] == ["02696754", "343997"]
    assert out["socialSecurityNumber"] == ["523-33-8386"]


def test_vessel_clauses() -> None:
    out = parse_ofac_remarks(
        "Vessel Registration Identification IMO 9187629; MMSI 572469210; "
        "Vessel Type Crude Oil Tanker; Vessel Flag Panama; "
        "alt. Former Vessel Flag Tanzania; "
        "Linked To: NATIONAL IRANIAN TANKER COMPANY."
    )
    assert out["imoNumber"] == ["IMO9187629"]
    assert out["mmsi"] == ["572469210"]
    assert out["type"] == ["Crude Oil Tanker"]
    assert out["flag"] == ["pa"]
    assert out["pastFlags"] == ["tz"]
    assert out["linkedTo"] == ["NATIONAL IRANIAN TANKER COMPANY"]


def test_company_imo_number() -> None:
    assert parse_ofac_remarks("Company Number IMO 5055293")["imoNumber"] == ["IMO5055293"]


def test_weak_alias_previous_name_contacts() -> None:
    out = parse_ofac_remarks(
        "a.k.a. 'BNC'; f.k.a. 'OLD NAME'; Website www.mebank.ir; "
        "Email Address info@example.ir; Phone Number 982188526300."
    )
    assert out["weakAlias"] == ["BNC"]
    assert out["previousName"] == ["OLD NAME"]
    assert out["website"] == ["www.mebank.ir"]
    assert out["email"] == ["info@example.ir"]
    assert out["phone"] == ["982188526300"]


def test_secondary_sanctions_topic() -> None:
    out = parse_ofac_remarks(
        "Additional Sanctions Information - Subject to Secondary "
        "Sanctions Pursuant to the Hizballah Financial Sanctions "
        "Regulations; Secondary sanctions risk: North Korea Sanctions "
        "Regulations, sections 510.201 and 510.210"
    )
    assert out["topics"] == ["sanction.secondary"]
    assert len(out["notes"]) == 2


def test_unknown_clause_is_kept() -> None:
    out = parse_ofac_remarks("ICTY indictee at large; Major General")
    assert out == {"notes": ["ICTY indictee at large", "Major General"]}


def test_empty() -> None:
    assert parse_ofac_remarks("") == {}
    assert parse_ofac_remarks(None) == {}
    assert split_remarks("-0- ") == []


def test_real_remarks_lose_nothing(lists_dir: Path) -> None:
    """Every clause of every real remark lands in some property (notes at worst)."""
    with (lists_dir / "ofac" / "sdn.csv").open(encoding="utf-8", newline="") as fh:
        remarks = [r[11] for r in csv.reader(fh) if len(r) == 12]
    clauses = {c for text in remarks for c in split_remarks(text)}
    assert len(clauses) > 10000
    for clause in clauses:
        assert parse_ofac_remarks(clause), clause
    dobs = [c for c in clauses if c.startswith(("DOB", "alt. DOB"))]
    unparsed = [c for c in dobs if "birthDate" not in parse_ofac_remarks(c)]
    assert unparsed == []
