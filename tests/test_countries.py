"""Countries: the quick table answers as followthemoney does; declared codes are strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from followthemoney import registry
from rigour._core import territories_jsonl
from rigour.data import iter_jsonl_text

from corridor import countries
from corridor.countries import country_code, iso_country, latin_key

#: Country texts as the official lists write them (UN, OFAC, UK, EU, BIS).
LIST_FORMS = [
    "Iran (Islamic Republic of)",
    "Korea, North",
    "Democratic People's Republic of Korea",
    "Syrian Arab Republic",
    "Russian Federation",
    "Türkiye",
    "Turkey",
    "Burma",
    "Congo",
    "Congo, Democratic Republic of the",
    "Cote d Ivoire",
    "Côte d'Ivoire",
    "Bahamas, The",
    "St. Kitts & Nevis",
    "Virgin Islands, British",
    "West Bank",
    "Region: Gaza",
    "PRC",
    "China, Hong Kong Special Administrative Region",
    "former Soviet Union",
    "UK",
    "IRN",
    "ir",
    "RU",
    "United Kingdom of Great Britain and Northern Ireland",
    "Tehran",
    "Bosnia-Herzegovina",
    "Viet Nam",
    "Lao People's Democratic Republic",
    "None Identified",
    "Doc. 694710",
    "Diplomatic",
    "NM",
    "Kosovo",
    "Crimea",
    "Palestinian",
    "Eritrean",
]


def _territory_names() -> set[str]:
    names: set[str] = set()
    for data in iter_jsonl_text(territories_jsonl()):
        names.update(
            data.get("names_strong", []),
            data.get("names_weak", []),
            data.get("places", []),
            (data["name"], data["code"]),
        )
        names.add(data.get("full_name", data["name"]))
    return names


def _ftm(text: str) -> str | None:
    value = " ".join(text.split()).strip(" .,;")
    return None if value.lower() in countries._UNKNOWN else registry.country.clean(value)


@pytest.mark.parametrize("text", LIST_FORMS)
def test_list_forms_as_followthemoney(text: str) -> None:
    assert country_code(text) == _ftm(text)


def test_every_latin_territory_name_as_followthemoney() -> None:
    names = sorted(n for n in _territory_names() if latin_key(n) is not None)
    assert len(names) > 10_000
    wrong = [(n, country_code(n), _ftm(n)) for n in names if country_code(n) != _ftm(n)]
    assert wrong == []


def test_other_scripts_go_to_the_full_lookup() -> None:
    assert latin_key("Россия") is None
    assert country_code("Россия") == registry.country.clean("Россия") == "ru"
    assert country_code("  Iran ,") == "ir"
    assert country_code("n/a") is None and country_code("NA") is None
    assert country_code(None) is None


def test_latin_lookups_load_neither_ftm_nor_its_country_table(tmp_path: Path) -> None:
    """The first-use cost this module exists to avoid: a new process stays light."""
    code = (
        "import sys\n"
        "from corridor.countries import country_code\nfrom corridor.sources.values import gender\n"
        "from corridor.sources.ftm_schemata import schema_properties\n"
        "out = [country_code(t) for t in ('Iran (Islamic Republic of)', 'Korea, North', 'xx')]\n"
        "out += [gender('M'), 'imoNumber' in schema_properties('Vessel')]\n"
        "out.append('followthemoney' in sys.modules)\n"
        "from rigour.territories.lookup import _get_territory_names as table\n"
        "out.append(table.cache_info().currsize)\n"
        "print(__import__('json').dumps(out))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    # The first run reads the FtM model once to cache the property names ...
    assert json.loads(first.stdout) == ["ir", "kp", None, "male", True, True, 0]
    assert list((tmp_path / "corridor").glob("ftm-properties-*.json"))
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    # ... later runs do without followthemoney altogether.
    assert json.loads(second.stdout) == ["ir", "kp", None, "male", True, False, 0]


def test_without_the_quick_table_the_full_lookup_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(countries, "_country_tables", lambda: None)
    country_code.cache_clear()
    try:
        assert [country_code(t) for t in ("Korea, North", "IRN", "Region: Kafia Kingi")] == [
            "kp",
            "ir",
            None,
        ]
    finally:
        country_code.cache_clear()


def test_declared_countries_are_alpha_2_codes() -> None:
    assert iso_country("KZ") == "kz"
    assert iso_country(" de ") == "de"
    with pytest.raises(
        ValueError, match=r"'uk' is not an ISO 3166-1 alpha-2 code \(did you mean 'gb'"
    ):
        iso_country("uk")
    with pytest.raises(ValueError, match="'xx' is not an ISO 3166-1 alpha-2 code$"):
        iso_country("xx")
    with pytest.raises(ValueError, match="did you mean 'ru'"):
        iso_country("Russia")
