"""Who of a list of spells is in post on a day, as a step function: a bisection instead of a scan of every spell."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from synth.workforce.staffing import Spell


class InPost:
    """The spells of `spells` active on a day (`Spell.active_on`), in the order of `spells`."""

    def __init__(self, spells: Sequence[Spell]) -> None:
        # The set changes only when a spell starts or the day after one ends.
        self._days = sorted({day for s in spells for day in (s.start, *(() if s.end is None else (s.end + 1,)))})
        self._steps = [[s for s in spells if s.active_on(day)] for day in self._days]

    def on(self, day: int) -> list[Spell]:
        position = bisect_right(self._days, day) - 1
        return self._steps[position] if position >= 0 else []
