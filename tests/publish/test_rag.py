"""The Python reference RAG implementation against every kpi-catalogue §5.7 vector, in both colour schemes.

The vectors are the dbt seed `rag_test_vectors` (the SQL macro's singular test reads the same file, see
tests/publish/test_rag_sql.py), so the two implementations are held to one list. A RAG-MS vector names its
indicator and period end: its target, tolerance and impact_from come from the register rows in force then.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from expectations.kpi_register import load_register
from pipeline.settings import DBT_PROJECT_DIR
from publish.rag import low_n, rag_colour, rag_state, round_half_up

VECTORS_SEED = DBT_PROJECT_DIR / "seeds" / "test_vectors" / "rag_test_vectors.csv"


def _vectors() -> list[dict]:
    with VECTORS_SEED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _resolve(vector: dict) -> dict:
    """The arguments of rag_state for one vector; a RAG-MS vector's target comes from the register in force."""
    args = {
        "value": _number(vector["value"]),
        "target": _number(vector["target"]),
        "tolerance": _number(vector["tolerance"]),
        "direction": vector["direction"],
        "prev_value": _number(vector["prev_value"]),
        "precision": int(vector["precision"]),
    }
    if vector["kpi_id"]:
        period_end = date.fromisoformat(vector["period_end"])
        (row,) = [r for r in load_register() if r.kpi_id == vector["kpi_id"] and r.in_force(period_end)]
        args.update(
            target=_number(row.target or ""),
            tolerance=_number(row.tolerance or ""),
            period_end=period_end,
            impact_from=row.impact_from,
        )
    return args


def test_every_catalogue_vector_is_loaded() -> None:
    # 27 Board rows (b26/b27 are two), 14 TSG-era rows, 3 RAG-MS rows, 7 derived rounding and boundary cases.
    cases = [v["case_id"] for v in _vectors()]
    assert len(cases) == 51 == len(set(cases))
    assert sum(case.startswith("bp_audit_overall_good") for case in cases) == 3


@pytest.mark.parametrize("vector", _vectors(), ids=lambda v: v["case_id"])
def test_reference_state_and_colours_match_the_vector(vector: dict) -> None:
    state = rag_state(**_resolve(vector))
    assert state == vector["expected_state"]
    assert rag_colour(state, "tsg_2021_22") == vector["expected_tsg_colour"]
    if vector["expected_board_colour"]:
        assert rag_colour(state, "board_2020_21") == vector["expected_board_colour"]


def test_the_two_schemes_swap_amber_and_yellow_only() -> None:
    # §2.2: 2020/21 within tolerance = Yellow, improving = Amber; 2021/22 the other way round.
    assert (rag_colour("WITHIN_TOLERANCE", "board_2020_21"), rag_colour("WITHIN_TOLERANCE", "tsg_2021_22")) == (
        "Yellow",
        "Amber",
    )
    assert (rag_colour("OUTSIDE_IMPROVING", "board_2020_21"), rag_colour("OUTSIDE_IMPROVING", "tsg_2021_22")) == (
        "Amber",
        "Yellow",
    )
    for state in ("ON_TARGET", "OUTSIDE_NOT_IMPROVING", "OFF_TARGET_NOT_IMPROVING", "NO_DATA"):
        assert rag_colour(state, "board_2020_21") == rag_colour(state, "tsg_2021_22")
    # Targets not yet set are shown as such: "To be confirmed" on the Board, Grey in the TSG scheme.
    assert rag_colour("TBC", "board_2020_21") == "To be confirmed"
    assert rag_colour("TBC", "tsg_2021_22") == "Grey"


def test_milestones_as_the_catalogue_writes_them() -> None:
    # §1.6 bp_audit_overall_good: Oct-23 50, Mar-24 60, Oct-24 70, tolerance 5 (§5.7 RAG-MS rows).
    milestones = [(date(2023, 10, 31), 50), (date(2024, 3, 31), 60), (date(2024, 10, 31), 70)]

    def state(value: int, prev: int, period_end: date) -> str:
        return rag_state(value, None, 5, "H", prev, 1, period_end=period_end, milestones=milestones)

    assert state(35, 29, date(2023, 9, 30)) == "NOT_YET_DUE"  # before the first milestone
    assert state(46, 35, date(2023, 11, 30)) == "WITHIN_TOLERANCE"  # 50 - 46 = 4 <= 5
    assert state(52, 46, date(2024, 3, 31)) == "OUTSIDE_IMPROVING"  # 60 - 52 = 8 > 5, 52 > 46
    assert state(70, 52, date(2024, 10, 31)) == "ON_TARGET"  # the Oct-24 milestone is due on its own date


def test_register_milestone_rows_are_the_catalogue_milestones() -> None:
    # The versioned rows give target = latest milestone due, with NOT_YET_DUE before the first (impact_from).
    rows = sorted((r for r in load_register() if r.kpi_id == "bp_audit_overall_good"), key=lambda r: r.valid_from)
    assert [(r.valid_from, r.target) for r in rows] == [
        (date(2023, 4, 1), "50"),
        (date(2024, 3, 31), "60"),
        (date(2024, 10, 31), "70"),
    ]
    assert {r.impact_from for r in rows} == {date(2023, 10, 31)}


def test_display_rounding_is_half_up_on_exact_decimals() -> None:
    # 84.95 is 84.9499999... as a binary float; the reference must still round it to 85.0 (§2.5 A6).
    assert round_half_up(84.95, 1) == Decimal("85.0")
    assert round_half_up("84.9499", 1) == Decimal("84.9")
    assert round_half_up(Decimal("0.05"), 1) == Decimal("0.1")


def test_missing_and_unset_inputs() -> None:
    assert rag_state(None, 90, 5, "H", 80, 1) == "NO_DATA"  # a zero denominator gives no value
    assert rag_state(50, None, None, "H", 40, 1) == "TBC"  # target not yet set, whatever the value
    assert rag_state(50, "tbc", None, "H", 40, 1) == "TBC"
    assert rag_state(50, 90, 5, "H", None, 1, period_end=date(2025, 1, 31), impact_from=date(2025, 4, 30)) == (
        "NOT_YET_DUE"
    )


def test_small_denominators_are_flagged_below_ten() -> None:
    assert (low_n(9), low_n(10), low_n(0), low_n(None)) == (True, False, True, False)
