"""Legal forms fold to one symbol per class; persons keep their words."""

from __future__ import annotations

import pytest

from corridor.names.legal_forms import fold_legal_forms, legal_form_table
from corridor.names.normalize import normalize
from corridor.names.tokens import name_tokens


@pytest.mark.parametrize(
    "spelling",
    ["LLC", "L.L.C.", "OOO", "ООО", "Limited Liability Company", "ТОВ"],
)
def test_llc_class(spelling: str) -> None:
    assert name_tokens(f"{spelling} Example", organisation=True) == ("@llc", "example")


@pytest.mark.parametrize("spelling", ["TOO", "ТОО", "LLP", "Limited Liability Partnership"])
def test_llp_class_includes_kazakh_too(spelling: str) -> None:
    assert name_tokens(f"Example Trading {spelling}", organisation=True) == (
        "example",
        "trading",
        "@llp",
    )


@pytest.mark.parametrize(
    ("spellings", "symbol"),
    [
        (["JSC", "AO", "АО", "Joint Stock Company"], "@jsc"),
        (["OJSC", "OAO", "ОАО"], "@ojsc"),
        (["CJSC", "ZAO", "ЗАО"], "@cjsc"),
        (["PJSC", "PAO", "ПАО"], "@pjsc"),
        (["Ltd", "Ltd.", "Limited"], "@ltd"),
        (["Co., Ltd.", "Company Limited", "CO LTD"], "@coltd"),
        (["GmbH"], "@gmbh"),
        (["S.A.", "SA"], "@sa"),
    ],
)
def test_classes(spellings: list[str], symbol: str) -> None:
    for spelling in spellings:
        assert fold_legal_forms(normalize(spelling).split()) == [symbol], spelling


def test_longest_spelling_wins() -> None:
    tokens = normalize("SINOTECH INDUSTRY CO., LTD.").split()
    assert fold_legal_forms(tokens) == ["sinotech", "industry", "@coltd"]


def test_quoted_form_before_the_name() -> None:
    assert name_tokens("Company Limited «SINOTECH INDUSTRY»", organisation=True) == (
        "@coltd",
        "sinotech",
        "industry",
    )


def test_person_names_are_not_folded() -> None:
    assert name_tokens("Sa Ao Ltd", organisation=False) == ("sa", "ao", "ltd")


def test_table_is_loaded_from_data_file() -> None:
    table = legal_form_table()
    assert len(table) > 50
    assert table[("ooo",)] == "@llc"


def test_other_romanisations_and_typos_of_legal_forms() -> None:
    assert name_tokens("PZHSC MOSTOTREST", organisation=True) == ("@pjsc", "mostotrest")
    assert name_tokens("Limited Liability Compani Southern", organisation=True) == (
        "@llc",
        "southern",
    )
    assert name_tokens("Obshchestvo s Ogranichennoi Otvetstvennostiu X", organisation=True) == (
        "@llc",
        "x",
    )
    assert name_tokens("Shanghai Logistics Kimited", organisation=True)[-1] == "@ltd"


def test_organisation_abbreviations_are_written_out() -> None:
    assert name_tokens("Acme Intl Trdg Co", organisation=True) == (
        "acme",
        "international",
        "trading",
        "@co",
    )
    assert name_tokens("Acme Intl", organisation=False) == ("acme", "intl")


@pytest.mark.parametrize(
    ("written", "dotted"),
    [
        ("THY OPET AŞ", "THY Opet A.Ş."),
        ("GILABERT & AGUILÓ IMPORT EXPORT SL", "GILABERT & AGUILÓ IMPORT EXPORT S.L."),
        ("ACME A.G.", "ACME AG"),
        ("ΑΛΦΑ ΑΕ", "ΑΛΦΑ Α.Ε."),
        ("ribes energy ca", "Ribes Energy C.A."),
        ("knant Agro sh.m.m", "كنانة Agro شمم"),
    ],
)
def test_legal_forms_with_or_without_dots_and_diacritics(written: str, dotted: str) -> None:
    written_tokens = name_tokens(written, organisation=True)
    assert written_tokens[-1].startswith("@")
    assert written_tokens[-1] == name_tokens(dotted, organisation=True)[-1]


def test_undotted_letters_are_a_legal_form_only_at_the_end() -> None:
    assert name_tokens("AS SALAM TRADING", organisation=True)[0] == "as"
