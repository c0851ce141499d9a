"""The files people use, written from an audited candidate: Parquet for Power BI, CSV and XLSX for Excel users.

Every file is deterministic (sorted rows, no timestamps: the XLSX's zip entries and document properties are
pinned to the reporting date), so re-running a month gives byte-identical output. Text cells that would start a
formula are neutralised (`publish.safe_cells`); small counts are withheld when the setting asks for it
(`publish.suppression`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook

from publish.export import DATASET_BASENAME, SERIES_BASENAME, write_parquet
from publish.safe_cells import neutralise
from publish.suppression import display_cell, suppress_table

XLSX_NAME = f"{DATASET_BASENAME}.xlsx"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_outputs(candidate_dir: Path, as_of: date, suppress_below: int = 0) -> list[Path]:
    """Write the published Parquet, CSV and XLSX files into `candidate_dir` from its audited Parquet files."""
    dataset = pq.read_table(candidate_dir / f"{DATASET_BASENAME}.parquet")
    series_path = candidate_dir / f"{SERIES_BASENAME}.parquet"
    series = pq.read_table(series_path) if series_path.exists() else None
    written = []
    if suppress_below > 0:  # the typed files carry nulls where a count is withheld
        write_parquet(suppress_table(dataset, suppress_below), candidate_dir / f"{DATASET_BASENAME}.parquet")
        if series is not None:
            write_parquet(suppress_table(series, suppress_below), series_path)
    written.append(candidate_dir / f"{DATASET_BASENAME}.parquet")
    csv_path = candidate_dir / f"{DATASET_BASENAME}.csv"
    csv_path.write_text(to_csv(dataset, suppress_below), encoding="utf-8", newline="")
    written.append(csv_path)
    sheets = {"tsg_dataset": dataset, **({"tsg_series": series} if series is not None else {})}
    written.append(write_xlsx(sheets, candidate_dir / XLSX_NAME, as_of, suppress_below))
    return written


def _cell(value: object) -> object:
    """A value as a CSV/XLSX cell: decimals as plain numbers, dates in ISO form, booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return float(value)  # the published decimals have at most 4 places: exact in a double's 15 digits
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _rows(table: pa.Table, suppress_below: int) -> list[list[object]]:
    return [
        [neutralise(_cell(display_cell(row, column, suppress_below))) for column in table.column_names]
        for row in table.to_pylist()
    ]


def to_csv(table: pa.Table, suppress_below: int = 0) -> str:
    """The table as CSV text, every text cell guarded against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(name) for name in table.column_names])
    for row in _rows(table, suppress_below):
        writer.writerow(["" if cell is None else _csv_text(cell) for cell in row])
    return buffer.getvalue()


def _csv_text(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:g}" if abs(cell) < 1e15 else repr(cell)
    return str(cell)


def write_xlsx(sheets: dict[str, pa.Table], path: Path, as_of: date, suppress_below: int = 0) -> Path:
    """One worksheet per table; numbers as numbers, text guarded; byte-identical for the same input."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append([neutralise(column) for column in table.column_names])
        for row in _rows(table, suppress_below):
            sheet.append(row)
        sheet.freeze_panes = "A2"
    pinned = datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.creator = "csc-warehouse"
    workbook.properties.created = pinned
    workbook.properties.modified = pinned
    workbook.save(path)
    _pin_zip(path, pinned)
    return path


def _pin_zip(path: Path, pinned: datetime) -> None:
    """Rewrite the XLSX zip with fixed entry times and document dates (openpyxl stamps both with the clock)."""
    stamp = pinned.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    path.write_bytes(buffer.getvalue())
