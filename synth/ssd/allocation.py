"""Allocate every case segment to a worker of the right service: ssd_involvements (input contract §2.2).

One event-driven pass over the whole span, in date order. A segment that starts is given to the least-loaded
worker in post in its service (ASYEs carry a protected, smaller caseload); when a worker leaves, each of their open
cases moves to a colleague that day (LEFTRL); now and then a manager moves a case to another worker (MANAGE and
the other reasons); a case that changes service (RA -> SFS -> CLASS) gets a worker of the new service (TSPROC). A
worker serving the last weeks of notice takes no new case. A service with nobody in post borrows from its parent
service (CWD and CL from CLASS, EYJ from SFS); failing that the team holds the case unallocated (TEAM_ONLY).
The looked-after children's allocations are also their 903 SWEpisodes (synth.ssda903.social_workers).
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter

from synth.careers import weighted
from synth.ssd.casework import ALLOCATED_SW, IRO, PA, Segment
from synth.workforce.staffing import Spell, Workforce

TEAM_ONLY = "TEAM_ONLY"
_FALLBACK = {"CWD": "CLASS", "CL": "CLASS", "EYJ": "SFS"}
# Mean days before a manager moves a case for another reason than a worker leaving, and the reasons.
_MANAGED_CHANGE_DAYS = 540.0
_CHANGE_REASONS = {"MANAGE": 55.0, "ORGRST": 8.0, "ABSENC": 14.0, "CHCHAN": 5.0, "PCCHAN": 6.0, "OTHERS": 12.0}
_ASYE_CAPACITY = 0.75
_NOTICE_DAYS = 28


@dataclass(slots=True)
class Involvement:
    """One row of ssd_involvements; `end` exclusive, None while open at the horizon."""

    involvement_id: str
    child_id: str
    worker_id: str  # blank for a team-only allocation
    role: str  # ALLOCATED_SW, PA, IRO or TEAM_ONLY
    team_id: str
    service: str
    start: int
    end: int | None
    reason: str
    referral_id: str
    held_for: str = ALLOCATED_SW  # the segment's role: a TEAM_ONLY row stands in for ALLOCATED_SW, PA or IRO


def _pool_of(spell: Spell) -> str | None:
    if spell.job_family == "PA":
        return "PA"
    if spell.job_family == "IRO":
        return "IRO"
    if spell.case_holding and spell.swe:
        return spell.service
    return None


_ROLE_POOLS = {PA: "PA", IRO: "IRO"}


def _segment_pool(segment: Segment) -> str:
    return _ROLE_POOLS.get(segment.role, segment.service)


class _Allocator:
    def __init__(self, workforce: Workforce, seed: int, la_code: str, horizon: int) -> None:
        self.rng = random.Random(f"{seed}|{la_code}|ssd-allocation")
        self.horizon = horizon
        self.active: dict[str, dict[str, Spell]] = {}
        self.ordered: dict[str, list[Spell]] = {}  # each pool's active spells sorted by worker id (pick's cache)
        self.load: dict[str, int] = {}
        self.open_by_worker: dict[str, set[int]] = {}
        self.rows: list[Involvement] = []
        self.current: dict[int, int] = {}  # segment index -> its open involvement (row index)
        self.counters: dict[str, int] = {}
        self.team_of_service = {}
        for team in workforce.teams:
            self.team_of_service.setdefault(team.service, team.team_id)

    def pick(self, pool: str, avoid: str = "") -> Spell | None:
        while True:
            candidates = self.active.get(pool)
            if candidates:
                break
            if pool not in _FALLBACK:
                return None
            pool = _FALLBACK[pool]
        everyone = self.ordered.get(pool)
        if everyone is None:  # the pool's workers by id, kept until someone joins or leaves it
            everyone = self.ordered[pool] = [candidates[worker] for worker in sorted(candidates)]
        # A case that changes worker goes to someone else (`avoid`: its current worker), and a worker serving
        # notice takes no new case (it would move again within days); unless nobody else can take it.
        others = (
            ([spell for spell in everyone if spell.worker_id != avoid] or everyone) if avoid in candidates else everyone
        )
        limit = self.day + _NOTICE_DAYS
        staying = [spell for spell in others if spell.end is None or spell.end >= limit]
        # The least-loaded (with noise) of them: min(key=load / capacity + random() * 1.5) inlined, one draw per
        # candidate in the same order, the first of equal weights kept.
        day, load, draw = self.day, self.load, self.rng.random
        best, lowest = None, math.inf
        for spell in staying or others:
            capacity = _ASYE_CAPACITY if spell.asye and spell.role_on(day) == "ASYE" else 1.0
            weight = load.get(spell.worker_id, 0) / capacity + draw() * 1.5
            if weight < lowest:
                best, lowest = spell, weight
        return best

    def open_row(self, segment: Segment, index: int, day: int, reason: str, avoid: str = "") -> None:
        spell = self.pick(_segment_pool(segment), avoid)
        number = self.counters.get(segment.child_id, 0) + 1
        self.counters[segment.child_id] = number
        role = segment.role if spell is not None else TEAM_ONLY
        team = spell.team_id if spell is not None else self.team_of_service.get(segment.service, "")
        worker = spell.worker_id if spell is not None else ""
        row = Involvement(f"{segment.child_id}-I{number}", segment.child_id, worker, role, team, segment.service,
                          day, segment.end, reason, segment.referral_id, segment.role)  # fmt: skip
        self.rows.append(row)
        row_index = len(self.rows) - 1
        self.current[index] = row_index
        if worker:
            if segment.role == ALLOCATED_SW:
                self.load[worker] = self.load.get(worker, 0) + 1
            self.open_by_worker.setdefault(worker, set()).add(index)

    def close_row(self, index: int, day: int) -> None:
        row_index = self.current.pop(index, None)
        if row_index is None:
            return
        row = self.rows[row_index]
        row.end = day
        if row.worker_id:
            self.open_by_worker[row.worker_id].discard(index)
            if row.role == ALLOCATED_SW:
                self.load[row.worker_id] -= 1

    day = 0


def allocate(segments: list[Segment], workforce: Workforce, seed: int, la_code: str, horizon: int) -> list[Involvement]:
    """The involvements of every segment up to `horizon` (ordinal), sorted by (child, start, id)."""
    alloc = _Allocator(workforce, seed, la_code, horizon)
    # Events (day, kind, index) in that order, each packed into one int ((day * 5 + kind) * span + index) so that
    # ordering them compares ints, not tuples: the fixed ones sorted once, the managed changes (kind 4, pushed as
    # they are drawn) in a heap; the next event is the smaller of the two heads.
    spells = [spell for spell in workforce.spells if _pool_of(spell) is not None]
    span = max(len(spells), len(segments)) + 1
    fixed: list[int] = []
    for number, spell in enumerate(spells):
        if spell.start <= horizon:
            fixed.append(spell.start * 5 * span + number)
        if spell.end is not None and spell.end + 1 <= horizon:
            fixed.append(((spell.end + 1) * 5 + 2) * span + number)
    previous_end: dict[str, int] = {}
    for number, segment in enumerate(segments):
        fixed.append((segment.start * 5 + 3) * span + number)
        if segment.end is not None:
            fixed.append((segment.end * 5 + 1) * span + number)
    fixed.sort()
    fixed.reverse()  # popped from the end
    changes: list[int] = []
    rng = alloc.rng
    while fixed or changes:
        event = changes[0] if changes and (not fixed or changes[0] < fixed[-1]) else None
        event = heapq.heappop(changes) if event is not None else fixed.pop()
        day_kind, index = divmod(event, span)
        day, kind = divmod(day_kind, 5)
        alloc.day = day
        if kind == 0:
            spell = spells[index]
            alloc.active.setdefault(_pool_of(spell), {})[spell.worker_id] = spell
            alloc.ordered.pop(_pool_of(spell), None)
        elif kind == 1:
            alloc.close_row(index, day)
        elif kind == 2:
            spell = spells[index]
            pool = alloc.active.get(_pool_of(spell), {})
            if pool.get(spell.worker_id) is not spell:
                continue  # the same worker carries on in a new spell (temp-to-perm, a new post)
            del pool[spell.worker_id]
            alloc.ordered.pop(_pool_of(spell), None)
            for segment_index in sorted(alloc.open_by_worker.get(spell.worker_id, set())):
                alloc.close_row(segment_index, day)
                alloc.open_row(segments[segment_index], segment_index, day, "LEFTRL")
        elif kind == 3:
            segment = segments[index]
            key = f"{segment.child_id}|{segment.role}"
            reason = "TSPROC" if previous_end.get(key) == day else "FCONTA"
            if segment.end is not None:
                previous_end[key] = segment.end
            alloc.open_row(segment, index, day, reason)
            change = day + max(7, round(rng.expovariate(1.0 / _MANAGED_CHANGE_DAYS)))
            if segment.role == ALLOCATED_SW and change <= horizon and (segment.end is None or change < segment.end):
                heapq.heappush(changes, (change * 5 + 4) * span + index)
        elif kind == 4 and index in alloc.current:
            segment = segments[index]
            current = alloc.rows[alloc.current[index]].worker_id
            alloc.close_row(index, day)
            alloc.open_row(segment, index, day, weighted(rng, _CHANGE_REASONS), avoid=current)
            change = day + max(30, round(rng.expovariate(1.0 / _MANAGED_CHANGE_DAYS)))
            if change <= horizon and (segment.end is None or change < segment.end):
                heapq.heappush(changes, (change * 5 + 4) * span + index)
    rows = [row for row in alloc.rows if row.end is None or row.end > row.start]
    rows.sort(key=attrgetter("child_id", "start", "involvement_id"))
    return rows


class Holders:
    """Who held a child's case (ALLOCATED_SW or team-only) on a day: (worker_id, team_id), for visits and forms."""

    def __init__(self, involvements: list[Involvement]) -> None:
        self._by_child: dict[str, tuple[list[int], list[Involvement]]] = {}
        for row in involvements:
            if row.role in (ALLOCATED_SW, TEAM_ONLY):
                starts, rows = self._by_child.setdefault(row.child_id, ([], []))
                starts.append(row.start)
                rows.append(row)

    def on(self, child_id: str, day: int) -> Involvement | None:
        found = self._by_child.get(child_id)
        if not found:
            return None
        starts, rows = found
        position = bisect_right(starts, day) - 1
        while position >= 0:
            row = rows[position]
            if row.end is None or row.end > day:
                return row
            position -= 1
            if position >= 0 and rows[position].end is not None and rows[position].end <= day - 400:
                break
        return None
