"""England and Wales bank holidays, as the gov.uk `bank-holidays.json` lists them (kpi-catalogue §0.3).

The regular holidays follow the Banking and Financial Dealings Act 1971 and its standing proclamations: New Year's
Day, Good Friday, Easter Monday, the first Monday of May, the last Mondays of May and August, Christmas Day and
Boxing Day, a fixed-date holiday on a weekend moving to the next weekday that is not already a holiday. On top come
the one-off proclamations, held below as data: a regular holiday moved, or an extra day. The table is complete from
`FIRST_PROCLAIMED_YEAR`; for later years nobody has proclaimed yet, the regular rules are the best forecast.

When gov.uk announces a new one-off day, add it to `_MOVED` / `_EXTRA` and regenerate the warehouse seed
(`python -m pipeline.calendar_seed`, docs/architecture.md); the seed's test fails until both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The proclamation table below covers every one-off change from this year on (1995 VE day and the 1999 millennium
# holiday are before it).
FIRST_PROCLAIMED_YEAR = 2000


@dataclass(frozen=True, slots=True)
class BankHoliday:
    """One bank holiday as gov.uk lists it: `notes` is "Substitute day", "Extra bank holiday" or empty."""

    day: date
    title: str
    notes: str = ""
    bunting: bool = True


_SUBSTITUTE = "Substitute day"
_EXTRA_DAY = "Extra bank holiday"

# Regular holidays moved by proclamation: (year, regular title) -> the day it was moved to.
_MOVED = {
    (2002, "Spring bank holiday"): BankHoliday(date(2002, 6, 4), "Spring bank holiday", _SUBSTITUTE),
    (2012, "Spring bank holiday"): BankHoliday(date(2012, 6, 4), "Spring bank holiday", _SUBSTITUTE),
    (2020, "Early May bank holiday"): BankHoliday(date(2020, 5, 8), "Early May bank holiday (VE day)"),
    (2022, "Spring bank holiday"): BankHoliday(date(2022, 6, 2), "Spring bank holiday"),
}
# Extra days proclaimed for one year only.
_EXTRA = (
    BankHoliday(date(2002, 6, 3), "Queen’s Golden Jubilee", _EXTRA_DAY),
    BankHoliday(date(2011, 4, 29), "Royal wedding", _EXTRA_DAY),
    BankHoliday(date(2012, 6, 5), "Queen’s Diamond Jubilee", _EXTRA_DAY),
    BankHoliday(date(2022, 6, 3), "Platinum Jubilee bank holiday"),
    BankHoliday(date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II", bunting=False),
    BankHoliday(date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Meeus/Jones/Butcher algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    return date(year, month, (h + el - 7 * m + 114) % 31 + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def _christmas(year: int) -> list[BankHoliday]:
    """Christmas and Boxing Day with their substitutes: the weekend days move to the next free weekdays."""
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Christmas on Monday 27th, Boxing Day on Tuesday 28th
        return [
            BankHoliday(christmas + timedelta(days=2), "Christmas Day", _SUBSTITUTE),
            BankHoliday(boxing + timedelta(days=2), "Boxing Day", _SUBSTITUTE),
        ]
    if christmas.weekday() == 6:  # Sunday: Boxing Day on Monday 26th, Christmas on Tuesday 27th
        return [
            BankHoliday(boxing, "Boxing Day"),
            BankHoliday(christmas + timedelta(days=2), "Christmas Day", _SUBSTITUTE),
        ]
    if boxing.weekday() == 5:  # Christmas on Friday: Boxing Day on Monday 28th
        return [BankHoliday(christmas, "Christmas Day"), BankHoliday(date(year, 12, 28), "Boxing Day", _SUBSTITUTE)]
    return [BankHoliday(christmas, "Christmas Day"), BankHoliday(boxing, "Boxing Day")]


def _year(year: int) -> list[BankHoliday]:
    new_year = date(year, 1, 1)
    easter = easter_sunday(year)
    holidays = [
        BankHoliday(new_year, "New Year’s Day")
        if new_year.weekday() < 5
        else BankHoliday(_monday_on_or_after(new_year), "New Year’s Day", _SUBSTITUTE),
        BankHoliday(easter - timedelta(days=2), "Good Friday", bunting=False),
        BankHoliday(easter + timedelta(days=1), "Easter Monday"),
        BankHoliday(_monday_on_or_after(date(year, 5, 1)), "Early May bank holiday"),
        BankHoliday(_last_monday(year, 5), "Spring bank holiday"),
        BankHoliday(_last_monday(year, 8), "Summer bank holiday"),
        *_christmas(year),
    ]
    holidays = [_MOVED.get((year, holiday.title), holiday) for holiday in holidays]
    holidays += [extra for extra in _EXTRA if extra.day.year == year]
    return sorted(holidays, key=lambda holiday: holiday.day)


def england_and_wales(first_year: int, last_year: int) -> list[BankHoliday]:
    """Every England and Wales bank holiday of the years `first_year` to `last_year`, in date order."""
    return [holiday for year in range(first_year, last_year + 1) for holiday in _year(year)]


def bank_holiday_dates(first_year: int, last_year: int) -> list[date]:
    return [holiday.day for holiday in england_and_wales(first_year, last_year)]
