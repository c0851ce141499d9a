"""Strategy discussions (local_strategy_discussions, input contract §3; kpi-catalogue b05v, p_strategy_wt_compliant).

Every S47 enquiry starts from a strategy discussion (outcome S47) held the same working day or up to 3 working days
before, never after and never before the referral; `ssd_s47_enquiry.local_strategy_id` names it. Some assessments
that end without an enquiry had one too (outcome NO_S47), a few working days into the assessment.

Attendance (Working Together 2018: police, health and children's social care; education where relevant) is drawn
per agency: social care nearly always, police mostly, health and education less often, so roughly two discussions
in three are compliant. Education is blank (not relevant) for a child under 4 on the day.

Ids: `<S47 id>-SD` and `<assessment id>-SD`. Dates are ordinals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.calendar import anniversary
from synth.cin.calendar import add_working_days
from synth.cin.model import CINChild, Section47

# Share of assessments without a S47 enquiry that had a strategy discussion deciding against one.
NO_S47_SHARE = 0.10
PRESENT = {"police": 0.92, "health": 0.74, "education": 0.60, "social_worker": 0.99}


@dataclass(frozen=True, slots=True)
class StrategyDiscussion:
    strategy_id: str
    child_id: str
    referral_id: str
    day: int
    police: bool
    health: bool
    education: bool | None  # None: not relevant (a child under 4)
    social_worker: bool
    outcome: str  # S47 or NO_S47


def strategy_id(s47: Section47) -> str:
    """The id of the discussion that started the enquiry (ssd_s47_enquiry.local_strategy_id)."""
    return f"{s47.s47_id}-SD"


def _discussion(rng: random.Random, key: str, child: CINChild, referral_id: str, day: int,
                outcome: str) -> StrategyDiscussion:  # fmt: skip
    police, health, education, social_worker = (rng.random() < share for share in PRESENT.values())
    relevant = day >= anniversary(child.dob, 4)
    return StrategyDiscussion(key, child.child_id, referral_id, day, police, health,
                              education if relevant else None, social_worker, outcome)  # fmt: skip


def strategy_discussions(cin: list[CINChild], seed: int, la_code: str) -> list[StrategyDiscussion]:
    """Every strategy discussion of the CIN truth, by child (truth order) then date."""
    found: list[StrategyDiscussion] = []
    for child in cin:
        if not any(referral.assessments or referral.section47s for referral in child.referrals):
            continue
        rng = random.Random(f"{seed}|{la_code}|strategy|{child.child_id}")
        mine: list[StrategyDiscussion] = []
        for referral in child.referrals:
            for s47 in referral.section47s:
                before = 0 if rng.random() < 0.6 else rng.randint(1, 3)
                day = max(referral.date, add_working_days(s47.start, -before))
                mine.append(_discussion(rng, strategy_id(s47), child, referral.referral_id, min(day, s47.start), "S47"))
            if referral.section47s:
                continue
            for assessment in referral.assessments:
                if rng.random() >= NO_S47_SHARE:
                    continue
                day = add_working_days(assessment.start, rng.randint(0, 5))
                if day < assessment.authorised:
                    key = f"{assessment.assessment_id}-SD"
                    mine.append(_discussion(rng, key, child, referral.referral_id, day, "NO_S47"))
        found += sorted(mine, key=lambda discussion: (discussion.day, discussion.strategy_id))
    return found
