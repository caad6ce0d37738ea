"""List dates as publishers write them, and the as-of instant a read asks for."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from corridor.errors import StoreError
from corridor.store.list_dates import as_of_cutoff, parse_list_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-27T00:00:09.554Z", datetime(2026, 2, 27, 0, 0, 9, 554000)),
        ("2024-08-16T02:00:00+02:00", datetime(2024, 8, 16, 0, 0)),
        ("2021-07-07", datetime(2021, 7, 7)),
        ("2021-07", datetime(2021, 7, 1)),
        ("2021", datetime(2021, 1, 1)),
        (" 2021-07-07 ", datetime(2021, 7, 7)),
    ],
)
def test_list_dates_read_as_naive_utc(text: str, expected: datetime) -> None:
    assert parse_list_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "July", "2021-02-30", "07/07/2021"])
def test_text_without_a_date_gives_none(text: str | None) -> None:
    assert parse_list_date(text) is None


def test_a_bare_date_counts_until_the_end_of_that_day() -> None:
    end = datetime.combine(date(2024, 8, 16), time.max)
    assert as_of_cutoff("2024-08-16") == end
    assert as_of_cutoff(date(2024, 8, 16)) == end
    assert as_of_cutoff("2024-08-16T12:00:00Z") == datetime(2024, 8, 16, 12)
    assert as_of_cutoff(None) is None
    with pytest.raises(StoreError, match="as-of 'yesterday' is not a date"):
        as_of_cutoff("yesterday")
