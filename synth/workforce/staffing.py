"""Who fills each post, day by day: permanent and fixed-term employees, agency workers and vacancies.

Each post runs a small semi-Markov process with three states, permanent (P), vacant (V) and agency (A):
P ends when the employee leaves (exponential tenure, so the annual leaving hazard is the turnover rate) and the
post falls vacant; a vacancy is filled by a permanent recruit or by agency cover; agency cover ends with a
permanent recruit (sometimes the agency worker themselves: temp-to-perm), another agency worker or a vacancy.
The mean vacancy and agency durations are solved from the target steady-state shares (WorkforceParams), and the
process starts in its steady state, so every month of the span has the calibrated mix.

People are then given ids in start order: worker ids (the case system), HR person ids (employees only), SWE
numbers (qualified social workers), with returners and temp-to-perm workers keeping theirs.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field

from synth.workforce.establishment import JOB_FAMILIES, SERVICE_ROLL_UP, Post, Team
from synth.workforce.params import WorkforceParams

YEAR = 365.25
_LEAVE_REASONS = {
    "RESIGNATION": 0.72,
    "RETIREMENT": 0.06,
    "DISMISSAL": 0.06,
    "REDUNDANCY": 0.02,
    "DEATH": 0.005,
    "TUPE": 0.01,
    "OTHER": 0.125,
}
VOLUNTARY_REASONS = frozenset({"RESIGNATION", "RETIREMENT"})
AGENCIES = {
    "Social work agency A": 0.35,
    "Social work agency B": 0.25,
    "Social work agency C": 0.2,
    "Social work agency D": 0.12,
    "Social work agency E": 0.08,
}


@dataclass(slots=True)
class Spell:
    """One person's time in one post: an employment assignment (`kind` PERM or FTC) or an agency assignment
    (AGENCY). Dates are proleptic ordinals; `end` is the last day in the post, None while still in post at the
    simulation horizon. `worker_id` is the case-system id (SSD prof_professional_id) and stays with the person
    across returns and temp-to-perm; `person_id` (HR) is blank for agency workers who never become employees."""

    spell_id: str
    kind: str
    post_id: str
    team_id: str
    service: str
    cost_centre: str
    job_family: str
    start: int
    end: int | None
    fte: float
    case_holding: bool
    qualified_sw: bool
    worker_id: str = ""
    person_id: str = ""
    swe: str = ""  # Social Work England number, "SW9" + 5 digits; blank when not a qualified social worker
    employment_start: int = 0  # continuous-service start (employees)
    asye: bool = False
    asye_completion: int | None = None
    overseas: bool = False
    leave_reason: str = ""  # employees who left: hr_leaver.reason
    voluntary: bool = False
    exit_interview: bool = False
    agency_name: str = ""
    agency_worker_ref: str = ""
    charge_factor: float = 1.0  # agency: this worker's charge rate relative to the job family's
    converted_person_id: str = ""  # agency: the HR person id this worker later took as an employee
    converted_on: int | None = None
    from_agency: bool = False  # employee: took the post from their own agency assignment

    def active_on(self, day: int) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    @property
    def is_agency(self) -> bool:
        return self.kind == "AGENCY"

    def role_on(self, day: int) -> str:
        """The SSD local_role_code on `day` (ASYE during the assessed first year)."""
        if self.asye and self.job_family == "QSW" and day < self.start + 365:
            return "ASYE"
        if self.service == "EH" and self.job_family == "FSW":
            return "EHW"
        return JOB_FAMILIES[self.job_family][3]


def state_durations(perm_share: float, agency_share: float, params: WorkforceParams) -> tuple[float, float, float]:
    """Mean durations in years of (P, V, A) that give the steady-state shares with the given transition split."""
    vacancy_share = max(1e-6, 1.0 - perm_share - agency_share)
    r, s, u = params.vacancy_to_perm, params.agency_to_perm, params.agency_to_agency
    perm_mean = 1.0 / params.perm_turnover
    entries_p = perm_share / perm_mean
    entries_v = entries_p / (r + s * (1.0 - r) / (1.0 - u))
    entries_a = (1.0 - r) * entries_v / (1.0 - u)
    return perm_mean, vacancy_share / entries_v, max(1e-6, agency_share) / entries_a


def _days(years: float) -> int:
    return max(1, round(years * YEAR))


@dataclass(slots=True)
class _Group:
    """Posts that recruit from one market (frontline or not, within one service): current vacant and agency counts
    feed back on recruitment, so a short-staffed service recruits faster and an agency-heavy one hires permanent."""

    size: int
    perm_share: float
    agency_share: float
    durations: tuple[float, float, float]
    rng: random.Random
    vacant: int = 0
    agency: int = 0
    queue: deque[int] = field(default_factory=deque)  # vacant posts, longest vacant first
    version: int = 0  # invalidates a scheduled recruitment when the vacancy count changes

    def next_recruitment(self, day: int, params: WorkforceParams) -> int | None:
        """Draw the day the next vacancy is filled: a Poisson rate proportional to the vacant posts, raised when
        the group's vacancy share is above target (memoryless, so it is redrawn whenever the count changes)."""
        self.version += 1
        if not self.vacant:
            return None
        target = max(1.0 - self.perm_share - self.agency_share, 0.05)
        excess = self.vacant / self.size - target
        rate = self.vacant / (self.durations[1] * YEAR) * math.exp(params.staffing_feedback * excess / target)
        return day + max(1, round(self.rng.expovariate(rate)))


@dataclass(slots=True)
class _PostRun:
    post: Post
    rng: random.Random
    group: _Group
    index: int
    state: str = "V"
    handover: bool = False
    spells_out: list[Spell] = field(default_factory=list)


def _next_after_vacancy(run: _PostRun, params: WorkforceParams) -> str:
    group = run.group
    excess_agency = group.agency / group.size - group.agency_share
    to_perm = params.vacancy_to_perm * math.exp(
        params.staffing_feedback * excess_agency / max(group.agency_share, 0.05)
    )
    return "P" if run.rng.random() < min(0.98, to_perm) else "A"


def _start_state(run: _PostRun, day: int, first: bool, params: WorkforceParams, horizon: int) -> int | None:
    """Enter `run.state` on `day` (recording a spell for P and A); return the day the state ends (None for a
    vacancy: the group's recruitment decides when it is filled)."""
    rng, post, group = run.rng, run.post, run.group
    mean_p, _, mean_a = group.durations
    if run.state == "V":
        group.vacant += 1
        group.queue.append(run.index)
        return None
    fixed_term = run.state == "P" and not first and rng.random() < params.fixed_term_share
    if run.state == "P":
        kind, length = ("FTC", rng.randint(180, 540)) if fixed_term else ("PERM", _days(rng.expovariate(1.0 / mean_p)))
    else:
        kind, length = "AGENCY", _days(rng.expovariate(1.0 / mean_a))
        group.agency += 1
    # A spell in progress when the simulation starts began a memoryless (exponential) while earlier.
    begin = day - _days(rng.expovariate(1.0 / (mean_p if kind == "PERM" else mean_a))) if first else day
    end_excl = day + length
    spell = Spell(
        "", kind, post.post_id, post.team_id, "", post.cost_centre, post.job_family, begin,
        end_excl - 1 if end_excl <= horizon else None, 1.0, post.frontline_case_holding,
        JOB_FAMILIES[post.job_family][2],
    )  # fmt: skip
    spell.from_agency = run.handover and kind != "AGENCY" and rng.random() < params.temp_to_perm
    if kind == "AGENCY":
        spell.agency_name = rng.choices(list(AGENCIES), weights=list(AGENCIES.values()))[0]
        spell.charge_factor = round(rng.lognormvariate(0.0, 0.08), 3)
    else:
        spell.employment_start = begin
        if not post.frontline_case_holding and rng.random() < params.part_time_share:
            spell.fte = rng.choice((0.5, 0.6, 0.8))
        if spell.end is not None:
            if kind == "FTC":
                spell.leave_reason = "END_FTC"
            else:
                spell.leave_reason = rng.choices(list(_LEAVE_REASONS), weights=list(_LEAVE_REASONS.values()))[0]
            spell.voluntary = spell.leave_reason in VOLUNTARY_REASONS
            spell.exit_interview = spell.voluntary and rng.random() < 0.6
    run.spells_out.append(spell)
    return end_excl


def _end_state(run: _PostRun, params: WorkforceParams) -> None:
    """Leave `run.state` and choose the next state."""
    run.handover = False
    if run.state == "P":
        run.state = "V"
    else:
        group = run.group
        group.agency -= 1
        excess_agency = group.agency / group.size - group.agency_share
        to_agency = params.agency_to_agency * math.exp(
            -params.staffing_feedback * excess_agency / max(group.agency_share, 0.05)
        )
        to_agency = min(to_agency, 1.0 - params.agency_to_perm - 0.02)
        to_vacant = 1.0 - params.agency_to_perm - params.agency_to_agency
        pick = run.rng.random()
        if pick < to_agency:
            run.state = "A"
        elif pick < to_agency + to_vacant:
            run.state = "V"
        else:
            run.state, run.handover = "P", True


def _swe_number(la_code: str, serial: int) -> str:
    """A registration-shaped SWE number outside the range issued so far (SW9xxxxx), unique within the LA."""
    offset = int(hashlib.sha256(f"swe|{la_code}".encode()).hexdigest()[:8], 16) % 100_000
    return f"SW9{(serial * 7919 + offset) % 100_000:05d}"


def _assign_identities(rng: random.Random, la_code: str, spells: list[Spell], params: WorkforceParams) -> None:
    """Give every spell its ids, in start order; returners and temp-to-perm workers keep their earlier ids."""
    serials = {"worker": 0, "person": 0, "agency": 0, "swe": 0, "employee": 0, "assignment": 0}

    def nxt(name: str) -> int:
        serials[name] += 1
        return serials[name]

    previous_in_post: dict[str, Spell] = {}
    leavers: list[Spell] = []
    for spell in spells:
        before = previous_in_post.get(spell.post_id)
        previous_in_post[spell.post_id] = spell
        if spell.is_agency:
            spell.spell_id = f"AA{nxt('assignment'):06d}"
            spell.worker_id = f"W{nxt('worker'):06d}"
            spell.agency_worker_ref = f"AGW{nxt('agency'):06d}"
            spell.swe = _swe_number(la_code, nxt("swe")) if spell.qualified_sw else ""
            continue
        spell.spell_id = f"E{nxt('employee'):06d}"
        returner = None
        if not spell.from_agency and rng.random() < params.returner_share:
            candidates = [
                old
                for old in leavers
                if old.job_family == spell.job_family and spell.start - 730 <= old.end < spell.start - 30  # type: ignore[operator]
            ]
            if candidates:
                returner = rng.choice(candidates)
                leavers.remove(returner)
        if spell.from_agency and before is not None and before.is_agency:
            spell.worker_id, spell.swe = before.worker_id, before.swe
            spell.person_id = f"HR{nxt('person'):06d}"
            before.converted_person_id, before.converted_on = spell.person_id, spell.start
        elif returner is not None:
            spell.worker_id, spell.person_id, spell.swe = returner.worker_id, returner.person_id, returner.swe
        else:
            spell.from_agency = False
            spell.worker_id = f"W{nxt('worker'):06d}"
            spell.person_id = f"HR{nxt('person'):06d}"
            spell.swe = _swe_number(la_code, nxt("swe")) if spell.qualified_sw else ""
            spell.overseas = spell.qualified_sw and rng.random() < params.overseas_share
            if spell.job_family == "QSW" and rng.random() < params.asye_share:
                spell.asye = True
                completes = spell.start + 365
                spell.asye_completion = completes if spell.end is None or spell.end >= completes else None
        if spell.end is not None and spell.kind == "PERM" and spell.voluntary:
            leavers.append(spell)


@dataclass(slots=True)
class Workforce:
    """The simulated staff of one organisation from `start` to `horizon` (ordinals)."""

    la_code: str
    seed: int
    start: int
    horizon: int
    params: WorkforceParams
    teams: list[Team]
    posts: list[Post]
    spells: list[Spell]  # sorted by (start, post_id)
    absences: list  # list[synth.workforce.absence.Absence], sorted by (person_id, start)

    def team(self, team_id: str) -> Team:
        return next(team for team in self.teams if team.team_id == team_id)

    def active_on(self, day: int) -> list[Spell]:
        return [spell for spell in self.spells if spell.active_on(day)]


def simulate_staffing(
    seed: int, la_code: str, teams: list[Team], posts: list[Post], start: int, horizon: int, params: WorkforceParams
) -> list[Spell]:
    """Every employee and agency spell in every post from `start` to `horizon`, with ids, sorted by start.

    All posts advance together in time order (a heap of next events), because recruitment in a post depends on the
    vacancies and agency cover of its group at that moment."""
    service_of = {team.team_id: team.service for team in teams}
    groups: dict[tuple[bool, str], _Group] = {}
    for post in posts:
        key = (post.frontline_case_holding, SERVICE_ROLL_UP.get(service_of[post.team_id], service_of[post.team_id]))
        if key not in groups:
            shares = (
                (params.frontline_perm_share, params.frontline_agency_share)
                if post.frontline_case_holding
                else (params.other_perm_share, params.other_agency_share)
            )
            groups[key] = _Group(
                0, *shares, state_durations(*shares, params), random.Random(f"{seed}|{la_code}|recruit|{key}")
            )
        groups[key].size += 1
    runs: list[_PostRun] = []
    for index, post in enumerate(posts):
        service = service_of[post.team_id]
        group = groups[(post.frontline_case_holding, SERVICE_ROLL_UP.get(service, service))]
        run = _PostRun(post, random.Random(f"{seed}|{la_code}|post|{post.post_id}"), group, index)
        pick = run.rng.random()
        run.state = "P" if pick < group.perm_share else ("A" if pick < group.perm_share + group.agency_share else "V")
        runs.append(run)
    # Events: (day, order, kind, index, version); kind 0 = a post's spell ends, 1 = a group fills a vacancy.
    events: list[tuple[int, int, int, int, int]] = []
    group_list = list(groups.values())
    counter = 0

    def push(day: int | None, kind: int, index: int, version: int = 0) -> None:
        nonlocal counter
        if day is not None and day < horizon:
            counter += 1
            heapq.heappush(events, (day, counter, kind, index, version))

    def reschedule(group_index: int, day: int) -> None:
        group = group_list[group_index]
        when = group.next_recruitment(day, params)
        push(when, 1, group_index, group.version)

    group_index_of = {id(group): number for number, group in enumerate(group_list)}
    for run in runs:
        push(_start_state(run, start, True, params, horizon), 0, run.index)
    for number in range(len(group_list)):
        reschedule(number, start)
    while events:
        day, _, kind, index, version = heapq.heappop(events)
        if kind == 1:
            group = group_list[index]
            if version != group.version:
                continue  # superseded by a later change of the vacancy count
            run = runs[group.queue.popleft()]
            group.vacant -= 1
            run.state = _next_after_vacancy(run, params)
        else:
            run = runs[index]
            _end_state(run, params)
        push(_start_state(run, day, False, params, horizon), 0, run.index)
        reschedule(group_index_of[id(run.group)], day)
    spells = [spell for run in runs for spell in run.spells_out]
    for spell in spells:
        spell.service = service_of[spell.team_id]
    spells.sort(key=lambda spell: (spell.start, spell.post_id))
    _assign_identities(random.Random(f"{seed}|{la_code}|workforce-identities"), la_code, spells, params)
    return spells
