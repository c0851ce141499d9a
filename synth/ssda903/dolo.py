"""Deprivation of liberty orders (903 DoLo, collected from 2026-27): a few older children in children's homes
(K2) are deprived of their liberty under the High Court's inherent jurisdiction for part of the placement."""

from __future__ import annotations

from synth.calendar import anniversary
from synth.population import Child
from synth.ssda903.periods import Period, care_periods, child_rng

DOLO_SHARE = 0.06  # of K2 placements of children aged 10+


def child_dolos(
    child: Child, seed: int, la_code: str, periods: list[Period] | None = None
) -> list[tuple[int, int | None]]:
    """Every (DOLO_START, DOLO_END) of the child's life; the end falls before the placement ends."""
    rng = child_rng(seed, la_code, "dolo", child.child_id)
    tenth = anniversary(child.dob, 10)
    orders: list[tuple[int, int | None]] = []
    for period in care_periods(child) if periods is None else periods:
        for episode in period.episodes:
            if episode.place != "K2" or episode.decom < tenth or episode.dec - episode.decom < 60:
                continue
            if rng.random() < DOLO_SHARE:
                start = rng.randint(episode.decom + 7, episode.decom + 30)
                orders.append((start, rng.randint(start + 21, episode.dec - 1)))
    return orders
