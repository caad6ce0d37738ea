"""The robustness benchmark's look-alike negatives and the check that keeps them unlisted."""

from __future__ import annotations

import random

import pytest

from list_records import Listed
from negatives import (
    ListedNames,
    Pools,
    accepted,
    arabic_script,
    common_person,
    draw_round,
    generic_company,
    initials_person,
    pools,
    recombined_initial,
    recombined_person,
    skeleton_tokens,
    vessel_prefix,
)

AWEYS = Listed(
    "us_ofac_sdn:7006", "person", "AWEYS, Hassan Dahir", ["Hassan", "Dahir"], "AWEYS", "", "SDGT"
)
SADDAM = Listed(
    "un_sc_sanctions:6908048",
    "person",
    "SADDAM HUSSEIN AL-TIKRITI",
    ["SADDAM", "HUSSEIN"],
    "AL-TIKRITI",
    "صدام حسين التكريتي",
)
QUSAY = Listed(
    "un_sc_sanctions:6908049",
    "person",
    "QUSAY SADDAM HUSSEIN AL-TIKRITI",
    ["QUSAY", "SADDAM", "HUSSEIN"],
    "AL-TIKRITI",
    "قصي صدام حسين التكريتي",
)
ZULEKHA = Listed("us_ofac_sdn:1", "org", "ZULEKHA GENERAL TRADING LLC", [], "")
BANCO = Listed("us_ofac_sdn:306", "org", "BANCO NACIONAL DE CUBA", [], "")
CONGRESS = ["Mary Jones", "Bernard Sanders", "Cher"]


@pytest.fixture()
def few() -> Pools:
    return pools([AWEYS, SADDAM, QUSAY, ZULEKHA, BANCO], CONGRESS)


def test_pools_take_real_names_apart(few: Pools) -> None:
    assert few.firsts == ["Mary", "Bernard"]  # a one-word name has no first and last
    assert few.lasts == ["Jones", "Sanders"]
    assert [e.name for e in few.orgs] == ["ZULEKHA GENERAL TRADING LLC", "BANCO NACIONAL DE CUBA"]
    assert few.arabic == [["صدام", "حسين", "التكريتي"], ["قصي", "صدام", "حسين", "التكريتي"]]


def test_person_families(few: Pools) -> None:
    assert common_person(few, random.Random(1)) == ("Person", "Mary Jones")
    assert initials_person(few, random.Random(2)) == ("Person", "M. Jones")
    assert recombined_person(AWEYS, SADDAM) == ("Person", "Hassan AL-TIKRITI")
    assert recombined_initial(AWEYS, SADDAM) == ("Person", "H. AL-TIKRITI")
    assert arabic_script(few, random.Random(1)) == ("Person", "صدام التكريتي")


def test_company_and_vessel_families(few: Pools) -> None:
    assert generic_company(few, random.Random(1)) == (
        "Organization",
        "Jones General Trading TRADING LLC",
    )
    assert generic_company(few, random.Random(4)) == (
        "Organization",
        "Sanders Investment TRADING LLC",
    )
    assert vessel_prefix(few, random.Random(1)) == ("Vessel", "MV JONES")
    assert vessel_prefix(few, random.Random(2)) == ("Vessel", "Vessel JONES")


def test_a_round_draws_every_family_in_order(few: Pools) -> None:
    """One RNG, family after family: the order fixes the benchmark's negatives."""
    assert draw_round(few, random.Random(1)) == {
        "neg_common_person": ("Person", "Mary Jones"),
        "neg_initials_person": ("Person", "B. Jones"),
        "neg_recombined_person": ("Person", "SADDAM AL-TIKRITI"),
        "neg_recombined_initial": ("Person", "S. AL-TIKRITI"),
        "neg_arabic_script": ("Person", "قصي التكريتي"),
        "neg_generic_company": ("Organization", "Jones Investment TRADING LLC"),
        "neg_vessel_prefix": ("Vessel", "M/T JONES"),
    }


def test_skeletons_meet_across_scripts() -> None:
    assert skeleton_tokens("Muhammad al-Hassan") == {"mhmd", "hsn"}
    assert skeleton_tokens("محمد") == {"mhmd"}
    assert skeleton_tokens("Usama") == skeleton_tokens("أسامة") == {"sm"}


@pytest.fixture(scope="module")
def listed() -> ListedNames:
    return ListedNames([AWEYS, SADDAM, BANCO], aliases=["Hassan Dahir AWES"])


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("Aweys Hassan Dahir", True),  # the listed words in another order
        ("Hasan Dahir Aweys", True),  # one edit away
        ("H. Aweys", True),  # an initial standing for a listed given name
        ("Banco de Cuba", True),  # a subset of a listed name's words
        ("صدام حسين", True),  # the original script, a subset
        ("Sadam Husein", True),  # the same consonants
        ("M. Aweys", False),  # an initial no listed given name starts with
        ("Jones Aweys", False),  # a word no listed name has
        ("Banco Central", False),
        ("Mary Jones", False),
    ],
)
def test_too_close_to_a_listed_name(listed: ListedNames, name: str, close: bool) -> None:
    assert listed.too_close(name) is close


def test_accepted_keeps_distinct_unlisted_names_up_to_the_count(listed: ListedNames) -> None:
    drawn = [
        ("Person", "Mary Jones"),
        ("Person", "Mary Jones"),  # seen
        ("Person", "Hassan Aweys"),  # listed words
        ("Vessel", "MV AWEYS"),  # listed once the ship prefix is off
        ("Vessel", "MV JONES"),
        ("Person", "Bernard Sanders"),  # past the count
    ]
    assert accepted(drawn, listed, 2) == [("Person", "Mary Jones"), ("Vessel", "MV JONES")]
