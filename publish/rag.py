"""The Python reference implementation of the RAG rule (kpi-catalogue §2.4), beside the SQL macro
`dbt_project/macros/rag/rag_state.sql`. Both are held to the §5.7 test vectors (seed `rag_test_vectors`).

Exact decimals throughout: floats never decide a colour. Colours come from the same seed as the warehouse's,
`ref_rag_colours.csv`, so the two implementations cannot disagree on a scheme.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from pipeline.settings import DBT_PROJECT_DIR

RAG_COLOURS_SEED = DBT_PROJECT_DIR / "seeds" / "ref_rag_colours.csv"
LOW_N_BELOW = 10  # kpi-catalogue §0.4, §2.5 A13: a denominator under 10 is flagged; the RAG is still computed

Number = Decimal | int | float | str


def round_half_up(value: Number, precision: int) -> Decimal:
    """`value` rounded half-up to `precision` decimals, as displayed (§2.5 A6)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def rag_state(
    value: Number | None,
    target: Number | None,
    tolerance: Number | None,
    direction: str | None,
    prev_value: Number | None,
    precision: int,
    period_end: date | None = None,
    impact_from: date | None = None,
    milestones: Iterable[tuple[date, Number]] | None = None,
) -> str:
    """The colour-free state of one figure, step for step as §2.4 writes it."""
    if milestones:  # RAG-MS: the latest milestone due on the period end is the target
        if period_end is None:
            raise ValueError("milestone targets need the period_end")
        due = [milestone_target for (due_date, milestone_target) in sorted(milestones) if due_date <= period_end]
        if not due:
            return "NOT_YET_DUE"
        target = due[-1]
    if impact_from is not None and period_end is not None and period_end < impact_from:
        return "NOT_YET_DUE"
    if target is None or str(target).lower() == "tbc":
        return "TBC"
    if value is None:
        return "NO_DATA"
    if direction == "M":  # boolean / maintain (§2.5 A12): no Amber or Yellow
        return "ON_TARGET" if Decimal(str(value)) == Decimal(str(target)) else "OFF_TARGET_NOT_IMPROVING"
    v = round_half_up(value, precision)
    pv = None if prev_value is None else round_half_up(prev_value, precision)
    goal = Decimal(str(target))
    tol = Decimal(str(tolerance)) if tolerance is not None else Decimal(0)
    gap = (v - goal) if direction == "H" else (goal - v)  # >= 0: on or beyond target
    if gap >= 0:
        return "ON_TARGET"
    if -gap <= tol:  # boundary inclusive (§2.5 A3)
        return "WITHIN_TOLERANCE"
    if pv is not None and ((direction == "H" and v > pv) or (direction == "L" and v < pv)):
        return "OUTSIDE_IMPROVING"  # strict: a tie is not an improvement (§2.5 A5)
    return "OUTSIDE_NOT_IMPROVING"


@cache
def colour_table(seed: Path = RAG_COLOURS_SEED) -> dict[tuple[str, str], str]:
    """(scheme, state) -> colour, from the warehouse's seed."""
    with seed.open(newline="", encoding="utf-8") as handle:
        return {(row["scheme"], row["rag_state"]): row["rag_colour"] for row in csv.DictReader(handle)}


def rag_colour(state: str, scheme: str) -> str:
    """The colour of `state` in `scheme` (board_2020_21 or tsg_2021_22, which swap Amber and Yellow)."""
    try:
        return colour_table()[(scheme, state)]
    except KeyError as error:
        raise KeyError(f"no colour for state {state!r} in scheme {scheme!r} (ref_rag_colours.csv)") from error


def low_n(denominator: int | None) -> bool:
    """Small-number flag: the denominator is below 10 (a count has none, so is never flagged)."""
    return denominator is not None and denominator < LOW_N_BELOW
