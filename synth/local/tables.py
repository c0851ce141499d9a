"""The local tables of one delivery (input contract §3), from the same casework truth as the SSD extracts.

* local_case_supervision: each allocated case gets case supervision (CASE_SUP) in a calendar month with
  `case_sup_share` and management oversight (MO) with `mo_share` (kpi-catalogue §4.3: 37.5 % and 32.9 %), by a team
  manager or assistant team manager of the holding team (its service manager when the team has none in post).
* local_staff_supervision: personal supervision of every case-holding social worker and PA every 3-7 weeks
  (p_staff_9_supervisions_12m), the note shared within a few days, with a quality rating by the team manager.
* local_audits: ~13 core and ~8 thematic case audits a month on allocated cases, graded as era B (Apr-Sep 2021:
  Good 24 %, RI 66 %, Inadequate 10 %).
* local_peps: a PEP each school term for every looked-after child of school age (Reception-Y11).
* local_visits: the personal advisers' visits to care leavers (synth.local.visits).
* local_strategy_discussions: the discussions that start S47 enquiries, and some that decide against one
  (synth.ssd.strategy).

Ids: supervision `<involvement>-S<n>` (case) and `<worker>-SS<n>` (staff), audit `A<yyyymm>-<n>`, PEP
`<child>-PEP<yyyy><term>`.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TypeVar

from synth.calendar import anniversary, month_end
from synth.careers import weighted
from synth.local.case_supervision import CaseSupervision
from synth.local.visits import assessment_visits, pathway_visits
from synth.population import Child
from synth.reference.exports import school_pool
from synth.ssd.allocation import ALLOCATED_SW, Involvement
from synth.ssd.cells import iso, yn
from synth.ssd.lines import render
from synth.ssd.records import Records
from synth.ssd.strategy import strategy_discussions
from synth.ssd.truth import Casework
from synth.ssda903.periods import care_periods
from synth.workforce.staffing import Spell

Lines = list[str]  # rendered CSV lines (synth.ssd.lines)
T = TypeVar("T")
COLUMNS: dict[str, tuple[str, ...]] = {
    "local_case_supervision": (
        "supervision_id", "person_id", "referral_id", "supervision_date", "supervisor_worker_id", "case_worker_id",
        "supervision_type",
    ),
    "local_staff_supervision": (
        "supervision_id", "worker_id", "person_id", "supervision_date", "supervisor_worker_id", "supervision_kind",
        "shared_date", "quality_rating", "rated_by_role",
    ),
    "local_audits": (
        "audit_id", "person_id", "audit_date", "audit_type", "audit_status", "theme", "auditor_worker_id", "grade",
        "moderated_grade", "supervision_file_grade", "case_worker_id", "team_id",
    ),
    "local_peps": (
        "pep_id", "person_id", "pep_date", "pep_status", "term", "academic_year", "school_urn", "year_group",
    ),
    "local_visits": (
        "visit_id", "person_id", "visit_date", "visit_context", "statutory", "child_seen", "seen_alone", "worker_id",
    ),
    "local_strategy_discussions": (
        "strategy_id", "person_id", "referral_id", "strategy_date", "police_present", "health_present",
        "education_present", "sw_present", "outcome",
    ),
}  # fmt: skip
AUDIT_GRADES = {"O": 0.5, "G": 24.0, "RI": 65.5, "I": 10.0}
SUPERVISION_FILE_GRADES = {"G": 40.0, "RI": 45.0, "I": 15.0}
QUALITY = {"OUTSTANDING": 5.0, "GOOD": 55.0, "RI": 30.0, "INADEQUATE": 10.0}
THEMES = ("Neglect", "Exploitation", "Domestic abuse", "Pre-birth", "Missing children", "Disabled children")
# Terms: (name, first month, last month) of the English school year.
TERMS = (("AUT", 9, 12), ("SPR", 1, 4), ("SUM", 4, 7))


@dataclass(frozen=True)
class LocalParams:
    case_sup_share: float = 0.42
    mo_share: float = 0.34
    core_audits_per_month: int = 13
    thematic_audits_per_month: int = 8
    pep_complete_share: float = 0.9


@cache
def _month_of(day: int) -> tuple[int, int, int]:
    """(month index year*12+month-1, first day, last day) of the calendar month holding ordinal `day`."""
    found = date.fromordinal(day)
    return (
        found.year * 12 + found.month - 1,
        found.replace(day=1).toordinal(),
        month_end(found.year, found.month).toordinal(),
    )


@cache
def _month_bounds(index: int) -> tuple[int, int]:
    """(first day, last day) ordinals of month index year*12+month-1."""
    year, month = divmod(index, 12)
    return date(year, month + 1, 1).toordinal(), month_end(year, month + 1).toordinal()


def _months(first: int, last: int) -> list[tuple[int, int]]:
    """(first day, last day) of every calendar month overlapping first..last (ordinals)."""
    months: list[tuple[int, int]] = []
    index, start, end = _month_of(first)
    while start <= last:
        months.append((max(start, first), min(end, last)))
        index += 1
        start, end = _month_bounds(index)
    return months


@cache
def _age_on(dob: int, day: int) -> int:
    """Whole years of age on `day` (-1 before birth, at most 30): the last birthday by `day`, found from the years
    between the two dates rather than by trying every age."""
    age = date.fromordinal(day).year - date.fromordinal(dob).year
    if anniversary(dob, age) > day:
        age -= 1
    return -1 if age < 0 else min(age, 30)


class LocalCut:
    """The local tables of one delivery as rendered CSV lines; what does not depend on the delivery is built once
    per casework (in `casework.derived`) by the first cut that needs it."""

    def __init__(self, casework: Casework, as_at: date, window_start: date, params: LocalParams) -> None:
        self.cw, self.params = casework, params
        self.as_at, self.window = as_at.toordinal(), window_start.toordinal()
        self.teams = {team.team_id: team for team in casework.workforce.teams}
        derived = casework.derived
        if "local-managers" not in derived or derived.get("local-params") != params:
            # Intermediates that depend on the parameters too: rebuilt when a cut brings other parameters.
            for key in [key for key in derived if key.startswith("local-")]:
                del derived[key]
            derived["local-params"] = params
            derived["local-managers"] = {}
        self._managers: dict[str, tuple[list[int], list[list[Spell]]]] = derived["local-managers"]  # type: ignore

    def _derived(self, name: str, build: Callable[[], T]) -> T:
        found = self.cw.derived.get(name)
        if found is None:
            found = self.cw.derived[name] = build()
        return found  # type: ignore[return-value]

    def _service_managers(self) -> dict[str, list[Spell]]:
        service_managers: dict[str, list[Spell]] = {}
        for spell in self.cw.workforce.spells:
            if spell.job_family == "SM":
                service_managers.setdefault(self.teams[spell.team_id].service, []).append(spell)
        return service_managers

    def _manager_index(self, team_id: str) -> tuple[list[int], list[list[Spell]]]:
        """The team's managers in post as a step function of the day: change days, sorted, and who is in post
        from each (a TM or ATM of the team, else a service manager of its service), in the workforce's order."""
        found = self._managers.get(team_id)
        if found is None:
            own = [s for s in self.cw.spells_by_team.get(team_id, ()) if s.job_family in ("TM", "ATM")]
            service_managers = self._derived("local-service-managers", self._service_managers)
            fallback = service_managers.get(self.teams[team_id].service, [])
            changes = sorted(
                {day for s in own + fallback for day in (s.start, *(() if s.end is None else (s.end + 1,)))}
            )
            steps: list[list[Spell]] = []
            for day in changes:
                managers = [s for s in own if s.active_on(day)]
                steps.append(managers or [s for s in fallback if s.active_on(day)])
            found = self._managers[team_id] = (changes, steps)
        return found

    def manager(self, team_id: str, day: int, rng: random.Random) -> Spell | None:
        """A TM or ATM of the team in post on `day`, else a service manager of its service."""
        changes, steps = self._manager_index(team_id)
        position = bisect_right(changes, day) - 1
        managers = steps[position] if position >= 0 else []
        return managers[rng.randrange(len(managers))] if managers else None

    def _allocated(self) -> list[Involvement]:
        return self._derived(
            "local-allocated",
            lambda: [row for row in self.cw.involvements if row.role == ALLOCATED_SW and row.worker_id],
        )

    # Case supervision ----------------------------------------------------------------------------------
    def case_supervision(self) -> Lines:
        found = self._derived("local-case-sup", lambda: CaseSupervision(
            self._allocated(), f"{self.cw.seed}|{self.cw.la_code}", (self.params.case_sup_share, self.params.mo_share),
            self.cw.horizon, self._manager_index, _months,
        ))  # fmt: skip
        return found.lines(self.window, self.as_at)

    # Staff supervision -----------------------------------------------------------------------------------
    def _staff_supervision_records(self) -> Records:
        """Every personal supervision of every case-holding social worker and PA (the draws, the manager's
        included, do not depend on the delivery); the note's shared date shows once it is past."""
        found: list[tuple[int, list[str], int]] = []
        for spell in self.cw.workforce.spells:
            if not ((spell.case_holding and spell.swe) or spell.job_family == "PA"):
                continue
            last = min(spell.end if spell.end is not None else self.cw.horizon, self.cw.horizon)
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|staff-sup|{spell.spell_id}")
            day, number = spell.start, 0
            while True:
                day += rng.randint(21, 49)
                if day > last:
                    break
                number += 1
                shared = day + (rng.randint(0, 3) if rng.random() < 0.7 else rng.randint(4, 15))
                quality = weighted(rng, QUALITY)
                manager = self.manager(spell.team_id, day, rng)
                found.append((day, [
                    f"{spell.spell_id}-SS{number}", spell.worker_id, spell.person_id, iso(day),
                    manager.worker_id if manager else "", "PERSONAL", iso(shared), quality, "TM",
                ], shared))  # fmt: skip

        def row(index: int, as_at: int) -> list[str]:
            _, cells, shared = found[index]
            return cells if shared <= as_at else [*cells[:6], "", *cells[7:]]

        days = [day for day, _, _ in found]
        return Records(days, days, row, [[shared for _, _, shared in found]])

    def staff_supervision(self) -> Lines:
        return self._derived("local-staff-sup", self._staff_supervision_records).lines(self.window, self.as_at)

    # Audits ----------------------------------------------------------------------------------------------
    def _audit_month(self, first: int, last: int) -> Lines:
        """The audits of one month (first..last, clipped to the delivery): the month's RNG alone decides them."""
        allocated = self._allocated()
        auditors = [s for s in self.cw.spells_by_team.get("TSQ03", ()) if s.job_family == "OTHER"]
        month = date.fromordinal(first)
        rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|audits|{month:%Y-%m}")
        lines: Lines = []
        for number in range(self.params.core_audits_per_month + self.params.thematic_audits_per_month):
            day = rng.randint(first, last)
            pick = rng.randrange(len(allocated))  # then up to 400 cases from there (a slice, not a tail copy)
            open_cases = [r for r in allocated[pick : pick + 400] if r.start <= day
                          and (r.end is None or r.end > day)]  # fmt: skip
            if not open_cases:  # a slice near the end of the list with nothing open that day: look at them all
                open_cases = [r for r in allocated if r.start <= day and (r.end is None or r.end > day)]
            grade, file_grade = weighted(rng, AUDIT_GRADES), weighted(rng, SUPERVISION_FILE_GRADES)
            moderated = weighted(rng, AUDIT_GRADES) if rng.random() < 0.1 else ""
            core = number < self.params.core_audits_per_month
            active = [s for s in auditors if s.active_on(day)]
            if not open_cases:
                continue
            case = open_cases[rng.randrange(len(open_cases))]
            lines.append(render([
                f"A{month:%Y%m}-{number + 1}", case.child_id, iso(day), "CORE" if core else "THEMATIC", "COMPLETE",
                "" if core else THEMES[rng.randrange(len(THEMES))],
                active[rng.randrange(len(active))].worker_id if active else "", grade, moderated, file_grade,
                case.worker_id, case.team_id,
            ]))  # fmt: skip
        return lines

    def audits(self) -> Lines:
        months: dict[tuple[int, int], Lines] = self._derived("local-audits", dict)
        lines: Lines = []
        for first, last in _months(max(self.window, self.cw.workforce.start), self.as_at):
            found = months.get((first, last))
            if found is None:
                found = months[(first, last)] = self._audit_month(first, last)
            lines += found
        return lines

    # PEPs ------------------------------------------------------------------------------------------------
    def _peps_of(self, child: Child, skipped: int) -> list[tuple[int, str]]:
        """(day, line) of the child's PEPs in its periods of care after the first `skipped` ones (a period that
        ended before the window draws nothing, so the draws depend on how many the delivery skips)."""
        rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|peps|{child.child_id}")
        schools = self._derived("local-schools", lambda: school_pool(self.cw.seed, self.cw.la_code))
        urn = schools[rng.randrange(len(schools))][0]
        found: list[tuple[int, str]] = []
        for period in care_periods(child)[skipped:]:
            for year in range(date.fromordinal(period.start).year - 1, date.fromordinal(period.end).year + 1):
                for term, first_month, last_month in TERMS:
                    calendar_year = year if term == "AUT" else year + 1
                    first = date(calendar_year, first_month, 1).toordinal()
                    last = month_end(calendar_year, last_month).toordinal()
                    # Age on 31 August before the school year: 4 -> Reception, 5 -> Y1 ... 15 -> Y11.
                    age = _age_on(child.dob, date(year, 8, 31).toordinal())
                    day = rng.randint(first + 10, last - 10)
                    status = "COMPLETE" if rng.random() < self.params.pep_complete_share else "DRAFT"
                    if not 4 <= age <= 15 or not period.start + 28 <= day < period.end:
                        continue
                    found.append((day, render([
                        f"{child.child_id}-PEP{year}{term}", child.child_id, iso(day), status, term,
                        f"{year}-{(year + 1) % 100:02d}", urn, "R" if age == 4 else f"Y{age - 4}",
                    ])))  # fmt: skip
        return found

    def peps(self) -> Lines:
        """A period that starts after the as-at date has only PEPs after it, so only the periods skipped at the
        window's start change the draws: each child's PEPs are drawn once per number of skipped periods."""
        cache: dict[tuple[str, int], list[tuple[int, str]]] = self._derived("local-peps", dict)
        window, as_at = self.window, self.as_at
        lines: Lines = []
        period_ends = self._derived(
            "local-period-ends",
            lambda: {key: [p.end for p in care_periods(child)] for key, child in self.cw.children.items()},
        )
        for child_id, child in sorted(self.cw.children.items()):
            ends = period_ends[child_id]
            skipped = bisect_left(ends, window)
            if skipped == len(ends):
                continue
            found = cache.get((child_id, skipped))
            if found is None:
                found = cache[(child_id, skipped)] = self._peps_of(child, skipped)
            lines += [line for day, line in found if window <= day <= as_at]
        return lines

    # Visits and strategy discussions ---------------------------------------------------------------------
    def _visit_records(self) -> Records:
        visits = sorted(pathway_visits(self.cw) + assessment_visits(self.cw),
                        key=lambda visit: (visit.child_id, visit.day, visit.visit_id))  # fmt: skip

        def row(index: int, as_at: int) -> list[str]:
            visit = visits[index]
            return [visit.visit_id, visit.child_id, iso(visit.day), visit.context, "Y", yn(visit.seen),
                    visit.seen_alone, visit.worker_id]  # fmt: skip

        days = [visit.day for visit in visits]
        return Records(days, days, row)

    def visits(self) -> Lines:
        return self._derived("local-visits", self._visit_records).lines(self.window, self.as_at)

    def _strategy_records(self) -> Records:
        discussions = strategy_discussions(self.cw.cin, self.cw.seed, self.cw.la_code)

        def row(index: int, as_at: int) -> list[str]:
            found = discussions[index]
            education = "" if found.education is None else yn(found.education)
            return [found.strategy_id, found.child_id, found.referral_id, iso(found.day), yn(found.police),
                    yn(found.health), education, yn(found.social_worker), found.outcome]  # fmt: skip

        days = [found.day for found in discussions]
        return Records(days, days, row)

    def strategy_discussions(self) -> Lines:
        return self._derived("local-strategy", self._strategy_records).lines(self.window, self.as_at)

    def tables(self) -> dict[str, Lines]:
        return {
            "local_case_supervision": self.case_supervision(),
            "local_staff_supervision": self.staff_supervision(),
            "local_audits": self.audits(),
            "local_peps": self.peps(),
            "local_visits": self.visits(),
            "local_strategy_discussions": self.strategy_discussions(),
        }
