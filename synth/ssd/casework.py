"""Who holds each child's case, and in which service, day by day: the case segments of the simulated truth.

A child's case moves between services as its status changes (kpi-catalogue §0.4): Referral & Assessment (RA) from
the referral until a plan starts (the disabled children's team, CWD, assesses a disabled child), Safeguarding &
Family Support (SFS) while on a CIN or CP plan, Children Looked After & Support Services (CLASS, or CWD for disabled
children) while looked after, and the care leavers team (CL) for relevant children who left care at 16-17. A higher
status wins when several overlap (CLA > CP > CIN > RA).
Care leavers also get a personal adviser (PA) and looked-after children an IRO, each on their own track.

Dates are ordinals; `end` is exclusive (open on d <=> start <= d < end) and None while open at the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from synth.calendar import anniversary
from synth.cin.model import CINChild, Referral
from synth.population import Child
from synth.ssda903.outcomes import NOT_CARE_LEAVERS
from synth.ssda903.periods import Period, care_periods

# Assessment factors that point at exploitation (CSE, missing, gangs, trafficking, criminal exploitation): such
# adolescents on plans are held by the exploitation team (EYJ).
EXPLOITATION_FACTORS = frozenset({"6A", "6B", "6C", "11A", "24A"})
# Role codes of ssd_involvements (input contract §2.2).
ALLOCATED_SW, PA, IRO = "ALLOCATED_SW", "PA", "IRO"
_PRIORITY = {"CL": 0, "RA": 1, "HOLD": 2, "CIN": 3, "CP": 4, "CLA": 5}


@dataclass(slots=True)
class Segment:
    """A stretch of a child's case held by one service (and role), under one referral."""

    child_id: str
    service: str  # RA, SFS, CLASS, CWD, CL, EYJ (ALLOCATED_SW); CL for PAs; SQA for IROs
    role: str
    start: int
    end: int | None
    referral_id: str
    status: str  # what the child is on: RA, CIN, CP, CLA, CL (PA, IRO tracks: CL, CLA)


def former_relevant(child: Child, periods: list[Period]) -> bool:
    """13+ weeks looked after after the 14th birthday, some after the 16th, and left care as a care leaver."""
    fourteenth, sixteenth = anniversary(child.dob, 14), anniversary(child.dob, 16)
    after_14 = sum(max(0, period.end - max(period.start, fourteenth)) for period in periods)
    after_16 = sum(max(0, period.end - max(period.start, sixteenth)) for period in periods)
    return bool(periods) and after_14 >= 91 and after_16 >= 1 and periods[-1].rec not in NOT_CARE_LEAVERS


def _disabled(cin_child: CINChild) -> bool:
    return cin_child.short_breaks or any(code != "NONE" for code in cin_child.disabilities)


def _plan_service(cin_child: CINChild, referral: Referral, day: int) -> str:
    if _disabled(cin_child):
        return "CWD"
    teenager = day - cin_child.dob >= 11 * 365
    found = {factor for assessment in referral.assessments for factor in assessment.factors}
    if teenager and found & EXPLOITATION_FACTORS:
        return "EYJ"
    return "SFS"


def _pieces(cin_child: CINChild, child: Child | None, horizon: int) -> list[tuple[int, int, str, str, str]]:
    """(start, end, status, service, referral_id) of every status the child had, overlaps allowed."""
    open_end = horizon + 1
    pieces: list[tuple[int, int, str, str, str]] = []
    periods = care_periods(child) if child is not None else []
    for referral in cin_child.referrals:
        close = open_end if referral.closure is None or referral.closure > horizon else referral.closure
        if referral.nfa or close <= referral.date or referral.date > horizon:
            continue
        plans = [(p.start, p.end, "CIN") for p in referral.cin_plans] + [
            (p.start, p.end, "CP") for p in referral.cp_plans
        ]
        plans = [(start, open_end if end is None or end > horizon else end, kind) for start, end, kind in plans]
        plans = [plan for plan in plans if plan[0] <= horizon]
        first_plan = min((start for start, _, _ in plans), default=close)
        # The disabled children's team assesses its own referrals (kpi-catalogue §5.2: CLA&SS holds 24-68 open
        # assessments on a Compliance Report date).
        front = "CWD" if _disabled(cin_child) else "RA"
        until = max(referral.date + 1, min(first_plan, close))
        pieces.append((referral.date, until, "RA", front, referral.referral_id))
        for start, end, kind in plans:
            service = _plan_service(cin_child, referral, start)
            left = [period for period in periods if referral.date <= period.end <= start]
            if kind == "CIN" and left:  # back home on a CIN plan: the looked-after team keeps the case
                service = "CWD" if left[-1].episodes[0].cin == "N2" else "CLASS"
            pieces.append((start, max(start + 1, end), kind, service, referral.referral_id))
        if plans and close > first_plan:  # between plans and until closure the plan's team keeps the case
            service = _plan_service(cin_child, referral, first_plan)
            pieces.append((first_plan, close, "HOLD", service, referral.referral_id))
    if child is not None:
        for period in periods:
            if period.start > horizon:
                continue
            end = open_end if period.end > horizon else max(period.end, period.start + 1)
            service = "CWD" if period.episodes[0].cin == "N2" else "CLASS"
            covering = [r.referral_id for r in cin_child.referrals if r.date <= period.start]
            pieces.append((period.start, end, "CLA", service, covering[-1] if covering else ""))
        if former_relevant(child, periods) and periods[-1].end <= horizon:
            left, eighteenth = periods[-1].end, anniversary(child.dob, 18)
            if left < eighteenth:
                pieces.append((left, min(eighteenth, open_end), "CL", "CL", ""))
    return pieces


def _sweep(pieces: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """The highest-priority piece on every day, merged into runs of the same (service, referral); a run's status
    is the one it started with."""
    cuts = sorted({day for start, end, *_ in pieces for day in (start, end)})
    runs: list[tuple[int, int, str, str, str]] = []
    for first, last in pairwise(cuts):
        live = [piece for piece in pieces if piece[0] <= first and piece[1] >= last]
        if not live:
            continue
        best = max(live, key=lambda piece: (_PRIORITY[piece[2]], piece[0]))
        # One run per (service, referral): a child stepping from CP to CIN inside S&FS keeps its worker.
        if runs and runs[-1][1] == first and (runs[-1][3], runs[-1][4]) == (best[3], best[4]):
            runs[-1] = (runs[-1][0], last, runs[-1][2], best[3], best[4])
        else:
            runs.append((first, last, best[2], best[3], best[4]))
    return runs


def case_segments(cin_child: CINChild, child: Child | None, horizon: int, first_day: int) -> list[Segment]:
    """The child's ALLOCATED_SW, PA and IRO segments clipped to [first_day, horizon]; open ones end None."""
    pieces = _pieces(cin_child, child, horizon)
    segments: list[Segment] = []
    open_end = horizon + 1
    for start, end, status, service, referral_id in _sweep(pieces):
        if end <= first_day:
            continue
        shown = "CIN" if status == "HOLD" else status
        segments.append(
            Segment(cin_child.child_id, service, ALLOCATED_SW, max(start, first_day), None if end >= open_end else end,
                    referral_id, shown)
        )  # fmt: skip
    if child is not None:
        periods = care_periods(child)
        for period in periods:
            if period.start <= horizon and period.end > first_day:
                end = None if period.end > horizon else period.end
                segments.append(Segment(child.child_id, "SQA", IRO, max(period.start, first_day), end, "", "CLA"))
        if former_relevant(child, periods) and periods[-1].end <= horizon:
            start = max(periods[-1].end, anniversary(child.dob, 16))
            end = anniversary(child.dob, 22)  # a personal adviser until 21 inclusive (the snapshot age range)
            if start <= horizon and end > first_day:
                segments.append(
                    Segment(child.child_id, "CL", PA, max(start, first_day), None if end > horizon else end, "", "CL")
                )
    segments.sort(key=lambda segment: (segment.start, segment.role))
    return segments
