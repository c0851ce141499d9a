"""CIN histories of the children of the 903 simulation: children looked after are children in need.

Each period of care is covered by a CIN episode opened by a referral before the child came into care: an
emergency (referral days before, often with a S47 enquiry that needs no conference), a child protection route
(assessment, S47, ICPC and a CP plan that ends the day the child becomes looked after) or a CIN plan route. The
episode stays open while the child is looked after and closes when care ends, with the ReasonForClosure the 903
reason implies (adoption RC1, SGO RC4, CAO RC3...); a child who goes home stays on a CIN plan for a few months, and
if they come back into care while it is open, the same episode covers the next period. Disabled children on short
breaks only (LS V3/V4) have an episode with a long CIN plan around their breaks.
"""

from __future__ import annotations

import random

from synth.careers import weighted
from synth.cin.calendar import add_working_days
from synth.cin.codes import CLOSURE_FOR_REC, DISABILITY_WEIGHTS, RETURNED_HOME
from synth.cin.episodes import Life, lognormal, referral_day, standard_episode
from synth.cin.model import CINChild, Referral
from synth.cin.params import CINParams
from synth.population import Child

SHORT_BREAK = frozenset({"V3", "V4"})
# A period of care: (first DECOM, last DEC, REC of the last episode, LS and CIN of the first episode).
Period = tuple[int, int, str, str, str]
# The need of a re-referral that changes it, and who refers a disabled child for short breaks.
_REREFERRAL_NEEDS = {"N1": 5.0, "N4": 1.0, "N5": 2.0, "N6": 1.0, "N8": 1.0}
_SHORT_BREAK_SOURCES = {"3F": 3.0, "2A": 3.0, "1A": 2.0, "5B": 2.0}


def periods_of_care(child: Child) -> list[Period]:
    """The child's periods of care (excluding short breaks): consecutive episodes joined."""
    periods: list[Period] = []
    for episode in child.episodes:
        if episode.ls in SHORT_BREAK:
            continue
        if periods and episode.decom == periods[-1][1]:
            start, _, _, ls, cin = periods[-1]
            periods[-1] = (start, episode.dec, episode.rec, ls, cin)
        else:
            periods.append((episode.decom, episode.dec, episode.rec, episode.ls, episode.cin))
    return periods


def disabilities(rng: random.Random, need: str) -> tuple[str, ...]:
    """Recorded disabilities: one to three for children in need because of their disability, NONE for most."""
    if need == "N2" or rng.random() < 0.04:
        count = 1 if rng.random() < 0.55 else rng.choice((2, 2, 3))
        return tuple(sorted({weighted(rng, DISABILITY_WEIGHTS) for _ in range(count)}))
    return ("NONE",) if rng.random() < 0.88 else ()


def rereferrals(life: Life, closure: int, need: str, horizon: int) -> None:
    """Further episodes after `closure`, each with probability `rereferral_probability`, until `horizon`."""
    rng, params = life.rng, life.params
    while True:
        quantile = life.stratified("rereferral")
        if (rng.random() if quantile is None else quantile) >= params.rereferral_probability:
            return
        day = closure + lognormal(rng, params.rereferral_gap_median, 1.0)
        if day > horizon or day > life.last_day - 120:
            return
        day = referral_day(rng, day)
        life.contacts_before(day, closure)
        if rng.random() < 0.3:
            need = weighted(rng, _REREFERRAL_NEEDS)
        closure = standard_episode(life, day, need).closure


def _pre_care(life: Life, start: int, ls: str, need: str, after: int) -> Referral:
    """The referral (and what followed it) that brought the child into care on `start`."""
    rng = life.rng
    floor = max(after + 1, life.earliest)
    if ls in ("L1", "L2", "J1") or rng.random() < 0.25:
        kind, lag = "emergency", rng.randint(0, 10)
    elif (ls in ("C1", "E1") and rng.random() < 0.6) or rng.random() < 0.2:
        kind, lag = "cpp", rng.randint(100, 500)
    else:
        kind, lag = "cin", rng.randint(40, 320)
    day = min(referral_day(rng, max(floor, start - lag)), start)
    if kind != "emergency" and start - day < 40:
        kind = "emergency"
    if kind != "emergency":
        life.contacts_before(day, after)
    referral = life.referral(day, need, "6" if ls == "J1" else None)
    assessment = life.assessment(referral, add_working_days(day, rng.choice((0, 0, 1, 2))))
    if kind == "emergency":
        if ls != "J1" and rng.random() < 0.55:
            s47 = life.section47(referral, add_working_days(day, 0), icpc=False)  # accommodated: no ICPC needed
            life.assessment_covers(assessment, s47)
    elif kind == "cpp":
        s47 = life.section47(referral, add_working_days(assessment.start, rng.randint(0, 6)), icpc=True)
        life.assessment_covers(assessment, s47)
        if s47.icpc is not None and s47.icpc < start - 7:
            life.cp_plan(referral, s47.icpc, forced_end=start)
    elif assessment.authorised < start - 14:
        life.cin_plan(referral, assessment.authorised, start)
    return referral


def looked_after_history(rng: random.Random, params: CINParams, child: Child, horizon: int) -> CINChild:
    """The CIN history of a child of the 903 simulation (looked after, or on short breaks only)."""
    periods = periods_of_care(child)
    if not periods:
        return _short_break_history(rng, params, child, horizon)
    need = periods[0][4]
    cin_child = CINChild(
        child.child_id, child.sex, child.dob, child.ethnic, child.upn, disabilities(rng, need), looked_after=True
    )
    cin_child.school_upn = getattr(child, "school_upn", "")
    life = Life(rng, params, cin_child)
    after = life.earliest - 1
    # Some children were known years before they came into care: an earlier episode, kept only if it closed
    # well before the referral that led to care (drawn first so that the two never overlap).
    if rng.random() < 0.35:
        day = referral_day(rng, periods[0][0] - rng.randint(400, 1800))
        if day > life.earliest + 30:
            referrals, contacts, plans = len(cin_child.referrals), len(cin_child.contacts), life.cp_plans
            life.contacts_before(day, after)
            closure = standard_episode(life, day, need).closure
            if closure < periods[0][0] - 60:
                after = closure
            else:
                del cin_child.referrals[referrals:], cin_child.contacts[contacts:]
                life.cp_plans = plans
    referral: Referral | None = None
    for index, (start, end, rec, ls, cin) in enumerate(periods):
        if referral is None:
            referral = _pre_care(life, start, ls, cin, after)
        following = periods[index + 1][0] if index + 1 < len(periods) else None
        reason = CLOSURE_FOR_REC.get(rec)
        if rec == "E2":
            cin_child.death = end
        if reason is not None:
            life.close(referral, end, reason)
        elif rec in RETURNED_HOME and end < life.last_day - 60:
            plan_end = end + lognormal(rng, 180, 0.6, 30)
            if following is not None and following <= plan_end + 60:
                life.cin_plan(referral, end, following)  # back into care while the CIN plan is open
                continue
            life.cin_plan(referral, end, plan_end)
            life.close(referral, plan_end + rng.randint(0, 14), "RC7")
        else:
            at_18 = end >= life.last_day
            reason = "RC6" if at_18 and (need == "N2" or rng.random() < 0.05) else "RC7"
            life.close(referral, end if at_18 else end + rng.randint(0, 20), reason)
        life.set_factors(referral)
        after, referral = referral.closure, None
    if cin_child.death is None and cin_child.referrals[-1].closure_reason not in ("RC1", "RC4", "RC3"):
        rereferrals(life, after, need, horizon)
    return cin_child


def _short_break_history(rng: random.Random, params: CINParams, child: Child, horizon: int) -> CINChild:
    """A disabled child on short breaks: assessed before the first break, then on a CIN plan around them."""
    cin_child = CINChild(
        child.child_id, child.sex, child.dob, child.ethnic, child.upn, disabilities(rng, "N2"), short_breaks=True
    )
    cin_child.school_upn = getattr(child, "school_upn", "")
    life = Life(rng, params, cin_child)
    first, last = child.episodes[0].decom, child.episodes[-1].dec
    day = referral_day(rng, max(life.earliest, first - rng.randint(60, 300)))
    source = weighted(rng, _SHORT_BREAK_SOURCES)
    referral = life.referral(day, "N2", source)
    assessment = life.assessment(referral, add_working_days(day, rng.randint(0, 5)))
    plan = life.cin_plan(referral, assessment.authorised, max(last + rng.randint(90, 720), assessment.authorised + 30))
    at_18 = plan.end is not None and plan.end >= life.last_day
    life.close(referral, (plan.end or day) + (0 if at_18 else rng.randint(0, 14)), "RC6" if at_18 else "RC7")
    life.set_factors(referral)
    return cin_child
