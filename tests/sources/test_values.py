"""Gender, date and quote cleaning of list values."""

from __future__ import annotations

from corridor.sources.values import gender, parse_dates, unquote


def test_gender() -> None:
    assert [gender(g) for g in ("Male", " F ", "female", "männlich", "unknown", "", None)] == [
        "male",
        "female",
        "female",
        "male",
        None,
        None,
        None,
    ]


def test_dates() -> None:
    assert parse_dates("circa 1960") == ["1960"]
    assert parse_dates("1960 to 1962") == ["1960", "1961", "1962"]
    assert parse_dates("08 Sep 1966") == ["1966-09-08"]
    assert parse_dates("00/00/1965") == ["1965"]
    assert parse_dates("not a date") == []


def test_unquote() -> None:
    assert unquote('"The Base"') == "The Base"
    assert unquote("''FUPI''") == "FUPI"
    assert unquote("“Kawa”") == "Kawa"
    assert unquote("'A' and 'B'") == "'A' and 'B'"
    assert unquote("JSC 'BLACK SEA BANK'") == "JSC 'BLACK SEA BANK'"
