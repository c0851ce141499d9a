"""A child's periods of care (a run of episodes joined by X1), working days and the per-child RNGs of the 903 tables.

Every table here is derived from the child's whole simulated life and only then cut to a file's window, so the
same review, missing episode or social worker shows identically in every collection year that contains it.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from synth.calendar import add_months
from synth.careers import Episode
from synth.population import Child
from synth.rng import Rng

SHORT_BREAK = frozenset({"V3", "V4"})
ADOPTED = frozenset({"E11", "E12"})
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})


@dataclass(frozen=True, slots=True)
class Period:
    """One period of care: the child is looked after from `start` until `end` (the last episode's DEC)."""

    start: int
    end: int
    rec: str
    episodes: tuple[Episode, ...]


def care_periods(child: Child) -> list[Period]:
    """The child's periods of care (not short breaks), in order."""
    periods: list[Period] = []
    current: list[Episode] = []
    for episode in child.episodes:
        if episode.ls in SHORT_BREAK:
            continue
        current.append(episode)
        if episode.rec != "X1":
            periods.append(Period(current[0].decom, episode.dec, episode.rec, tuple(current)))
            current = []
    return periods


def child_rng(seed: int, la_code: str, purpose: str, child_id: str) -> random.Random:
    """The RNG of one table for one child: independent of the file being cut and of every other child."""
    return Rng(f"{seed}|{la_code}|903|{purpose}|{child_id}")


def _weekday(day: int) -> int:
    """Monday 0 ... Sunday 6 of an ordinal (ordinal 1, 1 January 1, was a Monday): date.weekday() without a date."""
    return (day + 6) % 7


def add_working_days(day: int, count: int) -> int:
    """The ordinal `count` working days (Monday-Friday) after `day`."""
    while count > 0:
        day += 1
        if (day + 6) % 7 < 5:
            count -= 1
    return day


def weekday_on_or_before(day: int) -> int:
    return day - max(0, _weekday(day) - 4)


def weekday_on_or_after(day: int) -> int:
    weekday = _weekday(day)
    return day + (7 - weekday if weekday >= 5 else 0)


@lru_cache(maxsize=1 << 16)
def add_calendar_months(day: int, months: int) -> int:
    """The same day of the month `months` later (the month's last day when it is shorter)."""
    start = date.fromordinal(day)
    year, month = add_months(start, months)
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])).toordinal()
