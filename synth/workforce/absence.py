"""Sickness absence spells of employees, drawn for all employment spells at once with numpy.

Spells start as a seasonal Poisson process (peak in January) on working days; most last a few working days, a
share are long-term (over 20 working days, lognormal around 6-7 weeks). Spells never overlap and always lie inside
the employment spell. Working days exclude weekends and England & Wales bank holidays.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from synth.reference.bank_holidays import bank_holiday_dates
from synth.workforce.params import WorkforceParams
from synth.workforce.staffing import YEAR, Spell

EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class Absence:
    """One sickness spell (`hr_absence`); dates are ordinals, `end` inclusive; `working_days` unweighted."""

    absence_id: str
    person_id: str
    spell_id: str
    start: int
    end: int
    working_days: int
    fte: float


def holidays_between(first: int, last: int) -> np.ndarray:
    years = (date.fromordinal(first).year, date.fromordinal(last).year)
    return np.array([day.isoformat() for day in bank_holiday_dates(*years)], dtype="datetime64[D]")


def to_datetime64(ordinals: np.ndarray) -> np.ndarray:
    return (np.asarray(ordinals, dtype=np.int64) - EPOCH).astype("datetime64[D]")


def simulate_absences(
    seed: int, la_code: str, spells: list[Spell], horizon: int, params: WorkforceParams
) -> list[Absence]:
    employees = [spell for spell in spells if not spell.is_agency]
    rng = np.random.default_rng(int(hashlib.sha256(f"{seed}|{la_code}|absence".encode()).hexdigest(), 16))
    first = np.array([spell.start for spell in employees], dtype=np.int64)
    last = np.array([horizon if spell.end is None else spell.end for spell in employees], dtype=np.int64)
    peak = params.sickness_spells_per_year * (1.0 + params.sickness_seasonality)
    counts = rng.poisson(peak * (last - first + 1) / YEAR)
    owner = np.repeat(np.arange(len(employees)), counts)
    day = first[owner] + np.floor(rng.random(owner.size) * (last - first + 1)[owner]).astype(np.int64)
    months = to_datetime64(day).astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    season = 1.0 + params.sickness_seasonality * np.cos(2.0 * np.pi * months / 12.0)
    keep = rng.random(owner.size) * (1.0 + params.sickness_seasonality) < season
    long_term = rng.random(owner.size) < params.long_term_spell_share
    short_days = np.clip(np.rint(np.exp(rng.normal(np.log(1.8), 0.65, owner.size))), 1, 15)
    long_days = np.maximum(21, np.rint(np.exp(rng.normal(np.log(32.0), 0.5, owner.size))))
    length = np.where(long_term, long_days, short_days).astype(np.int64)
    owner, day, length = owner[keep], day[keep], length[keep]

    holidays = holidays_between(int(first.min()) if first.size else horizon, horizon + 400)
    begin = np.busday_offset(to_datetime64(day), 0, roll="forward", holidays=holidays)
    finish = np.busday_offset(begin, length - 1, roll="forward", holidays=holidays)
    finish = np.minimum(finish, to_datetime64(last[owner]))
    inside = begin <= finish
    owner, begin, finish = owner[inside], begin[inside], finish[inside]
    order = np.lexsort((begin, owner))
    owner, begin, finish = owner[order], begin[order], finish[order]
    working = np.busday_count(begin, finish + np.timedelta64(1, "D"), holidays=holidays)
    start_ord = begin.astype(np.int64) + EPOCH
    end_ord = finish.astype(np.int64) + EPOCH

    absences: list[Absence] = []
    previous_owner, previous_end = -1, 0
    for index in range(owner.size):
        who = int(owner[index])
        if who == previous_owner and start_ord[index] <= previous_end:
            continue  # overlaps the previous spell of the same person: not a new absence
        previous_owner, previous_end = who, int(end_ord[index])
        spell = employees[who]
        absences.append(
            Absence("", spell.person_id, spell.spell_id, int(start_ord[index]), int(end_ord[index]),
                    int(working[index]), spell.fte)
        )  # fmt: skip
    absences.sort(key=lambda absence: (absence.person_id, absence.start))
    return [
        Absence(f"AB{number:07d}", a.person_id, a.spell_id, a.start, a.end, a.working_days, a.fte)
        for number, a in enumerate(absences, start=1)
    ]
