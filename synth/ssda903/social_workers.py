"""Social worker episodes (903 SWEpisodes, collected from 2023-24): who was the child's allocated social worker.

A child's chain of allocations starts with the social worker allocated when the period of care begins (reason
FCONTA) and carries on while the child is looked after: each allocation lasts a few months to a couple of years,
and the next one starts on the day the previous one ends (DfE rules SW08/SW10/SW10a). The last allocation ends
when the case closes or transfers, a few weeks after the child leaves care.

SW_ID is a Social Work England registration number ("SW" + digits) drawn from the organisation's pool of workers,
`social_worker_ids(seed, la_code, n)`. The workforce generator builds its own HR/SSD workers: to link the two, the
lead can hand that pool's registration numbers to both (the pool is deterministic in (seed, la_code) alone).
"""

from __future__ import annotations

import random

from synth.careers import lognormal_days, weighted
from synth.population import Child
from synth.ssda903.periods import ADOPTED, care_periods, child_rng

# Social workers who hold looked-after children's cases in the organisation (a Slough-sized LA).
POOL_SIZE = 60
# Why an allocation changed (the SW_REASON of the following episode); the first allocation is FCONTA.
CHANGE_REASONS: dict[str, float] = {
    "MANAGE": 28.0,
    "LEFTRL": 30.0,
    "TSPROC": 16.0,
    "ORGRST": 7.0,
    "ABSENC": 7.0,
    "CHCHAN": 3.0,
    "PCCHAN": 3.0,
    "OTHERS": 5.9,
    "SWDIED": 0.1,
}
_MEDIAN_ALLOCATION_DAYS = 220


def social_worker_ids(seed: int, la_code: str, n: int = POOL_SIZE) -> list[str]:
    """`n` distinct Social Work England numbers ("SW" + 6 digits), the same for the same (seed, la_code).

    The pool of registered social workers of one organisation; the first `n` of a larger pool are the same
    workers, so callers asking for different sizes agree on the shared part."""
    rng = random.Random(f"{seed}|{la_code}|social-worker-pool")
    seen: set[str] = set()
    pool: list[str] = []
    while len(pool) < n:
        number = f"SW{rng.randrange(10_000, 1_000_000):06d}"
        if number not in seen:
            seen.add(number)
            pool.append(number)
    return pool


def child_social_workers(child: Child, seed: int, la_code: str, pool: list[str]) -> list[tuple[str, int, int, str]]:
    """Every (SW_ID, SW_DECOM, SW_DEC, SW_REASON) of the child's life in care, in date order."""
    rng = child_rng(seed, la_code, "social-workers", child.child_id)
    allocations: list[tuple[str, int, int, str]] = []
    periods = care_periods(child)
    for index, period in enumerate(periods):
        closes = period.end + (rng.randint(0, 14) if period.rec in ADOPTED else rng.randint(7, 90))
        if index + 1 < len(periods):  # a child back in care before the case closed gets a new chain
            closes = min(closes, periods[index + 1].start)
        day, reason, worker = period.start, "FCONTA", rng.choice(pool)
        while day < closes:
            end = min(day + lognormal_days(rng, _MEDIAN_ALLOCATION_DAYS, 0.7, 14), closes)
            if end >= period.end or closes - end < 14:  # no new allocation after the child leaves care (SW12)
                end = closes
            allocations.append((worker, day, end, reason))
            day, reason = end, weighted(rng, CHANGE_REASONS)
            worker = rng.choice([other for other in pool if other != worker])
    return allocations
