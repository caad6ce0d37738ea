"""The Central Asian name rules of names/data/central_asian.yaml, part by part."""

from __future__ import annotations

from corridor.names.central_asian import (
    patronymic_stem,
    same_patronymic,
    same_surname,
    stem_keys,
    variant_spellings,
)
from corridor.names.tokens import name_tokens


def test_patronymic_words_join_the_fathers_name() -> None:
    assert name_tokens("Adilet Zhakyp uly Kasenov") == ("adilet", "zhakypuly", "kasenov")
    assert name_tokens("Najmiddin Kamoliddin oʻgʻli Jalolov")[1] == "kamoliddinogli"
    assert name_tokens("Gulnara Islam qyzy") == ("gulnara", "islamqyzy")
    assert name_tokens("Қасенов Әділет Жақыпұлы") == ("kasenov", "adilet", "zhakypuly")


def test_patronymics_in_their_russian_and_national_forms() -> None:
    assert patronymic_stem("zhakypovich") == ("zhakyp", "son")
    assert patronymic_stem("islamqyzy") == ("islam", "daughter")
    assert same_patronymic("zhakypuly", "zhakypovich")
    assert same_patronymic("asanbekuulu", "asanbekovich")
    assert same_patronymic("kamoliddinogli", "kamolitdinovich")  # Uzbek / Russian stem
    assert same_patronymic("sharifi", "sharifovich")  # Tajik -i
    assert not same_patronymic("zhakypkyzy", "zhakypovich")  # a daughter is not a son
    assert not same_patronymic("bolatuly", "zhakypovich")


def test_surnames_with_and_without_their_ending() -> None:
    assert same_surname("kasen", "kasenov")
    assert same_surname("nazarbay", "nazarbayev")
    assert same_surname("khalimzoda", "khalimov")
    assert same_surname("matraimuulu", "matraimov")
    assert not same_surname("karimova", "karimov")  # a woman and a man of one family
    assert not same_surname("karimova", "karim")
    assert not same_surname("petrov", "petrov")


def test_blocking_keys_and_spelling_variants() -> None:
    assert "t:akip" in stem_keys("zhakypuly") and "t:akip" in stem_keys("zhakypovich")
    assert "t:kasen" in stem_keys("kasenov") and "t:kasen" in stem_keys("kasen")
    assert variant_spellings("toxtaxunov") == ("tokhtakhunov",)


def test_central_asian_legal_forms_and_words() -> None:
    assert name_tokens("KYRGYZ TRANS AVIA ЖШС", True)[-1] == "@llp"
    assert name_tokens("ТОО «Алма-Ата Трейд»", True) == ("@llp", "almaty", "treyd")
    assert name_tokens("Qazaqstan Temir Joly AQ", True) == ("kazakhstan", "temir", "joly", "@jsc")
    assert name_tokens("Nur-Sultan Qurylys MChJ", True) == ("astana", "qurylys", "@llc")
    assert name_tokens("Toshkent XK", True) == ("toshkent", "@pe")
    assert name_tokens("OK Bank", True)[0] == "ok"  # a word, not a legal form
