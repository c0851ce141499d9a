"""Missing (M) and away-from-placement-without-authorisation (A) incidents while looked after.

Most children never go missing; a minority, mostly aged 10 and over, go missing repeatedly. Each incident starts
and ends inside a period of care (it ends before the child leaves care, DfE rules 575/577/578), and incidents
never overlap (rule 574). Most last under a day or two.
"""

from __future__ import annotations

import random

from synth.careers import YEAR
from synth.population import Child
from synth.ssda903.periods import Period, care_periods, child_rng

# (age at the start of the period from, share of children who go missing, incidents per year for them)
PROPENSITY: tuple[tuple[float, float, float], ...] = ((0.0, 0.01, 1.0), (10.0, 0.16, 3.0), (14.0, 0.30, 5.0))
AWAY_SHARE = 0.30
# (weight, shortest, longest) days from start to end of a missing incident
_DURATION: tuple[tuple[float, int, int], ...] = ((0.40, 0, 0), (0.35, 1, 1), (0.20, 2, 7), (0.05, 8, 30))


def _duration(rng: random.Random) -> int:
    pick, cumulative = rng.random(), 0.0
    for weight, low, high in _DURATION:
        cumulative += weight
        if pick < cumulative:
            return rng.randint(low, high)
    return 0


def child_missing(
    child: Child, seed: int, la_code: str, periods: list[Period] | None = None
) -> list[tuple[str, int, int]]:
    """Every (MISSING code, MIS_START, MIS_END) of the child's life in care, in date order."""
    rng = child_rng(seed, la_code, "missing", child.child_id)
    incidents: list[tuple[str, int, int]] = []
    for period in care_periods(child) if periods is None else periods:
        age = (period.start - child.dob) / YEAR
        share, rate = next((share, rate) for low, share, rate in reversed(PROPENSITY) if age >= low)
        if rng.random() >= share:
            continue
        day = period.start
        while True:
            day += max(1, round(rng.expovariate(rate) * YEAR))
            if day >= period.end - 1:
                break
            end = min(day + _duration(rng), period.end - 1)
            incidents.append(("A" if rng.random() < AWAY_SHARE else "M", day, end))
            day = end
    return incidents
