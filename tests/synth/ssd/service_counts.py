"""The Weekly Compliance Report counts of kpi-catalogue §5.2 by service, computed from the simulated truth the way the
warehouse defines them (docs/marts/compliance.md): an independent, simple reading used by the calibration test.

On a snapshot date d (open on d: start <= d and (end is None or end > d), §0.2):
* open assessments: started by d and not authorised by d (t_assess_open_in_time's denominator);
* children with a statutory visit requirement: a CP plan, looked after (short breaks excluded), a CIN plan, an open
  assessment, or a relevant / former relevant care leaver aged 16-21 (t_visits_in_time_all's denominator);
* CP plans open on d.
Service (§0.4): the service of the case holder's allocation on d (CWD and CL roll up to CLASS); without one, the
requirement's owning service (assessment R&A, CP and CIN plans S&FS, looked after and care leavers CLA&SS).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from synth.calendar import anniversary
from synth.ssd.casework import former_relevant
from synth.ssd.truth import Casework
from synth.ssda903.periods import care_periods

_ROLL_UP = {"CWD": "CLASS", "CL": "CLASS"}
_GOVERNING = ("CP", "CLA", "CIN", "ASSESS", "PATHWAY")  # ref_visit_frequency priority
_OWNER = {"CP": "SFS", "CIN": "SFS", "CLA": "CLASS", "PATHWAY": "CLASS", "ASSESS": "RA"}


@dataclass
class ServiceCounts:
    open_assessments: Counter[str]
    visit_children: Counter[str]
    cp_plans: int


def _open(start: int, end: int | None, day: int) -> bool:
    return start <= day and (end is None or end > day)


def _age(dob: int, day: int) -> int:
    return next(age for age in range(30, -1, -1) if anniversary(dob, age) <= day)


def service_counts(casework: Casework, day: int) -> ServiceCounts:
    def service(child_id: str, fallback: str) -> str:
        holder = casework.holders.on(child_id, day)
        code = holder.service if holder is not None else fallback
        return _ROLL_UP.get(code, code)

    assessments: Counter[str] = Counter()
    requirements: dict[str, set[str]] = {}
    cp_plans = 0
    for child in casework.cin:
        for referral in child.referrals:
            for assessment in referral.assessments:
                if _open(assessment.start, assessment.authorised, day):
                    assessments[service(child.child_id, "RA")] += 1
                    requirements.setdefault(child.child_id, set()).add("ASSESS")
            for plan in referral.cp_plans:
                if _open(plan.start, plan.end, day):
                    cp_plans += 1
                    requirements.setdefault(child.child_id, set()).add("CP")
            for plan in referral.cin_plans:
                if _open(plan.start, plan.end, day):
                    requirements.setdefault(child.child_id, set()).add("CIN")
    for child_id, child in casework.children.items():
        periods = [period for period in care_periods(child) if period.start <= day]
        if not periods:
            continue
        if periods[-1].end > day:
            requirements.setdefault(child_id, set()).add("CLA")
        elif former_relevant(child, periods) and 16 <= _age(child.dob, day) <= 21:
            requirements.setdefault(child_id, set()).add("PATHWAY")
    visits: Counter[str] = Counter()
    for child_id, kinds in requirements.items():
        governing = next(kind for kind in _GOVERNING if kind in kinds)
        visits[service(child_id, _OWNER[governing])] += 1
    return ServiceCounts(assessments, visits, cp_plans)
