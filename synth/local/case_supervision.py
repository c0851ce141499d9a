"""local_case_supervision of every delivery of one casework (input contract §3; kpi-catalogue §4.3).

Each month of an allocated case draws, per kind (CASE_SUP, MO), whether it happened and on which day; a record the
delivery holds then draws its manager from the same RNG. So the draws of later months depend on which earlier
records the delivery holds, and the window decides that for a case that started before it. A case that started
inside the window, though, holds every record up to the as-at month in every delivery (as_at a month end): its
records are drawn once, as if the window had no start, and each delivery takes those up to its as-at date. Only
the cases straddling the window's start are replayed per delivery (their pre-window months draw no manager).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable
from datetime import date

import numpy as np

from synth.ssd.allocation import Involvement
from synth.ssd.lines import render
from synth.ssd.records import NEVER, day_array
from synth.ssd.tables import iso
from synth.workforce.staffing import Spell

# A team's managers in post as a step function of the day: the change days, sorted, and who is in post from each.
Managers = Callable[[str], tuple[list[int], list[list[Spell]]]]
Months = Callable[[int, int], list[tuple[int, int]]]


def _ends_a_month(day: int) -> bool:
    return date.fromordinal(day + 1).day == 1


class CaseSupervision:
    def __init__(self, rows: list[Involvement], key: str, shares: tuple[float, float], horizon: int,
                 managers: Managers, months: Months) -> None:  # fmt: skip
        """`rows`: the allocated cases in output order; `key`: "<seed>|<la>" of the RNGs; `shares`: the monthly
        chance of case supervision and of management oversight; `managers(team_id)`: the team's managers in
        post day by day (a record names one of them, drawn from the case's RNG); `months(first, last)`: the
        calendar months overlapping first..last, clipped."""
        self.rows, self.key, self.horizon = rows, key, horizon
        self.kinds = (("CASE_SUP", shares[0]), ("MO", shares[1]))
        self.managers, self.months = managers, months
        self.starts = day_array(row.start for row in rows)
        self.lasts = day_array(None if row.end is None else row.end - 1 for row in rows)
        self.streams: dict[int, list[tuple[int, str]]] = {}
        self.since = NEVER  # the streams of every case that started from `since` on are drawn
        self.entry_case = np.zeros(0, dtype=np.int64)
        self.entry_day = np.zeros(0, dtype=np.int64)
        self.entry_line = np.zeros(0, dtype=object)

    def draw(self, row: Involvement, window: int, as_at: int) -> list[tuple[int, str]]:
        """(day, line) of one case's records as a delivery (window, as_at) shows them."""
        rng = random.Random(f"{self.key}|case-sup|{row.involvement_id}")
        # The draws of rng.random(), rng.randint(first, last) and rng.randrange(len(managers)) inlined: each integer
        # is getrandbits(n.bit_length()) until below n (random.Random._randbelow), so the stream is the same.
        draw, getrandbits = rng.random, rng.getrandbits
        changes, steps = self.managers(row.team_id)
        found: list[tuple[int, str]] = []
        number = 0
        for first, last in self.months(row.start, min(row.end - 1 if row.end is not None else self.horizon,
                                                      self.horizon)):  # fmt: skip
            if first > as_at:  # no later month can land a day in the delivery
                break
            span = last - first + 1
            bits = span.bit_length()
            for kind, share in self.kinds:
                hit = draw() < share
                offset = getrandbits(bits)
                while offset >= span:
                    offset = getrandbits(bits)
                day = first + offset
                number += 1
                if not hit or not window <= day <= as_at:
                    continue
                position = bisect_right(changes, day) - 1
                managers = steps[position] if position >= 0 else ()
                if not managers:
                    continue
                count = len(managers)
                pick_bits = count.bit_length()
                pick = getrandbits(pick_bits)
                while pick >= count:
                    pick = getrandbits(pick_bits)
                found.append((day, render([f"{row.involvement_id}-S{number}", row.child_id, row.referral_id, iso(day),
                                           managers[pick].worker_id, row.worker_id, kind])))  # fmt: skip
        return found

    def _cover(self, window: int) -> None:
        """Draw the whole records of every case that started from `window` on, and flatten them in case order."""
        if window >= self.since:
            return
        for index in np.flatnonzero((self.starts >= window) & (self.starts < self.since)).tolist():
            self.streams[index] = self.draw(self.rows[index], self.rows[index].start, self.horizon)
        self.since = window
        order = sorted(self.streams)
        self.entry_case = np.array([index for index in order for _ in self.streams[index]], dtype=np.int64)
        self.entry_day = np.array([day for index in order for day, _ in self.streams[index]], dtype=np.int64)
        self.entry_line = np.array([line for index in order for _, line in self.streams[index]], dtype=object)

    def lines(self, window: int, as_at: int) -> list[str]:
        chosen = (self.starts <= as_at) & (self.lasts >= window)
        if _ends_a_month(as_at) and as_at <= self.horizon:
            self._cover(window)
            reused = chosen & (self.starts >= window)
            picked = np.flatnonzero(reused[self.entry_case] & (self.entry_day <= as_at))
            lines: list[str] = self.entry_line[picked].tolist()
            cases = self.entry_case[picked]
            replayed = np.flatnonzero(chosen & ~reused)
        else:
            lines, cases, replayed = [], np.zeros(0, dtype=np.int64), np.flatnonzero(chosen)
        if not len(replayed):
            return lines
        # Splice each replayed case's lines in before the first reused line of a later case.
        out: list[str] = []
        previous = 0
        for index, position in zip(replayed.tolist(), np.searchsorted(cases, replayed).tolist(), strict=True):
            out += lines[previous:position]
            out += [line for _, line in self.draw(self.rows[index], window, as_at)]
            previous = position
        out += lines[previous:]
        return out
