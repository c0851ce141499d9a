"""CLA reviews: the first within 20 working days of entry, the second within 3 months of it, then every 6 months
while the child stays looked after; most are on time, a few late (Care Planning Regulations 2010, reg. 33).

REVIEW_CODE is PN0 while the child is under 4 on the review day, otherwise how the child took part (PN1-PN7).
"""

from __future__ import annotations

from synth.calendar import anniversary
from synth.careers import weighted
from synth.population import Child
from synth.ssda903.periods import (
    Period,
    add_calendar_months,
    add_working_days,
    care_periods,
    child_rng,
    weekday_on_or_after,
    weekday_on_or_before,
)

# Share of reviews held after their due date, and how late (days) they are then: about 5 % late overall, so b17
# lands near the catalogue's 95 % (§5.1 band 92-97 %).
LATE_SHARE = {"first": 0.07, "second": 0.05, "later": 0.04}
_LATE_DAYS = {"first": (1, 30), "second": (1, 45), "later": (1, 60)}
# Reviews held early: up to this many days before the due date.
_EARLY_DAYS = {"first": 14, "second": 30, "later": 45}
PARTICIPATION: dict[str, float] = {
    "PN1": 44.0,
    "PN2": 8.0,
    "PN3": 6.0,
    "PN4": 5.0,
    "PN5": 9.0,
    "PN6": 17.0,
    "PN7": 3.0,  # did not take part: 3 of 92 (3.3 %), so b18 is near the catalogue's 98 % (§5.1 band 95-100 %)
}


def child_reviews(child: Child, seed: int, la_code: str, periods: list[Period] | None = None) -> list[tuple[int, str]]:
    """Every (review day, REVIEW_CODE) of the child's life in care, in date order."""
    rng = child_rng(seed, la_code, "reviews", child.child_id)
    fourth_birthday = anniversary(child.dob, 4)
    reviews: list[tuple[int, str]] = []
    for period in care_periods(child) if periods is None else periods:
        due, kind = add_working_days(period.start, 20), "first"
        while True:
            if rng.random() < LATE_SHARE[kind]:
                held = weekday_on_or_after(due + rng.randint(*_LATE_DAYS[kind]))
            else:
                earliest = max(period.start + 1, due - _EARLY_DAYS[kind])
                held = weekday_on_or_before(rng.randint(earliest, due))
                if held <= period.start:
                    held = due
            if held >= period.end:
                break
            code = "PN0" if held < fourth_birthday else weighted(rng, PARTICIPATION)
            reviews.append((held, code))
            due, kind = (
                (add_calendar_months(held, 3), "second") if kind == "first" else (add_calendar_months(held, 6), "later")
            )
    return reviews
