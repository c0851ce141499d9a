"""CP and CLA reviews with their due dates (ssd_cp_reviews, ssd_cla_reviews; input contract §2.3, §2.4).

The held dates are the truth's: a CP plan's CPPreviewDate list (synth.cin.episodes: the first review conference is
due 3 months after the plan starts, each later one 6 months after the previous) and a child's 903 Reviews
(synth.ssda903.reviews: 20 working days after entering care, then 3 months, then every 6 months). The due dates
follow the same rules from the previous review held. After the last review held, the next one is scheduled while
the plan or the period of care lasts: a delivery shows it with its due date and no review date.

Ids: CP review `<CP plan id>-RV<n>`, CLA review `<period of care id>-RV<n>`. Dates are ordinals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.calendar import anniversary
from synth.careers import weighted
from synth.cin.episodes import plus_months
from synth.cin.model import CINChild
from synth.population import Child
from synth.ssd.visits import period_id
from synth.ssda903.periods import add_calendar_months, add_working_days, care_periods
from synth.ssda903.reviews import PARTICIPATION, child_reviews

QUORATE_SHARE = 0.93


@dataclass(frozen=True, slots=True)
class Review:
    review_id: str
    child_id: str
    plan_id: str  # the CP plan id, or the period-of-care id
    scheduled: int  # the day the review is known to be due: the plan or period start, or the previous review
    due: int
    held: int | None  # None: never held (the plan or the period ended first, or is still open)
    until: int | None  # an unheld review is dropped when the plan or the period ends (None: still open)
    participation: str  # PN0-PN7 ("" when never held)
    quorate: bool
    continues: bool  # CP: the plan continues after the review


def _participation(rng: random.Random, dob: int, day: int) -> str:
    return "PN0" if day < anniversary(dob, 4) else weighted(rng, PARTICIPATION)


def cp_reviews(cin: list[CINChild], seed: int, la_code: str, horizon: int) -> list[Review]:
    """Every CP review conference, held or scheduled, by child, plan and date."""
    found: list[Review] = []
    for child in cin:
        if not any(referral.cp_plans for referral in child.referrals):
            continue
        rng = random.Random(f"{seed}|{la_code}|ssd-cp-reviews|{child.child_id}")
        for referral in child.referrals:
            for plan in referral.cp_plans:
                if plan.start > horizon:
                    continue
                previous, number = plan.start, 0
                for number, held in enumerate(plan.reviews, start=1):
                    due = plus_months(previous, 3 if number == 1 else 6)
                    found.append(Review(
                        f"{plan.cpp_id}-RV{number}", child.child_id, plan.cpp_id, previous, due, held, None,
                        _participation(rng, child.dob, held), rng.random() < QUORATE_SHARE, plan.end != held,
                    ))  # fmt: skip
                    previous = held
                if plan.end is None or plan.end > previous:
                    due = plus_months(previous, 3 if number == 0 else 6)
                    found.append(Review(f"{plan.cpp_id}-RV{number + 1}", child.child_id, plan.cpp_id, previous, due,
                                        None, plan.end, "", False, True))  # fmt: skip
    return found


def cla_reviews(children: list[Child], seed: int, la_code: str) -> list[Review]:
    """Every CLA review of every period of care, held (the 903 Reviews) or scheduled, by child and date."""
    found: list[Review] = []
    for child in children:
        held = child_reviews(child, seed, la_code)
        for number, period in enumerate(care_periods(child), start=1):
            key = period_id(child.child_id, number)
            mine = [(day, code) for day, code in held if period.start <= day < period.end]
            previous, due = period.start, add_working_days(period.start, 20)
            for count, (day, code) in enumerate(mine, start=1):
                found.append(Review(f"{key}-RV{count}", child.child_id, key, previous, due, day, None, code, True,
                                    True))  # fmt: skip
                previous, due = day, add_calendar_months(day, 3 if count == 1 else 6)
            found.append(Review(f"{key}-RV{len(mine) + 1}", child.child_id, key, previous, due, None, period.end, "",
                                False, True))  # fmt: skip
    return found
