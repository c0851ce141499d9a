"""Working-day arithmetic (kpi-catalogue §0.3) pinned on hand-worked cases over weekends and bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from synth.cin.calendar import (
    BANK_HOLIDAYS,
    add_working_days,
    is_working_day,
    within_working_days,
    working_days_between,
)


def d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2024-12-20", 1, "2024-12-23"),  # Friday -> Monday
        ("2024-12-20", 3, "2024-12-27"),  # Mon 23, Tue 24, then Christmas and Boxing Day are skipped
        ("2024-12-21", 0, "2024-12-23"),  # a Saturday rolls forward to Monday, which is day 0
        ("2024-12-21", 1, "2024-12-24"),
        ("2025-04-17", 1, "2025-04-22"),  # Good Friday, the weekend and Easter Monday skipped
        ("2025-04-14", 15, "2025-05-08"),  # an ICPC target across Easter and the early May bank holiday
        ("2022-09-16", 1, "2022-09-20"),  # the state funeral, Monday 19 September 2022
        ("2023-05-05", 1, "2023-05-09"),  # the coronation, Monday 8 May 2023
        ("2026-03-31", 45, "2026-06-08"),  # 45 working days over Easter, 4 and 25 May 2026
    ],
)
def test_add_working_days(start: str, count: int, expected: str) -> None:
    assert add_working_days(d(start), count) == d(expected)


def test_working_days_between_counts_days_after_the_first_up_to_the_last() -> None:
    assert working_days_between(d("2024-12-20"), d("2024-12-27")) == 3  # 23, 24, 27
    assert working_days_between(d("2024-12-21"), d("2024-12-22")) == 0  # a weekend
    assert working_days_between(d("2025-04-14"), d("2025-05-08")) == 15
    assert working_days_between(d("2025-05-08"), d("2025-04-14")) == -15


def test_within_working_days_is_inclusive_of_the_target_day() -> None:
    assert within_working_days(d("2025-04-14"), d("2025-05-08"), 15)
    assert not within_working_days(d("2025-04-14"), d("2025-05-09"), 15)


def test_bank_holiday_data() -> None:
    assert len(BANK_HOLIDAYS) == 16 * 8 + 2 + 1  # 8 a year, plus 2022's jubilee and funeral, 2023's coronation
    assert date(2020, 5, 8) in BANK_HOLIDAYS and date(2020, 5, 4) not in BANK_HOLIDAYS  # VE day moved
    assert date(2027, 12, 27) in BANK_HOLIDAYS and date(2027, 12, 28) in BANK_HOLIDAYS  # Christmas on a Saturday
    assert not is_working_day(d("2026-12-28")) and is_working_day(d("2026-12-29"))
