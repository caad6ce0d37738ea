"""Central Asian names as their owners write them, against the lists' Russian-form spelling.

Each query is a real OFAC entry (Kazakh, Kyrgyz, Uzbek, Tajik parties are listed under the
BGN/PCGN romanisation of the Russian form) written the way its own passport, registry or
bank would: a Latin alphabet of its language, the national patronymic, the surname with or
without the Russian ending, the Cyrillic with the Kazakh letters, the national legal form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from matching_fixtures import real_matcher

from corridor.matching import Matcher

KASENOV = "us_ofac_sdn:15647"  # KASENOV, Adilet Zhakypovich (Kyrgyzstan)
KOLBAYEV = "us_ofac_sdn:12625"  # KOLBAYEV, Kamchybek Asanbekovich (Kyrgyzstan)
JALOLOV = "us_ofac_sdn:10930"  # JALOLOV, Najmiddin Kamolitdinovich (Uzbekistan)
BURANOV = "us_ofac_sdn:10931"  # BURANOV, Suhayl Fatilloevich (Uzbekistan)
SADIKOV = "us_ofac_sdn:16540"  # SADIKOV, Olimzhon Adkhamovich (Uzbekistan)
TOKHTAKHUNOV = "us_ofac_sdn:23230"  # TOKHTAKHUNOV, Alimzhan Tursunovich (Tashkent)
KHALIMOV = "us_ofac_sdn:18634"  # KHALIMOV, Gulmurod (Tajikistan)
SAFAROV = "us_ofac_sdn:26686"  # SAFAROV, Azamat (Uzbekistan)
MATRAIMOV = "us_ofac_sdn:30607"  # MATRAIMOV, Raimbek (Kyrgyzstan)
KARIMOVA = "us_ofac_sdn:23307"  # KARIMOVA, Gulnara (Uzbekistan)
KYRGYZ_TRANS_AVIA = "us_ofac_sdn:15981"


@pytest.fixture(scope="module")
def matcher(lists_dir: Path) -> Matcher:
    return real_matcher(lists_dir)


def alerted(matcher: Matcher, name: str, schema: str = "Person") -> list[list[str]]:
    results = matcher.match({"schema": schema, "properties": {"name": [name]}})
    return [r.source_ids for r in results if r.match]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Kazakh 2021 alphabet (q, j for zh, ä), with and without diacritics
        ("Ädilet Jaqypuly Qasenov", KASENOV),
        ("Adilet Jaqypuly Qasenov", KASENOV),
        ("Qamçybek Asanbekuly Qolbaev", KOLBAYEV),
        # Kazakh 2018 acute-accent alphabet
        ("Kámshybek Asanbekuly Qolbaev", KOLBAYEV),
        # Kazakh 2017 apostrophe alphabet (C' is ч)
        ("Qamc'ybek Asanbekuly Qolbaev", KOLBAYEV),
        # passport (ICAO 9303) and bank habits: upper case, surname first, no patronymic
        ("QOLBAEV QAMSHYBEK", KOLBAYEV),
        ("KASENOV ADILET ZHAKYPOVICH", KASENOV),
        # Kazakh letters in Cyrillic, with the Kazakh patronymic
        ("Қасенов Әділет Жақыпұлы", KASENOV),
        # the patronymic written apart, the surname without its Russian ending
        ("Adilet Zhakyp uly Kasenov", KASENOV),
        ("Adilet Zhakypuly Kasen", KASENOV),
        # Kyrgyz: uulu for a son, and uulu as the surname itself
        ("Kamchybek Asanbek uulu Kolbaev", KOLBAYEV),
        ("Raimbek Matraim uulu", MATRAIMOV),
        # Uzbek Latin: oʻgʻli, j for zh, q for k, x for kh
        ("Najmiddin Kamoliddin oʻgʻli Jalolov", JALOLOV),
        ("Suhayl Fatillo o'g'li Buranov", BURANOV),
        ("Olimjon Adham o'g'li Sodiqov", SADIKOV),
        ("Alimjon Tursun o'g'li Toxtaxunov", TOKHTAKHUNOV),
        ("Gulnara Islam qizi Karimova", KARIMOVA),
        # Tajik: -zoda for -ov
        ("Gulmurod Halimzoda", KHALIMOV),
        ("Azamat Safarzoda", SAFAROV),
        # Turkmen Latin: w for v
        ("Azamat Safarow", SAFAROV),
    ],
)
def test_person_in_national_form(matcher: Matcher, name: str, expected: str) -> None:
    assert any(expected in ids for ids in alerted(matcher, name)), name


@pytest.mark.parametrize(
    "name",
    [
        "KYRGYZ TRANS AVIA ЖШС",  # Kazakh LLP
        "ТОО «Кыргыз Транс Авиа»",
        "Qyrgyz Trans Avia MChJ",  # Uzbek LLC
        "Kyrgyz Trans Avia XK",  # Uzbek private enterprise
        "КЫРГЫЗ ТРАНС АВИА ЖАҚ",  # Kazakh closed JSC
        "Kyrgyz Trans Avia AQ",
    ],
)
def test_organisation_with_central_asian_legal_form(matcher: Matcher, name: str) -> None:
    assert any(KYRGYZ_TRANS_AVIA in ids for ids in alerted(matcher, name, "Company")), name


def test_relatives_and_other_names_stay_apart(matcher: Matcher) -> None:
    # a daughter's patronymic is not a son's, Karimova is not Karim, another father's name
    assert not any(KASENOV in ids for ids in alerted(matcher, "Adilet Zhakyp qyzy Kasenova"))
    assert not alerted(matcher, "Ali KARIMOVA")
    assert not any(KASENOV in ids for ids in alerted(matcher, "Adilet Bolat uly Kasenov"))
