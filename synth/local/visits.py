"""local_visits (input contract §3, AM-12): the visits the SSD visit tables do not hold, for t_visits_in_time_all.

* PATHWAY: a care leaver's personal adviser sees them every 8 weeks (kpi-catalogue t_visits_in_time_all, the
  proposed care-leaver frequency) from the adviser's start (synth.ssd.casework: the PA segment, from leaving care
  or the 16th birthday) to the 21st birthday; the first visit within 6 weeks. With `pathway_late_share` a gap runs
  over the 8 weeks by up to 6 more. The visiting worker is the PA allocated that day.
* ASSESS: visits to children in assessment, when the organisation records them here rather than in ssd_cin_visits
  (VisitParams.assess_visits_local; by default they are in ssd_cin_visits and not repeated here).
* There is no private fostering in the truth, so no PF visits.

Ids: PATHWAY `<child>-PV<n>`; ASSESS visits keep the truth's id (`<assessment>-V<n>`). Dates are ordinals.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass

from synth.ssd.allocation import Holders, Involvement
from synth.ssd.casework import PA
from synth.ssd.truth import Casework

PATHWAY_DAYS = 56
SEEN_SHARE = 0.92
SEEN_ALONE_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class LocalVisit:
    visit_id: str
    child_id: str
    day: int
    context: str  # PATHWAY or ASSESS
    seen: bool
    seen_alone: str  # Y, N, NA
    worker_id: str


class _Advisers:
    """The personal adviser allocated to a care leaver on a day (ssd_involvements, role PA)."""

    def __init__(self, involvements: list[Involvement]) -> None:
        self._by_child: dict[str, list[Involvement]] = {}
        for row in involvements:
            if row.role == PA:
                self._by_child.setdefault(row.child_id, []).append(row)

    def on(self, child_id: str, day: int) -> str:
        rows = self._by_child.get(child_id, [])
        position = bisect_right([row.start for row in rows], day) - 1
        if position >= 0 and (rows[position].end is None or rows[position].end > day):
            return rows[position].worker_id
        return ""


def pathway_visits(cw: Casework) -> list[LocalVisit]:
    """Every PA visit to a care leaver up to the horizon, by child then date."""
    advisers = _Advisers(cw.involvements)
    late_share = cw.visit_params.pathway_late_share
    visits: list[LocalVisit] = []
    for segment in sorted((s for s in cw.segments if s.role == PA), key=lambda s: (s.child_id, s.start)):
        rng = random.Random(f"{cw.seed}|{cw.la_code}|pathway-visits|{segment.child_id}")
        end = min(segment.end if segment.end is not None else cw.horizon + 1, cw.horizon + 1)
        day, number = segment.start + rng.randint(7, 42), 0
        while day < end:
            number += 1
            seen = rng.random() < SEEN_SHARE
            alone = "Y" if rng.random() < SEEN_ALONE_SHARE else "N"
            visits.append(LocalVisit(f"{segment.child_id}-PV{number}", segment.child_id, day, "PATHWAY", seen,
                                     alone if seen else "N", advisers.on(segment.child_id, day)))  # fmt: skip
            late = rng.random() < late_share
            day += PATHWAY_DAYS + rng.randint(1, 42) if late else rng.randint(PATHWAY_DAYS // 2, PATHWAY_DAYS)
    return visits


def assessment_visits(cw: Casework) -> list[LocalVisit]:
    """The truth's visits to children in assessment, when local_visits holds them; the worker is the case
    holder on the day."""
    if not cw.visit_params.assess_visits_local:
        return []
    holders: Holders = cw.holders
    found: list[LocalVisit] = []
    for visit in cw.visits:
        if visit.kind == "ASSESS":
            holder = holders.on(visit.child_id, visit.day)
            found.append(LocalVisit(visit.visit_id, visit.child_id, visit.day, "ASSESS", visit.seen, visit.seen_alone,
                                    holder.worker_id if holder else ""))  # fmt: skip
    return found
