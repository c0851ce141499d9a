"""The CIN stock and flow figures of kpi-catalogue §4.1-4.2, §4.5 and §5, computed straight from the simulated
truth (an independent, simple reading of the definitions, used by the calibration tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from synth.cin.calendar import add_working_days, working_days_between
from synth.cin.episodes import plus_months
from synth.cin.model import CINChild


@dataclass
class Figures:
    referrals: int
    rereferral_pct: float  # b02: referrals with an earlier one by the same child in the 12 months before
    assessments: int  # authorised in the year
    assessment_in_time_pct: float  # b03
    s47s: int
    icpcs: int
    icpc_in_time_pct: float  # b05
    cpp_starts: int
    cpp_repeat_2y_pct: float  # b06
    contacts_1wd_pct: float  # b01
    open_children: int  # children with an open CIN episode at the snapshot
    cp_stock: int
    cin_plan_stock: int
    open_assessments: int
    open_assessments_in_time_pct: float
    cp_open_1_2y_pct: float
    cp_open_2y_plus: int
    cin_plans_open_1y_plus_pct: float


def _open(start: int, end: int | None, day: int) -> bool:
    return start <= day and (end is None or end > day)


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def figures(children: list[CINChild], first: date, last: date) -> Figures:
    """Flows over [first, last] and stocks at `last`."""
    lo, hi = first.toordinal(), last.toordinal()
    referrals = rereferrals = assessments = in_time = s47s = icpcs = icpc_in_time = cpp_starts = repeats = 0
    contacts = contacts_1wd = 0
    open_children = cp_stock = cin_stock = open_assessments = open_in_time = 0
    cp_1_2y = cp_2y = cin_1y = 0
    for child in children:
        dates = sorted(referral.date for referral in child.referrals)
        plans = [plan for referral in child.referrals for plan in referral.cp_plans]
        for contact in child.contacts:
            if lo <= contact.received <= hi:
                contacts += 1
                contacts_1wd += working_days_between(contact.received, contact.decided) <= 1
        for referral in child.referrals:
            if lo <= referral.date <= hi:
                referrals += 1
                year_before = plus_months(referral.date, -12)
                rereferrals += any(year_before <= other < referral.date for other in dates)
            if _open(referral.date, referral.closure, hi) and not referral.nfa:
                open_children += 1
            for assessment in referral.assessments:
                if lo <= assessment.authorised <= hi:
                    assessments += 1
                    in_time += assessment.authorised <= add_working_days(assessment.start, 45)
                if _open(assessment.start, assessment.authorised, hi):
                    open_assessments += 1
                    open_in_time += hi <= add_working_days(assessment.start, 45)
            for s47 in referral.section47s:
                s47s += lo <= s47.start <= hi
                if s47.icpc is not None and lo <= s47.icpc <= hi:
                    icpcs += 1
                    icpc_in_time += s47.icpc <= add_working_days(s47.start, 15)
            for plan in referral.cp_plans:
                if lo <= plan.start <= hi:
                    cpp_starts += 1
                    two_years = plus_months(plan.start, -24)
                    repeats += any(two_years <= other.end < plan.start for other in plans if other is not plan)
                if _open(plan.start, plan.end, hi):
                    cp_stock += 1
                    cp_1_2y += plus_months(plan.start, 12) <= hi < plus_months(plan.start, 24)
                    cp_2y += plus_months(plan.start, 24) <= hi
            for plan in referral.cin_plans:
                if _open(plan.start, plan.end, hi):
                    cin_stock += 1
                    cin_1y += plus_months(plan.start, 12) <= hi
    return Figures(
        referrals, _pct(rereferrals, referrals), assessments, _pct(in_time, assessments), s47s, icpcs,
        _pct(icpc_in_time, icpcs), cpp_starts, _pct(repeats, cpp_starts), _pct(contacts_1wd, contacts), open_children,
        cp_stock, cin_stock, open_assessments, _pct(open_in_time, open_assessments), _pct(cp_1_2y, cp_stock),
        cp_2y, _pct(cin_1y, cin_stock),
    )  # fmt: skip
