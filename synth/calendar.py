"""Date helpers: collection years (1 April - 31 March), month ends and the 903 date format.

Dates inside the simulation are proleptic ordinals (`date.toordinal()`), which keeps the arithmetic cheap.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def collection_year(day: date) -> str:
    """The collection year `YYYY-YY` that contains `day`."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def collection_year_bounds(cy: str) -> tuple[date, date]:
    """First and last day (1 April, 31 March) of collection year `cy`."""
    start = int(cy[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def shift_collection_year(cy: str, years: int) -> str:
    start = int(cy[:4]) + years
    return f"{start}-{(start + 1) % 100:02d}"


def month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def add_months(day: date, months: int) -> tuple[int, int]:
    """(year, month) `months` calendar months after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def anniversary(dob: int, years: int) -> int:
    """The ordinal of the `years`-th birthday (29 February birthdays fall on 1 March in common years)."""
    born = date.fromordinal(dob)
    try:
        return date(born.year + years, born.month, born.day).toordinal()
    except ValueError:
        return date(born.year + years, 3, 1).toordinal()


@lru_cache(maxsize=65536)
def dmy(ordinal: int) -> str:
    """The 903 date format `dd/mm/YYYY`."""
    day = date.fromordinal(ordinal)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
