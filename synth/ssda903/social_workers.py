"""Social worker episodes (903 SWEpisodes, collected from 2023-24): who was the child's allocated social worker.

In an organisation's exports they are the case system's allocations: `allocated_social_workers(casework)` turns
each looked-after child's ALLOCATED_SW involvements (synth.ssd.allocation, the rows of ssd_involvements) into
episodes, so SW_ID is the worker's Social Work England number (ssd_professionals
prof_social_worker_registration_no), SW_DECOM/SW_DEC the allocation's start and end and SW_REASON its
invo_worker_change_reason (input contract §1.1.4, §2.2, §7 `cs_sw_episode`).

`child_social_workers` is the stand-alone version for a 903 set cut without a workforce (the 903 unit tests and
`python -m synth.ssda903` when no allocation truth is passed): its own pool of SWE numbers, `social_worker_ids`.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from synth.careers import lognormal_days, weighted
from synth.population import Child
from synth.ssda903.periods import ADOPTED, care_periods, child_rng

if TYPE_CHECKING:
    from synth.ssd.truth import Casework

# (SW_ID, SW_DECOM, SW_DEC or None while open at the truth's horizon, SW_REASON); dates are ordinals.
SocialWorkerEpisode = tuple[str, int, int | None, str]
# SW_ID while the team holds the case with nobody allocated (input contract §0.9: `XX` when not applicable).
NO_WORKER_ID = "XX"
FIRST_CONTACT = "FCONTA"
# synth.ssd.casework.ALLOCATED_SW and synth.ssd.allocation.TEAM_ONLY (not imported: synth.ssd imports this package)
_SW_ROLE, _TEAM_ONLY = "ALLOCATED_SW", "TEAM_ONLY"


def allocated_social_workers(casework: Casework) -> dict[str, list[SocialWorkerEpisode]]:
    """Each looked-after child's social worker episodes, from the casework truth's allocations, by child id.

    An episode is an ALLOCATED_SW involvement (or a team-only row standing in for one: SW_ID `XX`) clipped to a
    period of care (short breaks left out, as for Episodes): 903 reports the social workers of the time looked
    after, so an allocation made before the child came into care starts on the period's DECOM (with SW_REASON
    FCONTA, the start of the period's chain), and the last one ends on the day care ended (DfE rules SW12/SW17 look
    for episodes inside the periods). The chain has no gap inside a period: allocation hands a case over on the
    day (SW08/SW10). Cutting to a file (episodes open from 1 April to the as_at date, SW_DEC blank after it) is the
    903 writer's; SW_DECOM keeps its true date, so an episode open at 31 March starts the same in the next year
    (SW16b). SW_DEC is None while the allocation is open at the casework's horizon.
    """
    swe = {spell.worker_id: spell.swe for spell in casework.workforce.spells if spell.swe}
    rows_by_child: dict[str, list] = {}
    for row in casework.involvements:
        if row.held_for == _SW_ROLE and row.role in (_SW_ROLE, _TEAM_ONLY):
            rows_by_child.setdefault(row.child_id, []).append(row)
    never = casework.horizon + 1  # an open row or period ends after the horizon: not known yet
    episodes: dict[str, list[SocialWorkerEpisode]] = {}
    for child_id, rows in sorted(rows_by_child.items()):
        child = casework.children.get(child_id)
        if child is None:
            continue
        found: list[SocialWorkerEpisode] = []
        for period in care_periods(child):
            for row in rows:  # sorted by start (allocation.allocate)
                start = max(row.start, period.start)
                end = min(never if row.end is None else row.end, period.end)
                if start < end and start <= casework.horizon:
                    worker = swe.get(row.worker_id, NO_WORKER_ID) if row.worker_id else NO_WORKER_ID
                    # An allocation carried into care opens the period's chain: first contact (SW10 wants any
                    # other reason to follow on from a previous episode).
                    reason = row.reason if row.start >= period.start else FIRST_CONTACT
                    found.append((worker, start, None if end > casework.horizon else end, reason))
        if found:
            episodes[child_id] = found
    return episodes


# Stand-alone episodes (no workforce) --------------------------------------------------------------------------
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
    """Every (SW_ID, SW_DECOM, SW_DEC, SW_REASON) of the child's life in care, in date order (stand-alone: a chain
    drawn from `pool`, from the start of each period of care until the case closes a few weeks after it)."""
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
