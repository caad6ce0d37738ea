"""Name variations beyond the dev set's families, on the real UN + OFAC lists: extra given
names, conflicting initials, vessel prefixes, abbreviated and cut-off legal forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from matching_fixtures import real_matcher

from corridor.matching import Matcher
from corridor.matching.compare.names import compare_names
from corridor.matching.index import token_keys
from corridor.names.tokens import name_tokens


@pytest.fixture(scope="module")
def matcher(lists_dir: Path) -> Matcher:
    return real_matcher(lists_dir)


def alerts(matcher: Matcher, schema: str, name: str) -> list[str]:
    results = matcher.match({"schema": schema, "properties": {"name": [name]}})
    return [s for r in results if r.match for s in r.source_ids]


def test_extra_given_name_still_alerts(matcher: Matcher) -> None:
    # OFAC 'QABALAN, Muhammad' and 'GADDAFI, Hannibal' with a second forename added
    assert "us_ofac_sdn:16151" in alerts(matcher, "Person", "Muhammad Michael Qabalan")
    assert "us_ofac_sdn:12627" in alerts(matcher, "Person", "Hannibal Ivan GADDAFI")


def test_common_short_names_are_not_held_by_longer_ones(matcher: Matcher) -> None:
    # 'ALI, Hassan', 'KHAN, Mohammed' are aliases on the lists; customers' longer names
    # holding them are not alerts.
    for name in ("Mohammed Ali Hassan", "Mohammed Ali Khan", "Ali Hassan Ahmed"):
        assert alerts(matcher, "Person", name) == [], name


def test_extra_words_of_an_organisation_query_are_not_given_names(matcher: Matcher) -> None:
    assert alerts(matcher, "LegalEntity", "Mohammed Ali Trading LLC") == []


def test_conflicting_initial_counts_against() -> None:
    w = {"guzman": 6.0, "loera": 8.0, "joaquin": 7.0, "h": 1.5, "j": 1.5}
    listed = ("guzman", "loera", "joaquin")
    lw = tuple(w[t] for t in listed)
    same = compare_names(("j", "guzman", "loera"), (1.5, 6.0, 8.0), listed, lw)
    other = compare_names(("h", "guzman", "loera"), (1.5, 6.0, 8.0), listed, lw)
    assert same.score >= 0.8 > other.score
    assert other.unmatched_query == [("h", 1.5)]


def test_vessel_prefix_is_not_part_of_the_name(matcher: Matcher) -> None:
    for name in ("M/V DOWNY", "MT DOWNY", "M.V. DOWNY"):
        assert "us_ofac_sdn:15048" in alerts(matcher, "Vessel", name), name


def test_cut_off_and_abbreviated_organisation_names(matcher: Matcher) -> None:
    assert "us_ofac_sdn:12871" in alerts(matcher, "Company", "SYRIAN GAS COMP")
    name = "JOINT STOCK CO. BLACK SEA BANK OF DEVELOPMENT AND RECONSTRUCTION"
    assert alerts(matcher, "Company", name)


def test_cut_off_last_part_is_found_and_paired(matcher: Matcher) -> None:
    # OFAC 'DUBINYAK, Andrey', 'AL-ALAMI, Imad Khalil': a fixed-width field cut the name
    assert "us_ofac_sdn:21226" in alerts(matcher, "Person", "DUBINYAK, Andr")
    cmp = matcher.match({"schema": "Person", "properties": {"name": ["AL-ALAMI, Imad Kha"]}})[0]
    assert cmp.explanation.name is not None
    pair = [p for p in cmp.explanation.name.pairs if p.query == "kha"]
    assert pair and pair[0].listed == "khalil"


def test_completions_of_a_cut_off_part(matcher: Matcher) -> None:
    index = matcher.index
    found = {index.tok_str[t] for t in index.completions("andr")}
    assert "andrey" in found and "andrei" in found
    assert all(4 + 2 <= len(t) <= 8 for t in found)
    assert index.completions("zzzq") == []


def test_initials_pick_the_right_holder_of_a_common_surname(matcher: Matcher) -> None:
    # OFAC 'PAK, Kwang Hun' among dozens of PAKs; 'TUFAIL, S.M.' is not K. TUFAIL
    assert "us_ofac_sdn:23516" in alerts(matcher, "Person", "K.H. Pak")
    assert alerts(matcher, "Person", "K. TUFAIL") == []


def test_arabic_script_name_of_a_latin_listed_person(matcher: Matcher) -> None:
    # OFAC 'MAKHLUF, Rami' (SYRIA) written in Arabic script
    assert "us_ofac_sdn:10725" in alerts(matcher, "Person", "رامي مخلوف")


def test_initials_do_not_dilute_blocking(matcher: Matcher) -> None:
    # UN 'NOOR BARZAN IBRAHIM HASAN AL-TIKRITI': four initials and a surname shared by
    # dozens of listed people
    assert "un_sc_sanctions:6908112" in alerts(matcher, "Person", "N. B. I. H. Al-Tikriti")


def test_two_edits_in_a_short_part_beside_a_common_word(matcher: Matcher) -> None:
    assert alerts(matcher, "Person", "COSGT MOHAMMAD")  # OFAC/UN 'DOST MOHAMMAD'


def test_legal_form_written_without_dots(matcher: Matcher) -> None:
    # OFAC 'ATLAS DOVIZ TICARETI A.S.' and 'SAF TECH S.L.' with the form undotted
    assert "us_ofac_sdn:26540" in alerts(matcher, "Company", "ATLAS DOVIZ TICARETI AŞ")
    assert "us_ofac_sdn:10602" in alerts(matcher, "Company", "SAF TECH SL")


def test_scholarly_romanisation_of_cyrillic(matcher: Matcher) -> None:
    # OFAC 'PRIGOZHIN, Yevgeniy Viktorovich' and 'ROTENBERG, Arkady Romanovich' in ISO 9
    # with the diacritics stripped (ž -> z, č -> c, й -> j)
    assert "us_ofac_sdn:21171" in alerts(matcher, "Person", "Evgenij Viktorovic Prigozin")
    assert "us_ofac_sdn:16669" in alerts(matcher, "Person", "Arkadij Romanovic Rotenberg")


def test_scholarly_romanisation_scores_high() -> None:
    q = name_tokens("Bazen Anatol'evic Ignatov")
    listed = name_tokens("Бажен Анатольевич Игнатов")
    result = compare_names(q, (1.0,) * len(q), listed, (1.0,) * len(listed))
    assert result.score >= 0.9


def test_scholarly_romanisation_shares_a_blocking_key() -> None:
    # Шарапов: BGN Sharapov, ISO 9 Šarapov written without its caron
    assert "g:sarapov" in set(token_keys("sarapov")) & set(token_keys("sharapov", listed=True))
