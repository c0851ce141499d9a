"""Working days for the CIN timescales (kpi-catalogue §0.3): Monday-Friday that is not an England & Wales bank
holiday.

The bank holidays for 2015-2030 come from `synth.reference.bank_holidays` (the rules plus the one-off days of 2020,
2022 and 2023), the same dates the generated `ref_bank_holidays` file carries, so the warehouse's working-day
arithmetic agrees with the generator's. Outside that range only weekends are skipped, which is good enough for
synthetic lead-in years that no census file shows. Dates are proleptic ordinals, like the rest of `synth`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from synth.reference.bank_holidays import bank_holiday_dates

# One source of bank holidays for every synthetic file: the same dates ref_bank_holidays publishes.
BANK_HOLIDAYS: frozenset[date] = frozenset(bank_holiday_dates(2015, 2030))
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
