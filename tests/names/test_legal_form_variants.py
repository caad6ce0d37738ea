"""Legal forms written with abbreviated words, cut off at the end, and vessel prefixes."""

from __future__ import annotations

from corridor.names.tokens import name_tokens


def test_abbreviated_words_of_a_multi_word_form() -> None:
    # OFAC: "JOINT STOCK COMPANY BLACK SEA BANK OF DEVELOPMENT AND RECONSTRUCTION"
    listed = name_tokens("JOINT STOCK COMPANY BLACK SEA BANK", organisation=True)
    assert name_tokens("Joint Stock Co. Black Sea Bank", organisation=True) == listed
    assert listed[0] == "@jsc"
    assert name_tokens("Ltd Liability Co. GARANT-SV", organisation=True) == name_tokens(
        "LIMITED LIABILITY COMPANY GARANT-SV", organisation=True
    )


def test_written_out_spelling_keeps_its_own_class() -> None:
    # "Company Limited" is its own class; deriving "co ltd" variants must not move it.
    assert name_tokens("HADI SHIPPING COMPANY LIMITED", True)[-1] == "@coltd"
    assert name_tokens("HADI SHIPPING, CO LTD", True)[-1] == "@coltd"


def test_last_word_cut_off_is_still_the_legal_form() -> None:
    assert name_tokens("SYRIAN GAS COMP", True) == name_tokens("SYRIAN GAS COMPANY", True)
    assert name_tokens("ISIM TAJ MAHAL LIMIT", True)[-1] == "@ltd"
    assert name_tokens("SINGWANG TRADING GENERAL CORPOR", True)[-1] == "@corp"
    # only at the end, and only from four letters on
    assert name_tokens("COMP SYRIAN GAS", True)[0] == "comp"
    assert name_tokens("SYRIAN GAS COR", True)[-1] == "cor"


def test_vessel_prefixes_fold_to_one_weak_symbol() -> None:
    for name in ("M/V DOWNY", "MV DOWNY", "M.T. DOWNY", "Motor Vessel DOWNY"):
        assert name_tokens(name, True) == ("@vessel", "downy"), name
    assert name_tokens("M. V. Ivanov") == ("m", "v", "ivanov")  # a person's initials stay


def test_a_word_two_letters_from_a_legal_form_word_stays_a_word() -> None:
    # 'COOPERATION' is two substitutions from 'corporation' but another word
    tokens = name_tokens("CENTER FOR INNOVATION AND TECHNOLOGY COOPERATION", True)
    assert tokens[-1] == "cooperation"
    assert name_tokens("ACME COMPASS", True) == ("acme", "compass")


def test_cut_off_last_word_of_a_multi_word_legal_form() -> None:
    # OFAC 'TELEFOCUS SAL OFFSHORE'
    assert name_tokens("TELEFOCUS SAL OFFS", True) == name_tokens("TELEFOCUS SAL OFFSHORE", True)
    assert name_tokens("ACME OFFS", True) == ("acme", "offs")  # no "SAL" before it


def test_chinese_japanese_korean_legal_forms() -> None:
    latin = name_tokens("DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO., LTD.", True)
    han = name_tokens("丹东鸿祥实业发展有限公司", True)
    assert han[-1] == latin[-1] == "@coltd"
    assert name_tokens("주식회사 삼성", True)[0] == "@coltd"
    assert name_tokens("株式会社東芝", True)[0] == "@coltd"
