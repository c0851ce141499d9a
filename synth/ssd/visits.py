"""Statutory visits (ssd_cin_visits, ssd_cp_visits, ssd_cla_visits; input contract §2.3) at their frequencies, with
realistic lateness (kpi-catalogue §4.5 era B: visits in time R&A ~50-80 %, S&FS ~84-94 %, CLA&SS ~81-87 %).

* CP plan: every 10 working days from the plan start (b04).
* CIN plan and open assessment (`local_visit_context` CIN / ASSESS): the local standard of 20 working days
  (kpi-catalogue t_visits_in_time_all); assessment visits are the ones most often late (R&A).
* Looked after (Care Planning Regulations 2010 reg. 28, b07): within 1 week of each placement start, then at most
  every 6 weeks; every 3 months after the first year of a long-term placement (U1/U4).

Each gap is drawn "in time" (inside the interval) or, with the late share, beyond it. Visits stop at the end of the
requirement and at the horizon. Dates are ordinals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.calendar import anniversary
from synth.cin.calendar import add_working_days
from synth.cin.model import CINChild
from synth.population import Child
from synth.ssda903.periods import care_periods

LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})


@dataclass(frozen=True)
class VisitParams:
    """Share of visit gaps that overrun the statutory interval, per kind of visit; where the organisation records
    visits to children in assessment (ssd_cin_visits with local_visit_context ASSESS, or local_visits)."""

    cp_late_share: float = 0.10
    cin_late_share: float = 0.12
    assess_late_share: float = 0.85
    cla_late_share: float = 0.5
    seen_share: float = 0.96
    seen_alone_share: float = 0.85
    pathway_late_share: float = 0.15
    assess_visits_local: bool = False


@dataclass(slots=True)
class Visit:
    visit_id: str
    child_id: str
    day: int
    kind: str  # CIN, ASSESS, CP, CLA
    plan_id: str  # CP plan id (CP), period-of-care id (CLA), else ""
    seen: bool
    seen_alone: str  # Y, N, NA
    bedroom: bool


def _working_gap(rng: random.Random, interval: int, late_share: float) -> int:
    below = rng._randbelow  # rng.randint(a, b) draws a + below(b - a + 1): the same stream, faster
    if rng.random() < late_share:
        return interval + 1 + below(max(3, interval))
    low = max(1, interval // 2)
    return low + below(interval - low + 1)


def _visit(rng: random.Random, params: VisitParams, visit_id: str, child: CINChild, day: int, kind: str,
           plan_id: str, fourth: int) -> Visit:  # fmt: skip
    """`fourth`: the child's fourth birthday (seen alone is not applicable before it)."""
    seen = rng.random() < params.seen_share
    alone = "NA" if day < fourth else ("Y" if rng.random() < params.seen_alone_share else "N")
    return Visit(visit_id, child.child_id, day, kind, plan_id, seen, alone if seen else "N", rng.random() < 0.7)


def _every(rng: random.Random, params: VisitParams, child: CINChild, prefix: str, kind: str, plan_id: str,
           start: int, end: int, interval: int, late: float, fourth: int) -> list[Visit]:  # fmt: skip
    """Visits from `start` until `end` (exclusive) every `interval` working days."""
    visits: list[Visit] = []
    day = start
    gap = _working_gap(rng, interval, late)
    while True:
        day = add_working_days(day, gap)
        if day >= end:
            return visits
        visits.append(_visit(rng, params, f"{prefix}-V{len(visits) + 1}", child, day, kind, plan_id, fourth))
        gap = _working_gap(rng, interval, late)


def cin_child_visits(child: CINChild, horizon: int, params: VisitParams, seed: int, la_code: str) -> list[Visit]:
    """CP, CIN-plan and assessment visits of one child up to `horizon`."""
    rng = random.Random(f"{seed}|{la_code}|ssd-visits|{child.child_id}")
    visits: list[Visit] = []
    last = horizon + 1
    fourth = anniversary(child.dob, 4)
    for referral in child.referrals:
        for assessment in referral.assessments:
            end = min(assessment.authorised, last)
            visits += _every(rng, params, child, assessment.assessment_id, "ASSESS", "", assessment.start, end, 20,
                             params.assess_late_share, fourth)  # fmt: skip
        for plan in referral.cp_plans:
            end = min(plan.end if plan.end is not None else last, last)
            visits += _every(rng, params, child, plan.cpp_id, "CP", plan.cpp_id, plan.start, end, 10,
                             params.cp_late_share, fourth)  # fmt: skip
        for plan in referral.cin_plans:
            end = min(plan.end if plan.end is not None else last, last)
            visits += _every(rng, params, child, plan.cin_plan_id, "CIN", "", plan.start, end, 20,
                             params.cin_late_share, fourth)  # fmt: skip
    return visits


def period_id(child_id: str, number: int) -> str:
    """The period-of-care id (`clav_cla_id`, `clap_cla_id`): the child id and the period's number."""
    return f"{child_id}-LA{number}"


def placement_starts(child: Child) -> list[tuple[int, int, int, str, int]]:
    """(period number, placement start, placement end, PLACE, index of the first episode) of each placement: a new
    placement starts with every episode whose RNE is not L (legal status change only)."""
    found: list[tuple[int, int, int, str, int]] = []
    for number, period in enumerate(care_periods(child), start=1):
        for index, episode in enumerate(period.episodes):
            if index == 0 or episode.rne != "L":
                found.append((number, episode.decom, episode.dec, episode.place, index))
            else:
                number_, start, _, place, first = found[-1]
                found[-1] = (number_, start, episode.dec, place, first)
    return found


def cla_child_visits(child: Child, cin_child: CINChild, horizon: int, params: VisitParams, seed: int,
                     la_code: str) -> list[Visit]:  # fmt: skip
    """Reg. 28 visits of one looked-after child up to `horizon` (days, not working days)."""
    rng = random.Random(f"{seed}|{la_code}|ssd-cla-visits|{child.child_id}")
    visits: list[Visit] = []
    fourth = anniversary(cin_child.dob, 4)
    for number, start, end, place, _ in placement_starts(child):
        end = min(end, horizon + 1)
        day = start + (rng.randint(1, 7) if rng.random() >= params.cla_late_share else rng.randint(8, 16))
        while day < end:
            visits.append(_visit(rng, params, f"{child.child_id}-CV{len(visits) + 1}", cin_child, day, "CLA",
                                 period_id(child.child_id, number), fourth))  # fmt: skip
            interval = 91 if place in LONG_TERM_PLACEMENTS and day - start >= 365 else 42
            late = rng.random() < params.cla_late_share
            day += interval + rng.randint(7, 35) if late else rng.randint(interval * 2 // 3, interval)
    return visits
