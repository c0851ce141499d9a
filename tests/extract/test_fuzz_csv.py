"""Property-based fuzzing of every CSV reader: SSDA903 and the SSD, local, HR, finance and reference families.

Each example builds a file from a table of the registry (a header near the table's own, rows of plausible and
malformed values, rendered well or badly, then bytes damaged), extracts it, and holds the outcome to
`fuzz_support.assert_accounted`: landed with every row landed or quarantined with a reason, or rejected whole with one
line naming the file and the problem; never an exception (the extract tests run strict), never a lost row.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pyarrow.parquet as pq
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from extract import extract_all, extract_file, extractor
from extract.codes import codes_for
from extract.csv_families import REGISTRY
from extract.csv_families.spec import Column as FamilyColumn
from extract.csv_families.spec import TableSpec as FamilySpec
from extract.landing import read_ledger
from extract.tables import TABLES
from extract.tables import Column as Column903
from extract.tables import TableSpec as Spec903
from tests.extract.builders import LA
from tests.extract.family_builders import deliver_to
from tests.extract.fuzz_support import (
    EXTREME,
    NASTY_TEXT,
    NULL_LITERALS_SAMPLE,
    assert_accounted,
    csv_rows_in,
    fresh_root,
    mutated_bytes,
    one_in,
    outcome_kind,
)

FOLDER = {"ssd": "ssd", "local": "local", "hr": "hr", "fin": "fin", "ref": "ref"}
ROW_LIMITS = st.sampled_from([1.0, extractor.REJECTED_ROWS_LIMIT])
RECENT, AS_AT = date(2015, 1, 1), date(2025, 10, 31)  # the delivery's month ends 31/10/2025: later events are R06
KEYS = st.sampled_from(["C1", "C2", "C3", "K001", "P1"])  # few ids, so duplicate rows and keys happen


def _family_value(column: FamilyColumn) -> st.SearchStrategy[str]:
    """A plausible value of a generic-family column (input contract §0.5), valid or nearly so."""
    kind = column.type
    if kind == "id":
        return KEYS
    if kind == "date":
        return st.dates(RECENT, AS_AT).map(lambda day: day.isoformat()) | st.dates().map(lambda day: day.isoformat())
    if kind == "datetime":
        moments = st.tuples(
            st.datetimes(datetime(2020, 1, 1), datetime(2025, 10, 31)) | st.datetimes(),
            st.sampled_from([" ", "T"]),
            st.sampled_from(["", "", "Z", "+01:00"]),
        )
        return moments.map(lambda parts: parts[0].isoformat(sep=parts[1], timespec="minutes") + parts[2])
    if kind == "int":
        return st.integers(-5, 120).map(str)
    if kind in ("dec", "gbp"):
        return st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=10**6).map(str)
    if kind in ("bool", "yn_na"):
        return st.sampled_from(["Y", "N", "yes", "no", "true", "0", "1", "NA", "maybe"])
    if kind == "json":
        return st.sampled_from(['{"a": 1}', "[1, 2]", "{", "null", '"text"', "{}"])
    if kind == "postcode":
        return st.sampled_from(["SL1 2EL", "sl12el", "XX", "GIR 0AA", "A1 1AA"])
    if kind == "month":
        return st.sampled_from(["2025-10", "2025-13", "2025-1", "1900-01"])
    if kind == "fy":
        return st.sampled_from(["2025-26", "2025-27", "2025", "2025/26"])
    if kind == "code" and column.codes:
        return st.sampled_from(sorted(column.codes)) | st.just("ZZ")
    return st.text(max_size=12)


def _903_value(column: Column903) -> st.SearchStrategy[str]:
    """A plausible value of an SSDA903 column (§1.1): dd/mm/yyyy dates, the 2025-26 code lists, UPNs, SW ids."""
    kind = column.type
    if column.name == "CHILD":
        return KEYS
    if kind in ("date", "partial_date"):
        formatted = st.dates(RECENT, AS_AT).map(lambda day: day.strftime("%d/%m/%Y"))
        return formatted | st.sampled_from(["01/05/2025", "31/10/2025", "2025-05-01", "/05/2025", "zz/05/2024"])
    if kind == "int":
        return st.integers(-2, 120).map(str)
    if kind == "postcode":
        return st.sampled_from(["SL1 2EL", "sl12el", "XX"])
    if kind == "upn":
        return st.sampled_from(["A123456789012", "UN1", "A12345678901X"])
    if kind == "code" and column.codes:
        return st.sampled_from(sorted(codes_for(column.codes, 2026))) | st.just("ZZ")
    return st.text(max_size=12)


def _field(plausible: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly plausible values; sometimes blank, a null literal, characters that break CSV, or an extreme value."""
    return st.one_of(plausible, plausible, plausible, plausible, st.just(""), NULL_LITERALS_SAMPLE, NASTY_TEXT, EXTREME)


@st.composite
def _header(draw: st.DrawFn, names: list[str], extra: list[str]) -> list[str]:
    """The table's columns, perhaps reordered, one dropped, one repeated, unknown or prohibited ones added, and
    names in odd case or padded."""
    header = list(names)
    if not one_in(draw, 4):  # three in four headers are the table's own
        return header
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    for _ in range(draw(st.integers(0, 2))):
        fault = draw(st.sampled_from(["drop", "repeat", "add", "case"]))
        if fault == "drop" and len(header) > 1:
            header.pop(draw(st.integers(0, len(header) - 1)))
        elif fault == "repeat":
            header.append(draw(st.sampled_from(header)))
        elif fault == "add":
            header.append(draw(st.sampled_from(extra)))
        else:
            position = draw(st.integers(0, len(header) - 1))
            header[position] = f" {header[position].swapcase()} "
    return header


@st.composite
def _csv_bytes(draw: st.DrawFn, header: list[str], values: dict[str, st.SearchStrategy[str]]) -> bytes:
    """Rows under `header` (some ragged), rendered by `csv` or by a naive join, with a line ending, BOM and blank
    lines drawn, then damaged at the byte level."""
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        clean = not one_in(draw, 3)  # two in three rows hold only plausible values
        strategies = [values.get(name.strip().lower(), st.text(max_size=5)) for name in header]
        row = [draw(strategy if clean else _field(strategy)) for strategy in strategies]
        if one_in(draw, 10):  # ragged: a field short or one too many
            row = row[:-1] if row and draw(st.booleans()) else [*row, "x"]
        rows.append(row)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if not one_in(draw, 4):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=ending).writerows([header, *rows])
        text = buffer.getvalue()
    else:
        text = ending.join(",".join(row) for row in [header, *rows]) + ending
    if one_in(draw, 6) and ending in text:
        position = draw(st.integers(0, text.count(ending)))
        lines = text.split(ending)
        text = ending.join([*lines[:position], "", *lines[position:]])  # a blank line
    if one_in(draw, 5):
        text = text.removesuffix(ending)
    data = ("\ufeff" if one_in(draw, 6) else "").encode() + text.encode("utf-8")
    return draw(mutated_bytes(data)) if one_in(draw, 4) else data


@st.composite
def family_files(draw: st.DrawFn, family: str) -> tuple[FamilySpec, str, bytes]:
    """(table, file name, bytes) of a generic-family CSV."""
    spec = draw(st.sampled_from([table for table in REGISTRY.tables if table.family == family]))
    names = [column.name for column in spec.columns]
    prohibited = sorted(spec.prohibited) or ["first_name"]
    header = draw(_header(names, ["extra_col", "la_code", prohibited[0]]))
    values = {column.name: _family_value(column) for column in spec.columns}
    values["la_code"] = st.sampled_from([LA, LA.lower(), "E06000001"])
    names = [
        f"{spec.name}.csv",
        f"{LA}_{spec.name}_20251103.csv",
        f"{spec.name}_part01.csv",
        f"{spec.name.upper()}.CSV",
    ]
    wrong = [f"{spec.name}.xlsx", f"{spec.name}.txt", "mystery_table.csv", f"E06000001_{spec.name}.csv"]
    name = draw(st.sampled_from(wrong) if one_in(draw, 8) else st.sampled_from(names))
    return spec, name, draw(_csv_bytes(header, values))


@st.composite
def files_903(draw: st.DrawFn) -> tuple[Spec903, str, bytes]:
    """(table, file name, bytes) of an SSDA903 CSV, recognised by its column set."""
    spec = draw(st.sampled_from(TABLES))
    names = [column.name for column in spec.columns]
    header = draw(_header(names, ["EXTRA", "CHILD", names[0]]))
    values = {column.name.lower(): _903_value(column) for column in spec.columns}
    name = draw(st.sampled_from([f"{spec.table}.csv", f"{spec.table}_2025-26.csv", f"{spec.table}.CSV"]))
    name = f"{spec.table}.xlsx" if one_in(draw, 8) else name
    return spec, name, draw(_csv_bytes(header, values))


def _extract_and_check(folder: str, name: str, data: bytes, month: str, row_limit: float) -> None:
    """Extract one file; `row_limit` stands in for F07's 2 %: at 1.0 a file with bad rows lands, so the row
    quarantine is fuzzed too, not only the file rejection a few bad rows in a small file earn."""
    with fresh_root() as root, mock.patch.object(extractor, "REJECTED_ROWS_LIMIT", row_limit):
        path = deliver_to(root / "inbound", folder, name, data, month=month)
        outcome = extract_file(
            path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive"
        )
        assert_accounted(root, outcome, csv_rows_in(data), one_issue_per_row=False)
        event(outcome_kind(outcome))


@given(file=files_903(), row_limit=ROW_LIMITS)
def test_fuzzed_903_files_land_quarantine_or_reject_and_lose_no_row(file: tuple, row_limit: float) -> None:
    _spec, name, data = file
    _extract_and_check("903", name, data, "2025-10", row_limit)


@given(family=st.sampled_from(sorted(FOLDER)), row_limit=ROW_LIMITS, data=st.data())
def test_fuzzed_family_csvs_land_quarantine_or_reject_and_lose_no_row(
    family: str, row_limit: float, data: st.DataObject
) -> None:
    _spec, name, content = data.draw(family_files(family))
    month = data.draw(st.sampled_from(["2025-10", "la-ref"])) if family == "ref" else "2025-10"
    _extract_and_check(FOLDER[family], name, content, month, row_limit)


def _professional(draw: st.DrawFn) -> str:
    """One ssd_professionals row: an id drawn from few (keys collide across the parts), a caseload and a flag."""
    caseload = draw(st.sampled_from(["12", "0", "x", ""]))
    return f"{draw(KEYS)},{caseload},{draw(st.sampled_from(['Y', 'N']))}"


@pytest.mark.slow
@given(data=st.data())
def test_fuzzed_parts_of_one_table_conserve_rows_through_the_delivery_pass(data: st.DataObject) -> None:
    """Two or three parts of ssd_professionals whose ids collide: the delivery-level pass (`extract.parts`) takes
    rows out of the live Parquet into `_held/`, and every ledger row still balances: rows read = rows landed (live
    Parquet) + rows quarantined (the file's own quarantine rows, plus its rows held by the delivery pass)."""
    header = "prof_professional_id,prof_professional_caseload,prof_agency_worker_flag"
    with fresh_root() as root, mock.patch.object(extractor, "REJECTED_ROWS_LIMIT", 1.0):
        delivered = {}
        for part in range(1, data.draw(st.integers(2, 3)) + 1):
            rows = [_professional(data.draw) for _ in range(data.draw(st.integers(0, 5)))]
            # Trailing blank lines (skipped by the reader) keep two parts with the same rows two loads: byte-identical
            # parts are one load, the second `unchanged`.
            content = "\n".join([header, *rows]) + "\n" * part
            name = f"ssd_professionals_part{part:02d}.csv"
            deliver_to(root / "inbound", "ssd", name, content)
            delivered[f"{LA}/2025-10/ssd/{name}"] = csv_rows_in(content.encode())
        outcomes = extract_all(root / "inbound", root / "landing", root / "archive", date(2025, 10, 31))
        assert sorted(outcome.source_file for outcome in outcomes) == sorted(delivered)
        landing_dir = root / "landing"
        delivery_quarantine = _read_rows(landing_dir / "_quarantine" / "rows" / f"delivery-{LA}-2025-10.parquet")
        for outcome in outcomes:
            ledger = read_ledger(landing_dir, outcome.load_id)
            assert ledger["outcome"] == outcome.outcome == "landed", outcome
            assert ledger["rows_read"] == delivered[outcome.source_file]
            assert ledger["rows_read"] == ledger["rows_landed"] + ledger["rows_quarantined"], ledger
            live = landing_dir / "ssd" / "professionals" / f"la_code={LA}" / f"{outcome.load_id}.parquet"
            held = landing_dir / "_held" / "ssd" / "professionals" / f"la_code={LA}" / f"{outcome.load_id}.parquet"
            assert len(_read_rows(live)) == ledger["rows_landed"]
            own = {row["source_row"] for row in _read_rows(landing_dir / "_quarantine/rows" / live.name)}
            taken = {row["source_row"] for row in delivery_quarantine if row["load_id"] == outcome.load_id}
            assert {row["source_row"] for row in _read_rows(held)} == taken
            assert not own & taken and len(own) + len(taken) == ledger["rows_quarantined"], (own, taken, ledger)


def _read_rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist() if path.is_file() else []
