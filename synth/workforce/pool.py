"""Build an organisation's workforce, and pick the social workers who can hold cases on a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from synth.workforce.absence import simulate_absences
from synth.workforce.establishment import SERVICE_ROLL_UP, build_establishment
from synth.workforce.params import WorkforceParams
from synth.workforce.staffing import Spell, Workforce, simulate_staffing

# The simulation runs this long past as_of, so that true end dates exist for everyone in post at as_of.
_HORIZON_DAYS = 400


def span_start(as_of: date) -> date:
    """The fixed first day of the simulated workforce: 1 April 2012 (earlier only for an as_of before 2021)."""
    return date(min(2012, as_of.year - 9), 4, 1)


@lru_cache(maxsize=8)
def build_workforce(seed: int, la_code: str, as_of: date, params: WorkforceParams | None = None) -> Workforce:
    """The organisation's teams, posts, staff spells and absences from `span_start(as_of)` to past `as_of`.

    Cached: the HR, finance and SSD writers of one organisation share one simulation. Treat it as read-only.
    """
    params = params or WorkforceParams()
    start = span_start(as_of).toordinal()
    horizon = as_of.toordinal() + _HORIZON_DAYS
    teams, posts = build_establishment(start, params.cin_scale, params.cla_scale)
    spells = simulate_staffing(seed, la_code, teams, posts, start, horizon, params)
    absences = simulate_absences(seed, la_code, spells, horizon, params)
    return Workforce(la_code, seed, start, horizon, params, teams, posts, spells, absences)


def social_worker_pool(workforce: Workforce, day: int | date, services: Iterable[str] | None = None) -> list[Spell]:
    """The qualified case-holding social workers (with SWE numbers) in post on `day`, sorted by worker_id.

    `services` filters by service code (RA, SFS, CLASS, CWD, CL, EYJ); CLASS includes the CWD and CL teams, as on the
    TSG "CLA&SS" grain. Each spell gives the worker's `worker_id`, `team_id`, `swe`, `fte`, `is_agency`, `start` and
    `end` (so an allocation can end when the worker leaves).
    """
    ordinal = day.toordinal() if isinstance(day, date) else day
    wanted = None if services is None else set(services)
    pool = [
        spell
        for spell in workforce.spells
        if spell.case_holding
        and spell.swe
        and spell.active_on(ordinal)
        and (wanted is None or spell.service in wanted or SERVICE_ROLL_UP.get(spell.service) in wanted)
    ]
    return sorted(pool, key=lambda spell: spell.worker_id)
