"""The casework truth shared by the SSD and local exports of one organisation: case segments, allocations,
visits and early-help episodes over the whole span up to `as_of`, built once and cut per delivery.

Ids (stable for the same seed and LA, and the same in every delivery):
* person: the 903 `CHILD` / CIN `LAchildID`; worker: the workforce `worker_id`; team: the workforce `team_id`;
* referral (`*_referral_id`, `cine_referral_id`): the CIN truth's referral id, `<child>-R<n>` (the child id and
  the serial of the record in that child's history), so the same CIN episode has one id everywhere;
* involvement `<child>-I<n>`; CP plan `<child>-P<n>`; visits `<plan, assessment or child>-V<n>` (CLA `-CV<n>`);
  period of care `<child>-LA<n>`; placement `<child>-PL<n>`; ICPC `<S47 id>-ICPC`; early help `<contact or
  referral id>-EH`; health check `<child>-H<n>`; missing `<child>-M<n>`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from synth.careers import weighted
from synth.cin.calendar import add_working_days
from synth.cin.episodes import lognormal
from synth.cin.model import CINChild
from synth.population import Child
from synth.ssd.allocation import Holders, Involvement, allocate
from synth.ssd.casework import Segment, case_segments
from synth.ssd.in_post import InPost
from synth.ssd.visits import Visit, VisitParams, cin_child_visits, cla_child_visits
from synth.workforce.staffing import Spell, Workforce

EH_END_REASONS = {"OUTCOMES_MET": 55.0, "STEP_UP": 12.0, "DISENGAGED": 15.0, "NFA": 8.0, "MOVED": 5.0, "OTHER": 5.0}


@dataclass(slots=True)
class EarlyHelp:
    episode_id: str
    child_id: str
    start: int
    end: int  # true end (may be after as_at)
    end_reason: str
    team_name: str
    worker_id: str
    assessed: int | None
    plan_start: int | None


@dataclass
class Casework:
    la_code: str
    seed: int
    as_of: date
    horizon: int
    children: dict[str, Child]
    cin: list[CINChild]
    workforce: Workforce
    segments: list[Segment]
    involvements: list[Involvement]
    holders: Holders
    visits: list[Visit]
    early_help: list[EarlyHelp]
    spells_by_team: dict[str, list[Spell]] = field(default_factory=dict)
    # Delivery-independent intermediates the cuts derive from the truth, built by the first cut that needs them.
    derived: dict[str, object] = field(default_factory=dict)
    visit_params: VisitParams = field(default_factory=VisitParams)


def _early_help(cin: list[CINChild], workforce: Workforce, seed: int, la_code: str, horizon: int) -> list[EarlyHelp]:
    """An early-help episode after each contact passed to early help and each closure to early help (RC9)."""
    eh_teams = [team for team in workforce.teams if team.service == "EH"]
    workers: dict[str, list[Spell]] = {}
    for spell in workforce.spells:
        if spell.service == "EH" and spell.job_family == "FSW":
            workers.setdefault(spell.team_id, []).append(spell)
    in_post = {team_id: InPost(spells) for team_id, spells in workers.items()}
    nobody = InPost(())
    episodes: list[EarlyHelp] = []
    for child in cin:
        rng = random.Random(f"{seed}|{la_code}|ssd-early-help|{child.child_id}")
        starts = [(c.contact_id, c.decided) for c in child.contacts if c.outcome == "EARLY_HELP"]
        starts += [(r.referral_id, r.closure) for r in child.referrals if r.closure_reason == "RC9" and r.closure]
        for source_id, day in sorted(starts, key=lambda item: item[1]):
            start = day + rng.randint(1, 10)
            if start > horizon or (episodes and episodes[-1].child_id == child.child_id and episodes[-1].end >= start):
                continue
            team = eh_teams[rng.randrange(len(eh_teams))]
            active = in_post.get(team.team_id, nobody).on(start)
            worker = active[rng.randrange(len(active))].worker_id if active else ""
            end = start + lognormal(rng, 130, 0.6, 21)
            assessed = add_working_days(start, rng.randint(3, 25)) if rng.random() < 0.85 else None
            plan = assessed + rng.randint(0, 10) if assessed is not None and rng.random() < 0.8 else None
            episodes.append(
                EarlyHelp(f"{source_id}-EH", child.child_id, start, end, weighted(rng, EH_END_REASONS), team.name,
                          worker, assessed if assessed and assessed < end else None,
                          plan if plan and plan < end else None)
            )  # fmt: skip
    return episodes


_CACHE: dict[tuple, Casework] = {}


def build_casework(
    la_code: str,
    as_of: date,
    seed: int,
    children: list[Child],
    workforce: Workforce,
    cin_children: list[CINChild],
    visit_params: VisitParams | None = None,
) -> Casework:
    """The casework truth up to `as_of` (cached per inputs: the SSD and local writers share one build)."""
    visit_params = visit_params or VisitParams()
    key = (la_code, as_of, seed, id(children), id(workforce), id(cin_children), visit_params)
    if key in _CACHE:
        return _CACHE[key]
    horizon = as_of.toordinal()
    by_id = {child.child_id: child for child in children}
    segments = [
        segment
        for cin_child in cin_children
        for segment in case_segments(cin_child, by_id.get(cin_child.child_id), horizon, workforce.start)
    ]
    involvements = allocate(segments, workforce, seed, la_code, horizon)
    visits: list[Visit] = []
    for cin_child in cin_children:
        visits += cin_child_visits(cin_child, horizon, visit_params, seed, la_code)
        child = by_id.get(cin_child.child_id)
        if child is not None:
            visits += cla_child_visits(child, cin_child, horizon, visit_params, seed, la_code)
    spells_by_team: dict[str, list[Spell]] = {}
    for spell in workforce.spells:
        spells_by_team.setdefault(spell.team_id, []).append(spell)
    casework = Casework(
        la_code, seed, as_of, horizon, by_id, cin_children, workforce, segments, involvements, Holders(involvements),
        visits, _early_help(cin_children, workforce, seed, la_code, horizon), spells_by_team,
        visit_params=visit_params,
    )  # fmt: skip
    _CACHE.clear()
    _CACHE[key] = casework
    return casework
