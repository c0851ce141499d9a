"""Adoption: the agency decision maker's decision that the child should be placed for adoption (PlacedAdoption,
AD1.DATE_INT), matching with adopters and the adopters themselves (AD1), coherent with the A5/A6 placement and the
E11/E12 adoption order of the child's episodes.

The decision comes after the child starts to be looked after and on or before the placement order (LS E1); the
match comes after the order and before the child is placed (DfE rules 331/333/334/521/523/554/1003). A few young
children who are never adopted also had a decision that was later reversed (DATE_PLACED_CEASED, RD1-RD4).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.calendar import anniversary
from synth.careers import weighted
from synth.population import Child
from synth.ssda903.periods import ADOPTED, PLACED_FOR_ADOPTION, Period, care_periods, child_rng

# Of children under 5 at entry who stay 10+ months and are not adopted: share with a later-reversed decision.
REVERSED_SHARE = 0.10
REVERSAL_REASONS = {"RD1": 50.0, "RD2": 8.0, "RD3": 17.0, "RD4": 25.0}
# (NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR) and its weight: mostly married couples, some single adopters.
ADOPTERS: dict[tuple[str, str, str], float] = {
    ("2", "MF", "L11"): 55.0,
    ("2", "MF", "L3"): 10.0,
    ("2", "MM", "L12"): 3.0,
    ("2", "FF", "L12"): 3.0,
    ("2", "MM", "L2"): 2.0,
    ("2", "FF", "L2"): 3.0,
    ("2", "MM", "L4"): 1.5,
    ("2", "FF", "L4"): 1.5,
    ("1", "F1", "L0"): 18.0,
    ("1", "M1", "L0"): 3.0,
}


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision that the child should be placed for adoption, and what became of it."""

    decided: int
    ceased: int | None = None
    reason: str = ""
    # Only for adopted children: matching, placement, the adoption order and the adopters.
    matched: int | None = None
    placed: int | None = None
    adopted: int | None = None
    by_foster_carer: bool = False
    adopters: tuple[str, str, str] = ("", "", "")


def _adopted(rng: random.Random, period: Period) -> Decision:
    order = next((e.decom for e in period.episodes if e.ls == "E1"), period.start)
    placement = next(e for e in period.episodes if e.place in PLACED_FOR_ADOPTION)
    low = period.start + max(1, (order - period.start) // 2)
    decided = rng.randint(min(low, order), order)
    matched = rng.randint(max(order, placement.decom - 90), placement.decom)
    adopters = weighted(rng, ADOPTERS)
    return Decision(
        decided,
        matched=matched,
        placed=placement.decom,
        adopted=period.end,
        by_foster_carer=placement.place in ("A3", "A5"),
        adopters=adopters,
    )


def child_adoption_decisions(
    child: Child, seed: int, la_code: str, periods: list[Period] | None = None
) -> list[Decision]:
    """Every decision that the child should be placed for adoption, in date order."""
    rng = child_rng(seed, la_code, "adoption", child.child_id)
    decisions: list[Decision] = []
    for period in care_periods(child) if periods is None else periods:
        if period.rec in ADOPTED:
            decisions.append(_adopted(rng, period))
            continue
        young = period.start < anniversary(child.dob, 5)
        if young and period.end - period.start > 300 and rng.random() < REVERSED_SHARE:
            decided = rng.randint(period.start + 90, period.start + (period.end - period.start) // 2)
            ceased = rng.randint(decided + 30, max(decided + 30, period.end - 7))
            if ceased < period.end:
                decisions.append(Decision(decided, ceased, weighted(rng, REVERSAL_REASONS)))
    return decisions
