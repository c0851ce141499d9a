"""The publication gate: a good candidate passes; each §5.8 gate fails when its rule is broken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from expectations.checkpoint import run_checkpoint
from expectations.tsg_dataset_suite import TSG_DATASET_COLUMNS
from expectations.volatility import volatility_warnings
from expectations.warehouse_reconciliation import RECONCILIATIONS_NAME

AS_OF = date(2026, 10, 31)
DUE = {"s_cla_count", "b08_cla_3plus_placements_12m", "b24_inhouse_foster_pct"}


def _row(kpi_id: str, **overrides: object) -> dict:
    row = {
        "la_code": "E06000039",
        "kpi_id": kpi_id,
        "kpi_name": kpi_id,
        "definition_version": "1",
        "period_start": date(2026, 10, 1),
        "period_end": AS_OF,
        "snapshot_date": AS_OF,
        "grain": "company",
        "grain_key": "E06000039",
        "numerator": 20,
        "denominator": 200,
        "value": 10.0,
        "unit": "%",
        "target": 12.0,
        "tolerance": 3.0,
        "direction": "L",
        "prev_value": 11.0,
        "rag_state": "ON_TARGET",
        "rag_colour": "Green",
        "rag_scheme": "tsg_2021_22",
        "low_n_flag": False,
        "data_quality_flag": None,
        "source_load_ids": "episodes-0123456789abcdef",
    }
    row.update(overrides)
    return row


def _good_rows() -> list[dict]:
    return [
        _row(
            "s_cla_count",
            unit="count",
            numerator=200,
            denominator=None,
            value=200.0,
            target=None,
            tolerance=None,
            direction=None,
            prev_value=198.0,
            rag_state="TBC",
            rag_colour="Grey",
        ),
        _row("b08_cla_3plus_placements_12m"),
        _row(
            "b24_inhouse_foster_pct",
            numerator=46,
            value=23.0,
            target=45.0,
            tolerance=5.0,
            direction="H",
            prev_value=22.5,
            rag_state="OUTSIDE_IMPROVING",
            rag_colour="Yellow",
        ),
    ]


def _check(check_id: str, measured: int, reference: int | None, tolerance: int, status: str) -> dict:
    difference = None if reference is None else measured - reference
    note = "not checked: the month's delivery has no ssd_cla_episodes" if status == "NOT_CHECKED" else None
    return {
        "la_code": "E06000039",
        "period_end": AS_OF,
        "check_id": check_id,
        "check_name": check_id,
        "measured_basis": f"{check_id} measured",
        "measured_count": measured,
        "reference_basis": f"{check_id} reference",
        "reference_count": reference,
        "difference": difference,
        "tolerance": tolerance,
        "status": status,
        "note": note,
    }


GOOD_CHECKS = [_check("open_children", 1600, 1600, 0, "PASS"), _check("cla_903", 210, 212, 2, "PASS")]


def _write(tmp_path: Path, rows: list[dict], checks: list[dict] | None = None) -> Path:
    path = tmp_path / "tsg_dataset.parquet"
    pd.DataFrame(rows)[TSG_DATASET_COLUMNS].to_parquet(path)
    pd.DataFrame(GOOD_CHECKS if checks is None else checks).to_parquet(tmp_path / RECONCILIATIONS_NAME)
    return path


def _failed(report: object) -> set[tuple[str, str | None]]:
    return {(o.expectation, o.column) for o in report.failures}


def test_good_candidate_passes(tmp_path: Path) -> None:
    report = run_checkpoint(_write(tmp_path, _good_rows()), AS_OF, DUE)
    assert report.success, report.to_dict()
    # 19 on the dataset, 4 reconciliation gates on the series, 2 for each of the 2 warehouse reconciliations
    assert report.to_dict()["expectations_evaluated"] == 27


def test_missing_indicator_blocks_and_is_named(tmp_path: Path) -> None:
    report = run_checkpoint(_write(tmp_path, _good_rows()[:2]), AS_OF, DUE)
    assert not report.success
    failure = next(o for o in report.failures if o.column == "kpi_id")
    assert failure.detail == "missing ['b24_inhouse_foster_pct']; not in the register []"


@pytest.mark.parametrize(
    ("change", "expected_failure"),
    [
        ({"numerator": 201}, ("expect_column_pair_values_a_to_be_greater_than_b", "denominator")),
        ({"numerator": 201, "value": 100.5}, ("expect_column_values_to_be_between", "value")),
        ({"rag_state": None}, ("expect_column_values_to_not_be_null", "rag_state")),
        ({"rag_state": "GREEN"}, ("expect_column_values_to_be_in_set", "rag_state")),
        ({"period_end": date(2026, 9, 30)}, ("expect_column_values_to_be_in_set", "period_end")),
        ({"la_code": "871"}, ("expect_column_values_to_match_regex", "la_code")),
        ({"numerator": -1}, ("expect_column_values_to_be_between", "numerator")),
    ],
)
def test_each_gate_blocks_a_broken_row(tmp_path: Path, change: dict, expected_failure: tuple) -> None:
    rows = _good_rows()
    rows[1] = {**rows[1], **change}
    report = run_checkpoint(_write(tmp_path, rows), AS_OF, DUE)
    assert not report.success
    assert expected_failure in _failed(report)


def test_duplicate_indicator_rows_block(tmp_path: Path) -> None:
    rows = [*_good_rows(), _good_rows()[1]]
    report = run_checkpoint(_write(tmp_path, rows), AS_OF, DUE)
    assert ("expect_compound_columns_to_be_unique", None) in _failed(report)


def test_counts_are_not_held_to_the_percentage_range(tmp_path: Path) -> None:
    rows = _good_rows()
    rows[0] = {**rows[0], "value": 250.0, "numerator": 250}
    assert run_checkpoint(_write(tmp_path, rows), AS_OF, DUE).success


def test_volatility_is_a_warning_not_a_gate(tmp_path: Path) -> None:
    rows = _good_rows()
    rows[1] = {**rows[1], "prev_value": 30.0}  # 10.0 now: -20 pp
    report = run_checkpoint(_write(tmp_path, rows), AS_OF, DUE)
    assert report.success
    # (This candidate has no trend series, so each indicator also gets a "no trend series yet" warning.)
    assert [warning for warning in report.warnings if "moved" in warning] == [
        "b08_cla_3plus_placements_12m (company E06000039) moved -20.0 pp from 30 to 10: check before sign-off"
    ]


def test_volatility_thresholds_are_exclusive() -> None:
    frame = pd.DataFrame(
        [
            _row("a", value=25.0, prev_value=10.0),  # exactly 15 pp: no warning
            _row("b", unit="count", value=125.0, prev_value=100.0),  # exactly +25 %: no warning
            _row("c", unit="count", value=126.0, prev_value=100.0),  # +26 %: warning
        ]
    )
    assert volatility_warnings(frame) == ["c (company E06000039) moved +26% from 100 to 126: check before sign-off"]


def test_warehouse_reconciliations_block_with_both_counts(tmp_path: Path) -> None:
    checks = [_check("open_children", 1603, 1600, 0, "FAIL"), _check("cla_903", 210, 207, 2, "FAIL")]
    report = run_checkpoint(_write(tmp_path, _good_rows(), checks), AS_OF, DUE)
    assert not report.success
    details = {o.gate.split(": ")[1][:13]: o.detail for o in report.failures}
    assert details == {
        "open children": "E06000039 2026-10-31: open_children measured 1603 against open_children reference 1600, "
        "difference 3, tolerance ±0",
        "903 CLA count": "E06000039 2026-10-31: cla_903 measured 210 against cla_903 reference 207, difference 3, "
        "tolerance ±2",
    }


def test_an_undelivered_cla_list_is_a_warning_but_open_children_must_be_checked(tmp_path: Path) -> None:
    checks = [_check("open_children", 1600, 1600, 0, "PASS"), _check("cla_903", 210, None, 2, "NOT_CHECKED")]
    report = run_checkpoint(_write(tmp_path, _good_rows(), checks), AS_OF, DUE)
    assert report.success
    assert "cla_903 for E06000039: not checked: the month's delivery has no ssd_cla_episodes" in report.warnings
    checks[0] = _check("open_children", 1600, None, 0, "NOT_CHECKED")
    assert not run_checkpoint(_write(tmp_path, _good_rows(), checks), AS_OF, DUE).success


def test_a_candidate_without_its_reconciliations_is_blocked(tmp_path: Path) -> None:
    path = _write(tmp_path, _good_rows())
    (tmp_path / RECONCILIATIONS_NAME).unlink()
    report = run_checkpoint(path, AS_OF, DUE)
    assert not report.success
    assert ("expect_column_distinct_values_to_contain_set", "check_id") in _failed(report)
