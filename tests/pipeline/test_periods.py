"""Reporting dates come from parameters, never from the clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pipeline.periods import as_of_for_run, last_month_end_before, month_end, parse_as_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-31", date(2026, 10, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2025-02-28", date(2025, 2, 28)),
    ],
)
def test_month_ends_parse(text: str, expected: date) -> None:
    assert parse_as_of(text) == expected


def test_a_day_that_is_not_a_month_end_is_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match=r"last day of a month, got 2026-10-30 \(did you mean 2026-10-31\?\)"):
        parse_as_of("2026-10-30")


def test_a_malformed_date_is_refused() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_as_of("31/10/2026")


def test_month_end_handles_leap_years() -> None:
    assert month_end(date(2024, 2, 3)) == date(2024, 2, 29)
    assert month_end(date(2100, 2, 3)) == date(2100, 2, 28)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (date(2026, 11, 16), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 10, 31)),  # the first of a month works on the month just ended
        (date(2026, 10, 31), date(2026, 9, 30)),  # a run on a month end has not got that month's delivery yet
        (datetime(2026, 1, 16, 6, 0), date(2025, 12, 31)),
    ],
)
def test_last_month_end_before(moment: date | datetime, expected: date) -> None:
    assert last_month_end_before(moment) == expected


def test_an_explicit_as_of_wins_over_the_logical_date() -> None:
    assert as_of_for_run("2026-08-31", datetime(2026, 11, 16)) == date(2026, 8, 31)
    assert as_of_for_run(None, datetime(2026, 11, 16)) == date(2026, 10, 31)


def test_a_run_without_either_date_is_refused() -> None:
    with pytest.raises(ValueError, match="as_of parameter or a logical date"):
        as_of_for_run(None, None)
