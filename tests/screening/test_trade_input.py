"""Bad trade files are refused with one line naming the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.errors import InputError
from corridor.screening.trade_input import load_trade, parse_trade, parse_trade_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

GOOD = """\
date: 2024-08-16
currency: usd
parties:
  - role: exporter
    name: Example Trading TOO
    country: KZ
    owners:
      - {name: Holding One, country: ru, share: 30}
goods:
  - hs_code: "8542.31"
    origin: us
route:
  - {country: kz}
  - {country: ru, vessel: {name: X, imo: "IMO 9481934"}}
"""


def accept_all(code: str) -> bool:
    return True


def parse(text: str, **kw) -> object:
    return parse_trade_text(text, source="t.yaml", hs_validator=accept_all, **kw)


def test_good_trade_is_normalised():
    trade = parse(GOOD)
    assert trade.currency == "USD"
    assert trade.parties[0].country == "kz"
    assert trade.parties[0].schema_ == "LegalEntity"
    assert trade.parties[0].owners[0].share == 30
    assert trade.goods[0].hs_code == "854231"
    assert trade.route[1].vessel.imo == "9481934"


def test_unknown_country_names_the_field():
    text = GOOD.replace("origin: us", "origin: us\n  - hs_code: '100390'\n    origin: xx")
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "goods[1].origin"
    assert "'xx' is not an ISO 3166-1 alpha-2 code" in str(err.value)
    assert str(err.value).startswith("t.yaml:")


def test_party_country_error_suggests_the_code():
    text = GOOD.replace("country: KZ", "country: uk")
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "parties[0].country"
    assert "did you mean 'gb'" in str(err.value)
    assert "t.yaml:6" in str(err.value)  # the line of the country key


def test_second_party_country():
    text = GOOD.replace("goods:", "  - {role: importer, name: B, country: xx}\ngoods:")
    with pytest.raises(InputError, match=r"parties\[1\]\.country: 'xx' is not an ISO 3166-1"):
        parse(text)


def test_owner_country_is_checked_deep():
    text = GOOD.replace("country: ru, share: 30", "country: su, share: 30")
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "parties[0].owners[0].country"


def test_unknown_key_lists_allowed_keys():
    text = GOOD.replace("    origin: us\n", "    origin: us\n    colour: red\n")
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "goods[0].colour"
    assert "unknown key 'colour'" in str(err.value)
    assert "hs_code" in str(err.value)


def test_bad_role_is_explained():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace("role: exporter", "role: seller"))
    assert err.value.field == "parties[0].role"
    assert "'seller'" in str(err.value)


def test_missing_parties():
    with pytest.raises(InputError, match="missing parties"):
        parse("date: 2024-08-16\ngoods: []\n")


def test_empty_file():
    with pytest.raises(InputError, match="got empty"):
        parse("")


def test_malformed_yaml_gives_line_and_column():
    with pytest.raises(InputError) as err:
        parse("parties:\n  - role: exporter\n    name: [unclosed\n")
    assert "malformed YAML at line" in str(err.value)
    assert "column" in str(err.value)


def test_malformed_json_gives_line_and_column():
    with pytest.raises(InputError, match=r"malformed JSON: .* \(line 1, column"):
        parse('{"parties": [}', as_json=True)


def test_hs_code_shape():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace('"8542.31"', '"85"'))
    assert err.value.field == "goods[0].hs_code"
    assert "6 to 10 digits" in str(err.value)


def test_hs_code_unknown_to_the_nomenclature():
    def only_chapter_85(code: str) -> bool:
        if not code.startswith("85"):
            raise InputError(f"{code} is not in the HS 2022 nomenclature")
        return True

    text = GOOD.replace('"8542.31"', '"999999"')
    with pytest.raises(InputError) as err:
        parse_trade_text(text, source="t.yaml", hs_validator=only_chapter_85)
    assert err.value.field == "goods[0].hs_code"
    assert "not in the HS 2022 nomenclature" in str(err.value)


def test_imo_must_have_seven_digits():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace("IMO 9481934", "12345"))
    assert err.value.field == "route[1].vessel.imo"


def test_size_bounds():
    party = {"role": "exporter", "name": "A"}
    with pytest.raises(InputError) as err:
        parse_trade({"parties": [party] * 201}, hs_validator=accept_all)
    assert err.value.field == "parties"
    with pytest.raises(InputError) as err:
        parse_trade({"parties": [{"role": "exporter", "name": "A" * 501}]}, hs_validator=accept_all)
    assert err.value.field == "parties[0].name"
    goods = [{"hs_code": "854231"}] * 1001
    with pytest.raises(InputError) as err:
        parse_trade({"parties": [party], "goods": goods}, hs_validator=accept_all)
    assert err.value.field == "goods"


def test_share_out_of_range():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace("share: 30", "share: 130"))
    assert err.value.field == "parties[0].owners[0].share"


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read trade file"):
        load_trade(tmp_path / "nope.yaml")


def test_a_file_in_another_encoding_is_refused_not_read_with_letters_replaced(tmp_path: Path):
    """A trade saved as Windows-1252 would have its party screened, and filed in its report,
    as ``M\ufffdller``: it is refused, naming the line and the byte."""
    text = GOOD.replace("Example Trading TOO", "Müller Trading TOO")
    path = tmp_path / "trade.yaml"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputError, match=r"trade.yaml: line 5 is not UTF-8 text \(byte 0xfc\)"):
        load_trade(path, hs_validator=accept_all)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))  # the mark shifts nothing
    with pytest.raises(InputError, match=r"trade.yaml: line 5 is not UTF-8 text \(byte 0xfc\)"):
        load_trade(path, hs_validator=accept_all)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a byte-order mark is fine
    assert load_trade(path, hs_validator=accept_all).parties[0].name == "Müller Trading TOO"


def test_all_examples_load():
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) == 8
    for path in files:
        trade = load_trade(path, hs_validator=accept_all)
        assert trade.parties and trade.date is not None


def test_schema_and_identifiers_are_ftm():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace("country: KZ", "country: KZ\n    schema: Compnay"))
    assert err.value.field == "parties[0].schema"
    text = GOOD.replace(
        "name: Example Trading TOO", "name: Example Trading TOO\n    identifiers: {vatNo: '1'}"
    )
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "parties[0].identifiers.vatNo"
    ok = GOOD.replace(
        "name: Example Trading TOO",
        "name: Example Trading TOO\n    schema: Company\n    identifiers: {taxNumber: '1'}",
    )
    assert parse(ok).parties[0].identifiers == {"taxNumber": "1"}


def test_owner_shares_cannot_exceed_100():
    text = GOOD.replace(
        "      - {name: Holding One, country: ru, share: 30}\n",
        "      - {name: Holding One, country: ru, share: 30}\n"
        "      - {name: Holding Two, country: ru, share: 80}\n",
    )
    with pytest.raises(InputError) as err:
        parse(text)
    assert err.value.field == "parties[0].owners"
    assert "110 %" in str(err.value)


def test_impossible_date_names_the_field_and_line():
    with pytest.raises(InputError) as err:
        parse(GOOD.replace("date: 2024-08-16", "date: 2024-13-45"))
    assert err.value.field == "date"
    assert str(err.value).startswith("t.yaml:1:date: ")
    assert "month value is outside expected range" in str(err.value)
    with pytest.raises(InputError) as err:
        parse(
            '{"date": "2024-02-30", "parties": [{"role": "exporter", "name": "A"}]}', as_json=True
        )
    assert err.value.field == "date"


def test_values_set_after_parsing_are_validated_too():
    trade = parse(GOOD)
    with pytest.raises(ValueError, match="not an ISO 3166-1 alpha-2 code"):
        trade.parties[0].country = "xx"
    trade.currency = "eur"
    assert trade.currency == "EUR"
