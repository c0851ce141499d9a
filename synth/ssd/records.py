"""The records of one event table, indexed once per casework so that cutting a delivery is a vectorised mask and a
lookup of lines already rendered, not a scan of the whole history in Python.

A record is in a delivery when `first <= as_at` and `last >= window_start` (a dated event has first = last = its
day; an episode is in when it started by as_at and ended inside the window or is still open, input contract §0.7).
What the delivery knows of a record changes only on the record's `thresholds` (the days its end, decision or
authorisation become known): its row is rendered once per number of thresholds passed and reused by every delivery
in the same stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from synth.ssd.lines import render

# "Never": open ends and missing thresholds (beyond any ordinal date).
NEVER = 10**7


def day_array(days: Iterable[int | None]) -> np.ndarray:
    return np.array([NEVER if day is None else day for day in days], dtype=np.int64)


class People:
    """The people a delivery's tables name (ssd_person covers them): a mask over the casework's person codes, so a
    table can mark thousands at once; an id without a code is kept aside."""

    def __init__(self, codes: dict[str, int]) -> None:
        self.codes = codes
        self.marked = np.zeros(len(codes), dtype=bool)
        self.others: set[str] = set()

    def add(self, person_id: str) -> None:
        code = self.codes.get(person_id)
        if code is None:
            self.others.add(person_id)
        else:
            self.marked[code] = True

    def mark(self, codes: np.ndarray) -> None:
        self.marked[codes] = True

    def __contains__(self, person_id: str) -> bool:
        code = self.codes.get(person_id)
        return person_id in self.others if code is None else bool(self.marked[code])


class Records:
    """`render(i, as_at)` returns the row of record i as a delivery as at `as_at` shows it; it must depend on as_at
    only through the record's thresholds. `persons`: the code (People) of the person each record names; `workers`:
    the worker ids a record names ("" for none), for the tables whose records can span the window's start (a
    worker who left before the window is then still named); `until`: a record is dropped from the as-at date
    `until` on (a review scheduled but never held)."""

    def __init__(
        self,
        first: Sequence[int],
        last: Sequence[int | None],
        render_row: Callable[[int, int], Sequence[str]],
        thresholds: Sequence[Sequence[int | None]] = (),
        persons: np.ndarray | None = None,
        workers: Sequence[str] | None = None,
        until: Sequence[int | None] | None = None,
    ) -> None:
        self.first, self.last = day_array(first), day_array(last)
        count = len(self.first)
        self.thresholds = (
            np.array([day_array(column) for column in thresholds], dtype=np.int64).reshape(len(thresholds), count).T
        )
        self.persons = persons
        self.workers = None if workers is None else np.array(workers, dtype=object)
        self.until = None if until is None else day_array(until)
        self._render = render_row
        self._stages = len(thresholds) + 1
        self._lines = np.full(count * self._stages, None, dtype=object)
        self._rendered = np.zeros(count * self._stages, dtype=bool)

    def __len__(self) -> int:
        return len(self.first)

    def selected(self, window: int, as_at: int) -> np.ndarray:
        """Indices of the records in the delivery, in record order."""
        mask = (self.first <= as_at) & (self.last >= window)
        if self.until is not None:
            mask &= self.until > as_at
        return np.flatnonzero(mask)

    def lines(
        self, window: int, as_at: int, people: People | None = None, workers: set[str] | None = None
    ) -> list[str]:
        """The rendered lines of the delivery; marks the people they name and collects the workers."""
        chosen = self.selected(window, as_at)
        if people is not None and self.persons is not None:
            people.mark(self.persons[chosen])
        if workers is not None and self.workers is not None:
            workers.update(self.workers[chosen].tolist())
        return self.render_lines(chosen, as_at)

    def render_lines(self, chosen: np.ndarray, as_at: int) -> list[str]:
        """The lines of records `chosen` (indices, in order) as a delivery as at `as_at` shows them."""
        keys = chosen * self._stages
        if self._stages > 1:
            keys += (self.thresholds[chosen] <= as_at).sum(axis=1)
        for position in np.flatnonzero(~self._rendered[keys]).tolist():
            key = keys[position]
            self._lines[key] = render(self._render(int(chosen[position]), as_at))
            self._rendered[key] = True
        return self._lines[keys].tolist()
