"""What list rules see of a listed entry besides its topics: programs and sub-lists."""

from __future__ import annotations

from corridor.model import Entity
from corridor.screening.parties import entry_tags


def test_programs_and_consolidated_screening_sub_list():
    e = Entity.create("us_trade_csl", "1", "Company")
    e.add("publisher", "Sectoral Sanctions Identifications List (SSI) - Treasury Department")
    e.add("program", "UKRAINE-EO13662")
    assert entry_tags(e) == ["UKRAINE-EO13662", "list:SSI"]


def test_footnote_3_from_the_licence_requirement():
    e = Entity.create("us_trade_csl", "2", "Company")
    e.add("publisher", "Entity List (EL) - Bureau of Industry and Security")
    e.add(
        "notes",
        "license requirement: For all items subject to the EAR. (See §§ 734.9(g), "
        "746.8(a)(3), and 744.21(b) of the EAR)",
    )
    assert entry_tags(e) == ["list:EL", "entity_list.footnote3"]
    plain = Entity.create("us_trade_csl", "3", "Company")
    plain.add("publisher", "Entity List (EL) - Bureau of Industry and Security")
    plain.add("notes", "license requirement: For all items subject to the EAR (See §744.11)")
    assert entry_tags(plain) == ["list:EL"]


def test_ftm_program_ids_count_too():
    e = Entity.create("fixture_us_sanctions", "DA-GROUP-22", "Company")
    e.add("programId", "RUSSIA-EO14024")
    assert entry_tags(e) == ["RUSSIA-EO14024"]
