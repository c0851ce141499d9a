"""The building blocks of a child's CIN history: contacts, referrals, assessments, S47 enquiries, CP and CIN plans,
and the standard course of an episode from referral to closure.

A `Life` numbers the records of one child and keeps the facts later records depend on (CP plans so far, the last
day before the 18th birthday). Every draw comes from the child's own RNG, so one child's history never moves
another's.
"""

from __future__ import annotations

import math
import random
from datetime import date
from functools import lru_cache

from synth.calendar import anniversary, collection_year, collection_year_bounds
from synth.careers import weighted
from synth.cin.calendar import add_working_days, next_working_day
from synth.cin.codes import (
    CATEGORY_WEIGHTS,
    FACTOR_24A_FIRST_DAY,
    FACTOR_RATES,
    NO_FACTORS,
    RC9_FIRST_DAY,
    REFERRAL_SOURCE_WEIGHTS,
    SOURCE_5D_FIRST_DAY,
)
from synth.cin.model import Assessment, CINChild, CINPlan, Contact, CPPlan, Referral, Section47
from synth.cin.params import CINParams

_CONTACT_OUTCOMES = {"NFA": 0.45, "INFORMATION": 0.25, "EARLY_HELP": 0.30}
_FACTOR_ITEMS = tuple(FACTOR_RATES.items())


def plus_months(day: int, months: int) -> int:
    """The same day of the month `months` calendar months later, clamped to the month's last day."""
    start = date.fromordinal(day)
    index = start.year * 12 + start.month - 1 + months
    year, month = index // 12, index % 12 + 1
    for last in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, last)).toordinal()
        except ValueError:
            continue
    raise AssertionError("unreachable")


@lru_cache(maxsize=1 << 14)
def _collection_year_end(day: int) -> int:
    """31 March ending the collection year of `day` (an ordinal)."""
    return collection_year_bounds(collection_year(date.fromordinal(day)))[1].toordinal()


def lognormal(rng: random.Random, median: float, sigma: float, minimum: int = 1) -> int:
    return max(minimum, round(median * math.exp(rng.gauss(0.0, sigma))))


def poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


class Life:
    """One child's CIN history under construction: appends records in date order and numbers them."""

    def __init__(self, rng: random.Random, params: CINParams, child: CINChild) -> None:
        self.rng, self.params, self.child = rng, params, child
        self.last_day = anniversary(child.dob, 18) - 1  # nothing happens on or after the 18th birthday
        self.earliest = child.dob - 270  # a referral may come up to ~9 months before birth (8606: 40 weeks)
        self.cp_plans = 0
        self._serial = 0
        # Stratified quantiles (synth.cin.journeys) of the routes of the first assessed episodes, the lengths of
        # the first CP plans and the first re-referral decisions, in order of use. Each serves once (independent
        # dimensions, so a child's episodes stay independent of each other); once used up, draws come from the RNG.
        self.quantiles: dict[str, list[float]] = {}

    def stratified(self, kind: str) -> float | None:
        """The next stratified quantile of `kind` ("route", "cpp_length", "rereferral"), or None."""
        queue = self.quantiles.get(kind)
        return queue.pop(0) if queue else None

    def _id(self, kind: str) -> str:
        self._serial += 1
        return f"{self.child.child_id}-{kind}{self._serial}"

    # The front door ----------------------------------------------------------------------------------------
    def _decided(self, received: int) -> int:
        rng = self.rng
        if rng.random() < self.params.contact_decided_1wd_share:
            return add_working_days(received, rng.choice((0, 0, 1)))
        return add_working_days(received, rng.randint(2, 6))

    def source(self, day: int) -> str:
        code = weighted(self.rng, REFERRAL_SOURCE_WEIGHTS)
        return "5B" if code == "5D" and day < SOURCE_5D_FIRST_DAY else code

    def contacts_before(self, day: int, after: int) -> None:
        """Contacts in the year before `day` (and after `after`) that did not become referrals."""
        first = max(after + 1, day - 365, self.earliest)
        if first >= day:
            return
        rng, contacts = self.rng, self.child.contacts
        count = poisson(rng, self.params.extra_contacts_per_referral)
        for received in sorted([rng.randint(first, day - 1) for _ in range(count)]):
            outcome = weighted(rng, _CONTACT_OUTCOMES)
            contacts.append(
                Contact(self._id("K"), received, self._decided(received), self.source(received), False, outcome)
            )

    def referral(self, day: int, need: str, source: str | None = None, nfa: bool = False) -> Referral:
        """A referral on `day` (its contact is received the same day), closure still to be decided."""
        source = source or self.source(day)
        self.child.contacts.append(Contact(self._id("K"), day, self._decided(day), source, True, "REFERRAL"))
        referral = Referral(self._id("R"), day, source, "" if nfa else need, nfa, 0, "")
        self.child.referrals.append(referral)
        return referral

    # Modules --------------------------------------------------------------------------------------------------
    def assessment(self, referral: Referral, start: int) -> Assessment:
        """A single assessment authorised within 45 working days, or late (46-120); factors are set at closure."""
        rng = self.rng
        if rng.random() < self.params.assessment_in_time_share:
            days = min(45, max(5, round(rng.triangular(5, 48, 38))))
        else:
            days = 45 + min(75, lognormal(rng, 10, 0.8))
        authorised = min(add_working_days(start, days), max(start, self.last_day))
        assessment = Assessment(self._id("A"), start, authorised, ())
        referral.assessments.append(assessment)
        return assessment

    def factors(self, day: int, closed_without_plan: bool) -> tuple[str, ...]:
        random = self.rng.random
        found = [code for code, rate in _FACTOR_ITEMS if random() < rate]
        found = [code for code in found if code != "24A" or day >= FACTOR_24A_FIRST_DAY]
        if not found:
            # "21 no factors" only when the case closes after the assessment (rule 8873Q); otherwise "20 other".
            found = [NO_FACTORS if closed_without_plan else "20"]
        return tuple(found)

    def section47(self, referral: Referral, start: int, icpc: bool) -> Section47:
        rng, params = self.rng, self.params
        target = add_working_days(start, 15)
        if icpc:
            days = rng.randint(4, 15) if rng.random() < params.icpc_in_time_share else rng.randint(16, 35)
            conference = add_working_days(start, days)
            s47 = Section47(self._id("S"), start, target, conference, conference)
        else:
            s47 = Section47(self._id("S"), start, target, None, add_working_days(start, rng.randint(2, 12)))
        referral.section47s.append(s47)
        return s47

    def _review(self, due: int, after: int) -> int:
        """The day a review conference due on `due` is held: on time (up to a week early) or 1-15 days late."""
        rng = self.rng
        if rng.random() < self.params.cpp_review_on_time_share:
            held = add_working_days(due - rng.randint(0, 6), 0)
            held = held if held <= due else add_working_days(due, -1)
        else:
            held = add_working_days(due, rng.randint(1, 15))
        return max(held, add_working_days(after, 1))

    def assessment_covers(self, assessment: Assessment, s47: Section47) -> None:
        """A S47 enquiry runs inside the assessment: the assessment is authorised once the enquiry has concluded."""
        if assessment.authorised < s47.concluded:
            done = add_working_days(s47.concluded, self.rng.randint(0, 3))
            assessment.authorised = min(done, max(s47.concluded, self.last_day))

    def cp_plan(self, referral: Referral, start: int, forced_end: int | None = None) -> CPPlan:
        """A CP plan from its ICPC on `start`; it ends at a review conference, or on `forced_end` (the child
        becomes looked after) with the reviews held before then."""
        rng, params = self.rng, self.params
        category = weighted(rng, CATEGORY_WEIGHTS)
        latest = category if rng.random() < 0.85 else weighted(rng, CATEGORY_WEIGHTS)
        reviews: list[int] = []
        weights = params.cpp_end_review_weights
        quantile = self.stratified("cpp_length")
        if quantile is None:
            count = 1 + rng.choices(range(len(weights)), weights)[0]
        else:
            count, cumulative, target = 0, 0.0, quantile * sum(weights)
            while count < len(weights) - 1 and cumulative + weights[count] <= target:
                cumulative += weights[count]
                count += 1
            count += 1
        held = start
        for number in range(count):
            held = self._review(plus_months(start if number == 0 else held, 3 if number == 0 else 6), held)
            reviews.append(held)
        end = reviews[-1]
        if forced_end is not None:
            end = forced_end
            reviews = [day for day in reviews if day < forced_end]
        if end > self.last_day:
            end = max(self.last_day, start + 1)
            reviews = [day for day in reviews if day < end]
        plan = CPPlan(self._id("P"), start, end, category, latest, self.cp_plans, reviews)
        self.cp_plans += 1
        referral.cp_plans.append(plan)
        return plan

    def cin_plan(self, referral: Referral, start: int, end: int) -> CINPlan:
        plan = CINPlan(self._id("N"), start, max(start + 1, min(end, self.last_day)))
        referral.cin_plans.append(plan)
        return plan

    # Closure ----------------------------------------------------------------------------------------------
    def close(self, referral: Referral, day: int, reason: str) -> None:
        """Close on `day`, never before any module has finished and never on or after the 18th birthday."""
        latest = max(day, referral.date)
        for assessment in referral.assessments:
            latest = max(latest, assessment.authorised)
        for s47 in referral.section47s:
            latest = max(latest, s47.concluded)
        for cp_plan in referral.cp_plans:
            latest = max(latest, cp_plan.end)  # type: ignore[type-var]  # a CP plan always has its end here
        for cin_plan in referral.cin_plans:
            if cin_plan.end is not None:
                latest = max(latest, cin_plan.end)
        referral.closure = min(latest, max(self.last_day, referral.date))
        if reason == "RC9" and referral.closure < RC9_FIRST_DAY:
            reason = "RC8"
        referral.closure_reason = reason

    def set_factors(self, referral: Referral) -> None:
        closed_without_plan = referral.closure_reason in ("RC8", "RC9")
        for assessment in referral.assessments:
            assessment.factors = self.factors(assessment.start, closed_without_plan)


def standard_episode(life: Life, day: int, need: str, source: str | None = None) -> Referral:
    """A referral on `day` followed through: NFA, or an assessment (with a S47 enquiry for some), then closure
    after the assessment, or a CIN plan, or an ICPC and a CP plan, until the case closes."""
    rng, params = life.rng, life.params
    if rng.random() < params.referral_nfa_share:
        referral = life.referral(day, need, source, nfa=True)
        life.close(referral, day, "RC7")
        return referral
    referral = life.referral(day, need, source)
    assessment = life.assessment(referral, add_working_days(day, rng.choice((0, 0, 0, 1, 1, 2, 3))))
    plan: tuple[str, int] | None = None
    s47, icpc, cpp, cin_plan = _route(life)
    if s47:
        s47_start = add_working_days(assessment.start, rng.randint(0, 6))
        enquiry = life.section47(referral, s47_start, icpc)
        life.assessment_covers(assessment, enquiry)
        if enquiry.icpc is not None:
            plan = ("cpp" if cpp else "cin", enquiry.icpc)
        elif rng.random() < params.cin_plan_after_s47_share:
            plan = ("cin", max(_plan_agreed(life, assessment), enquiry.concluded))
    elif cin_plan:
        plan = ("cin", _plan_agreed(life, assessment))
    if plan is None:
        # RC8/RC9 mean "closed after assessment": not after a S47 enquiry (rule 2990), which closes RC7. Such cases
        # are closed by the end of the collection year of the assessment, so the census shows both (rule 8825Q).
        reason = "RC9" if rng.random() < params.early_help_share else "RC8"
        closure = assessment.authorised + lognormal(rng, params.closure_lag_median, 1.0, 0)
        year_end = _collection_year_end(assessment.authorised)
        life.close(referral, min(closure, year_end), "RC7" if referral.section47s else reason)
    else:
        follow_plans(life, referral, *plan)
    life.set_factors(referral)
    return referral


def _plan_agreed(life: Life, assessment: Assessment) -> int:
    """The day a CIN plan follows an assessment: its authorisation, or for most a few working days before it (the
    plan is agreed, then the manager signs the assessment off), never in its first 5 working days."""
    rng, params = life.rng, life.params
    if rng.random() >= params.cin_plan_before_authorisation_share:
        return assessment.authorised
    low, high = params.cin_plan_before_authorisation_wd
    agreed = add_working_days(assessment.authorised, -rng.randint(low, high))
    return max(agreed, min(assessment.authorised, add_working_days(assessment.start, 5)))


def _route(life: Life) -> tuple[bool, bool, bool, bool]:
    """(S47 enquiry, ICPC, CP plan, CIN plan without S47) of an assessed referral: drawn, or read off the child's
    stratified route quantile by nested thresholds (which keeps every conditional share of the parameters)."""
    rng, params = life.rng, life.params
    quantile = life.stratified("route")
    if quantile is None:
        s47 = rng.random() < params.s47_share
        icpc = s47 and rng.random() < params.icpc_share
        cpp = icpc and rng.random() < params.cpp_share
        return s47, icpc, cpp, not s47 and rng.random() < params.cin_plan_share
    s47_share = params.s47_share
    icpc_share = s47_share * params.icpc_share
    if quantile < s47_share:
        return True, quantile < icpc_share, quantile < icpc_share * params.cpp_share, False
    return False, False, False, (quantile - s47_share) / (1.0 - s47_share) < params.cin_plan_share


def follow_plans(life: Life, referral: Referral, kind: str, start: int) -> None:
    """CP and CIN plans one after another (step-down, escalation) until the episode closes."""
    rng, params = life.rng, life.params
    while True:
        if start >= life.last_day:
            life.close(referral, life.last_day, "RC7")
            return
        if kind == "cpp":
            plan = life.cp_plan(referral, start)
            if plan.end >= life.last_day or rng.random() >= params.cpp_step_down_share:
                life.close(referral, plan.end + rng.randint(0, 30), "RC7")
                return
            kind, start = "cin", plan.end
            continue
        end = start + lognormal(rng, params.cin_plan_median, params.cin_plan_sigma, 30)
        earliest = max(start + 10, *(a.authorised + 1 for a in referral.assessments))
        if rng.random() < params.cin_plan_escalation_share and end - 25 > earliest and end < life.last_day - 90:
            # Escalation: a S47 enquiry during the CIN plan, with a new assessment (after the last one), then an
            # ICPC; the CIN plan ends as the CP plan starts.
            s47_start = add_working_days(rng.randint(earliest, end - 25), 0)
            s47 = life.section47(referral, s47_start, True)
            life.assessment_covers(life.assessment(referral, s47_start), s47)
            life.cin_plan(referral, start, s47.icpc)
            kind, start = "cpp", s47.icpc
            continue
        plan = life.cin_plan(referral, start, end)
        life.close(referral, plan.end + rng.randint(0, 45), "RC7")
        return


def referral_day(rng: random.Random, day: int) -> int:
    """Most referrals arrive on a working day; police referrals and the odd other one come at weekends."""
    return next_working_day(day) if rng.random() < 0.92 else day
