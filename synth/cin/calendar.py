"""Working days for the CIN timescales (kpi-catalogue §0.3): Monday-Friday that is not an England & Wales bank
holiday.

The bank holidays are hard-coded DATA for 2015-2030 (the gov.uk `england-and-wales` list, including the 2020 VE-day
move, the 2022 jubilee and state funeral and the 2023 coronation; 2027-2030 follow the standard rules and are the
expected dates). Outside that range only weekends are skipped, which is good enough for synthetic lead-in years
that no census file shows. Dates are proleptic ordinals, like the rest of `synth`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

# England & Wales bank holidays by year, as MM-DD.
_BANK_HOLIDAYS: dict[int, tuple[str, ...]] = {
    2015: ("01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"),
    2016: ("01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"),
    2017: ("01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"),
    2018: ("01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"),
    2019: ("01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"),
    2020: ("01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"),
    2021: ("01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"),
    2022: ("01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"),
    2023: ("01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"),
    2024: ("01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"),
    2025: ("01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"),
    2026: ("01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"),
    2027: ("01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"),
    2028: ("01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"),
    2029: ("01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"),
    2030: ("01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"),
}
BANK_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(f"{year}-{day}") for year, days in _BANK_HOLIDAYS.items() for day in days
)
_HOLIDAY_ORDINALS = frozenset(day.toordinal() for day in BANK_HOLIDAYS)
# Every working day from 1990 to 2060 as an ordinal, sorted: the arithmetic below is two bisections.
_FIRST, _LAST = date(1990, 1, 1).toordinal(), date(2060, 12, 31).toordinal()
_WORKING: list[int] = [
    day for day in range(_FIRST, _LAST + 1) if day % 7 not in (0, 6) and day not in _HOLIDAY_ORDINALS
]  # ordinal % 7: 0 is Sunday, 6 is Saturday


def is_working_day(day: int) -> bool:
    return day % 7 not in (0, 6) and day not in _HOLIDAY_ORDINALS


def add_working_days(day: int, count: int) -> int:
    """`count` working days after `day`, which is day 0; a non-working `day` first rolls forward to the next
    working day (kpi-catalogue §0.3). Negative counts step back from the rolled day."""
    return _WORKING[bisect_left(_WORKING, day) + count]


def working_days_between(first: int, last: int) -> int:
    """The number of working days x with first < x <= last (negative when last < first)."""
    return bisect_right(_WORKING, last) - bisect_right(_WORKING, first)


def within_working_days(start: int, end: int, count: int) -> bool:
    """Whether `end` is within `count` working days of `start`: end <= add_working_days(start, count)."""
    return end <= add_working_days(start, count)


def next_working_day(day: int) -> int:
    """`day` itself when it is a working day, else the next one."""
    return add_working_days(day, 0)
