"""The files people use: formula-injection guard, small-count suppression with DfE symbols, byte-identical re-runs."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
from openpyxl import load_workbook

from publish.dashboard import render_dashboard
from publish.outputs import write_outputs
from publish.safe_cells import FORMULA_TRIGGERS, neutralise
from tests.publish.candidate import AS_OF, SERVICE_KPI, good_rows, write_candidate

PERCENT_KPI = "b08_cla_3plus_placements_12m"
COUNT_KPI = "t_cp_plans_open_2y_plus"
OTHER_COUNT_KPI = "t_cp_plans_open_12m_plus"
HOSTILE = {
    "kpi_name": '=HYPERLINK("http://evil.example","click")',
    "data_quality_flag": "@SUM(1+1)*cmd|' /C calc'!A0",
    "source_load_ids": "+1-1",
    "grain_key": "-2+3",
    "definition_version": "\t=1",
}


def _candidate(folder: Path, hostile: bool = False, small: bool = False) -> Path:
    dataset, series = good_rows()
    if hostile:
        dataset = [{**row, **HOSTILE} if row["kpi_id"] == PERCENT_KPI else row for row in dataset]
    if small:  # 3 / 50 and a count of 4: withheld under suppress_below 5; 0 / 50 (a true zero) and 7 are shown
        changes = {
            PERCENT_KPI: {"numerator": 3, "value": Decimal("6.0")},
            COUNT_KPI: {"numerator": 4, "value": Decimal("4.0")},
            SERVICE_KPI: {"numerator": 0, "value": Decimal("0.0")},
            OTHER_COUNT_KPI: {"numerator": 7, "value": Decimal("7.0")},
        }
        dataset = [{**row, **changes.get(row["kpi_id"], {})} for row in dataset]
    write_candidate(folder, dataset, series)
    return folder


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return True


def _cells_of_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_neutralise_prefixes_only_text_that_starts_a_formula() -> None:
    assert [neutralise(v) for v in ("=1+1", "+44", "-x", "@A1", "\tx", "\rx")] == [
        "'=1+1",
        "'+44",
        "'-x",
        "'@A1",
        "'\tx",
        "'\rx",
    ]
    assert [neutralise(v) for v in ("a=b", "", -5, 12.5, None)] == ["a=b", "", -5, 12.5, None]


def test_no_csv_or_xlsx_cell_can_start_a_formula(tmp_path: Path) -> None:
    folder = _candidate(tmp_path / "c", hostile=True)
    write_outputs(folder, AS_OF)

    rows = _cells_of_csv(folder / "tsg_dataset.csv")
    header = rows[0]
    # A plain negative number (a surplus of -250.5 £000) is a number to Excel, not a formula; any other cell
    # starting with a trigger would be one.
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS) and not _is_number(cell)]
    assert "-250.5" in [row[header.index("value")] for row in rows[1:]]
    hostile_row = next(row for row in rows if row[header.index("kpi_id")] == PERCENT_KPI)
    assert hostile_row[header.index("kpi_name")] == "'" + HOSTILE["kpi_name"]
    assert hostile_row[header.index("grain_key")] == "'-2+3"
    assert hostile_row[header.index("value")] == "90"  # numbers are written as numbers, never prefixed

    workbook = load_workbook(folder / "tsg_dataset.xlsx")
    assert workbook.sheetnames == ["tsg_dataset", "tsg_series"]
    texts = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [text for text in texts if text.startswith(FORMULA_TRIGGERS)]
    assert "'" + HOSTILE["data_quality_flag"] in texts
    assert all(cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)
    sheet = workbook["tsg_dataset"]
    header = [c.value for c in sheet[1]]
    values = [row[header.index("value")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)  # numbers


def test_suppression_withholds_small_counts_with_the_dfe_symbol(tmp_path: Path) -> None:
    folder = _candidate(tmp_path / "c", small=True)
    write_outputs(folder, AS_OF, suppress_below=5)

    rows = _cells_of_csv(folder / "tsg_dataset.csv")
    header = rows[0]
    by_kpi = {row[header.index("kpi_id")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    # 3 / 50: the count and every figure derived from it are withheld (a percentage and n give the count back).
    assert [by_kpi[PERCENT_KPI][c] for c in ("numerator", "denominator", "value", "prev_value")] == ["c"] * 4
    assert [by_kpi[COUNT_KPI][c] for c in ("numerator", "denominator", "value")] == ["c"] * 3
    # A true zero is shown; a count's denominator is "z" (not applicable).
    assert (by_kpi[SERVICE_KPI]["numerator"], by_kpi[SERVICE_KPI]["value"]) == ("0", "0")
    assert (by_kpi[OTHER_COUNT_KPI]["numerator"], by_kpi[OTHER_COUNT_KPI]["denominator"]) == ("7", "z")
    typed = {row["kpi_id"]: row for row in pq.read_table(folder / "tsg_dataset.parquet").to_pylist()}
    assert typed[PERCENT_KPI]["numerator"] is None and typed[PERCENT_KPI]["value"] is None
    assert typed[PERCENT_KPI]["data_quality_flag"] == "suppressed"
    assert typed[SERVICE_KPI]["numerator"] == 0


def test_without_suppression_figures_are_plain(tmp_path: Path) -> None:
    folder = _candidate(tmp_path / "c", small=True)
    write_outputs(folder, AS_OF)
    rows = _cells_of_csv(folder / "tsg_dataset.csv")
    header = rows[0]
    row = next(r for r in rows if r[header.index("kpi_id")] == COUNT_KPI)
    assert (row[header.index("numerator")], row[header.index("denominator")]) == ("4", "")


def test_the_same_candidate_gives_byte_identical_files(tmp_path: Path) -> None:
    outputs = []
    for name in ("first", "second"):
        folder = _candidate(tmp_path / name, hostile=True)
        write_outputs(folder, AS_OF, suppress_below=5)
        render_dashboard(folder, as_of=AS_OF, suppress_below=5, warnings=["w"], not_yet_measured=["b09_yj_reoffending"])
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {
        "dashboard.html",
        "tsg_dataset.csv",
        "tsg_dataset.parquet",
        "tsg_dataset.xlsx",
        "tsg_reconciliations.parquet",
        "tsg_series.parquet",
    }
    shutil.rmtree(tmp_path / "first")
