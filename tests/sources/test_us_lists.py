"""BIS Denied Persons List and the trade.gov Consolidated Screening List, on real files."""

from __future__ import annotations

import csv
from pathlib import Path

from corridor.model import validate_ftm
from corridor.sources.bis_dpl import parse_bis_dpl, us_date
from corridor.sources.registry import CSL_LISTS
from corridor.sources.trade_csl import id_clause, parse_trade_csl, source_code


def test_bis_every_row_lands_in_an_entity(lists_dir: Path) -> None:
    path = lists_dir / "bis" / "dpl.txt"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    parsed = parse_bis_dpl([path])
    entities = list(parsed.entities)
    names = {" ".join(r["Name"].split()) for r in rows}
    assert {e.first("name") for e in entities} == names
    assert len(entities) == len({(" ".join(r["Name"].split()), r["Effective_Date"]) for r in rows})
    addresses = sum(len(e.get("address")) for e in entities)
    assert addresses <= len(rows)
    for entity in entities:
        validate_ftm(entity)
        assert entity.schema == "LegalEntity"
    # The newest real update, not the typo years 2922 / 3017.
    assert parsed.list_date == "2022-09-02"


def test_bis_groups_addresses(lists_dir: Path) -> None:
    entities = list(parse_bis_dpl([lists_dir / "bis" / "dpl.txt"]).entities)
    airline = [e for e in entities if e.first("name") == "AL NASER AIRLINES"]
    assert len(airline) == 1
    assert len(airline[0].get("address")) == 4
    assert {"iq", "ae"} <= set(airline[0].get("country"))


def test_us_date() -> None:
    assert us_date("06/19/2003") == "2003-06-19"
    assert us_date("13/19/2003") is None
    assert us_date("2022-09-02") == "2022-09-02"


def test_csl_rows_and_identifiers(lists_dir: Path) -> None:
    path = lists_dir / "us_csl_sample.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    entities = {e.source_id: e for e in parse_trade_csl([path]).entities}
    numbered = {
        f"{CSL_LISTS[source_code(r['source'])][0]}:{r['entity_number']}"
        for r in rows
        if r["entity_number"]
    }
    assert numbered <= set(entities)
    assert {" ".join(r["name"].split()) for r in rows} == {
        e.first("name") for e in entities.values()
    }
    for entity in entities.values():
        validate_ftm(entity)
    tanker = entities[
        "us_trade_csl_sdn:" + next(r["entity_number"] for r in rows if "IMO 9116412" in r["ids"])
    ]
    assert tanker.schema == "Vessel"
    assert tanker.get("imoNumber") == ["IMO9116412"]
    assert tanker.get("pastFlags") == ["pa"]
    holding = next(e for sid, e in entities.items() if sid.endswith(":20264"))
    assert holding.get("taxNumber") == ["80-0890696"]
    assert holding.get("country") == ["us"]


def test_csl_id_clause() -> None:
    assert id_clause("CO, 1978075, Matricula Mercantil No") == "Matricula Mercantil No 1978075 (CO)"
    assert (
        id_clause("IMO 8898831, Vessel Registration Identification")
        == "Vessel Registration Identification IMO 8898831"
    )
