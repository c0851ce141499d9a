"""What every fuzzed input must come to, and the pieces the fuzz strategies are built from.

`assert_accounted` is the property of docs/operations.md "Bad input": an extracted file either lands (its rows split
exactly between the landed Parquet and the row quarantine, each quarantined row naming file, row, field and rule), or
is rejected whole with one line naming the file and the problem. An unexpected exception is never an outcome: the
extract tests run strict (`CSC_EXTRACT_STRICT=1`), so one escapes the extractor and fails the example.

The count of rows delivered is computed here independently of the readers (Python's `csv` module for CSV, a full
lxml parse for CIN XML), so a reader that drops or invents a row is caught even when its own counts agree.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import strategies as st
from lxml import etree

from extract import FileOutcome
from extract.landing import read_ledger

# A rejection names the file, then the rule (F01-F09; W02 for a table the year or v1 does not read), then the reason.
_REJECTION = re.compile(r"^(?P<file>[^\n]+?): (?P<rule>[FW]\d\d) (?P<reason>\S[^\n]*)$")
_ROW_RULE = re.compile(r"^(R0[1-6]|W01)$")
# CIN elements that are one landed record each (input contract §1.2.6): the nine tables' rows.
CIN_RECORD_TAGS = (
    "Child",
    "Disability",
    "CINdetails",
    "Assessments",
    "AssessmentFactors",
    "CINPlanDates",
    "Section47",
    "ChildProtectionPlans",
    "CPPreviewDate",
)


@contextmanager
def fresh_root() -> Iterator[Path]:
    """A throwaway data folder per example: pytest's tmp_path is one per test, hypothesis runs many examples."""
    with tempfile.TemporaryDirectory(prefix="csc-fuzz-") as name:
        yield Path(name)


def csv_rows_in(data: bytes) -> int | None:
    """Data records of a CSV as the contract reads it (UTF-8, BOM stripped, RFC 4180, blank lines skipped, header
    on line 1), counted with Python's `csv` module alone; None when the file is not readable that way."""
    try:
        text = data.decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    if not records or not records[0]:
        return None
    return sum(1 for record in records[1:] if record)


def cin_rows_in(data: bytes) -> int | None:
    """Records of the nine CIN tables in a well-formed document (elements under Children only), or None."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    children = root.find("Children")
    if children is None:
        return None
    return sum(1 for element in children.iter(*CIN_RECORD_TAGS))


def landed_row_count(root: Path, outcome: FileOutcome) -> int:
    """Rows of every landed Parquet of the load, whichever family and table folder holds them."""
    files = (root / "landing").glob(f"*/*/la_code=*/{outcome.load_id}.parquet")
    return sum(pq.ParquetFile(path).metadata.num_rows for path in files if not path.parts[-4].startswith("_"))


def assert_accounted(root: Path, outcome: FileOutcome, rows_in: int | None, *, one_issue_per_row: bool) -> None:
    """The property every fuzzed file must have (module docstring). `rows_in` is the independent count of data rows
    (None: unknown, e.g. the file is not readable at all). `one_issue_per_row`: each quarantined row has exactly one
    finding (CIN records), else a row may have several (CSV rows: one per failing field)."""
    landing_dir = root / "landing"
    assert outcome.outcome in ("landed", "rejected"), outcome
    ledger = read_ledger(landing_dir, outcome.load_id)
    assert ledger is not None, f"no ledger row for {outcome.load_id}"
    counts = ("outcome", "rows_read", "rows_landed", "rows_quarantined", "source_file")
    assert {name: ledger[name] for name in counts} == {name: getattr(outcome, name) for name in counts}
    quarantined = _read(landing_dir / "_quarantine" / "rows" / f"{outcome.load_id}.parquet")
    for row in quarantined:  # every quarantined row names its file, row, rule and reason
        assert row["source_file"] == outcome.source_file and row["load_id"] == outcome.load_id, row
        assert row["source_row"] is not None and row["source_row"] >= 1, row
        assert _ROW_RULE.match(row["rule_code"]) and row["message"] and "\n" not in row["message"], row
        assert row["value_hash"] and len(row["value_hash"]) == 64, row
    if outcome.outcome == "rejected":
        assert outcome.rows_landed == 0 and landed_row_count(root, outcome) == 0, outcome
        match = _REJECTION.match(outcome.message or "")
        assert match and match["file"] == outcome.source_file, outcome.message
        assert "unexpected error" not in outcome.message, outcome.message
        assert (landing_dir / "_quarantine" / "files" / f"{outcome.load_id}.json").is_file()
        assert not (landing_dir / "_warnings" / f"{outcome.load_id}.parquet").exists()
        return
    # Landed: row conservation, against the reader's own counts, the files written and the independent count.
    assert outcome.rows_read == outcome.rows_landed + outcome.rows_quarantined, outcome
    assert landed_row_count(root, outcome) == outcome.rows_landed, outcome
    if rows_in is not None:
        assert outcome.rows_read == rows_in, (outcome, rows_in)
    rows = [row["source_row"] for row in quarantined]
    if one_issue_per_row:
        assert len(rows) == outcome.rows_quarantined, (outcome, quarantined)
    else:
        assert len(set(rows)) == outcome.rows_quarantined, (outcome, quarantined)
        landed_rows = _landed_source_rows(root, outcome)
        assert len(landed_rows) == len(set(landed_rows)) == outcome.rows_landed
        assert not set(landed_rows) & set(rows), "a row both landed and quarantined"
        assert all(row >= 2 for row in [*landed_rows, *rows]), "a data row numbered as the header"
    assert not (landing_dir / "_quarantine" / "files" / f"{outcome.load_id}.json").exists()


def outcome_kind(outcome: FileOutcome) -> str:
    """A label for hypothesis's statistics (`--hypothesis-show-statistics`): the outcome and, if rejected, the rule;
    if landed, whether any row was quarantined."""
    if outcome.outcome == "rejected":
        return f"rejected {(outcome.message or '').split(': ', 1)[-1][:3]}"
    return "landed with quarantine" if outcome.rows_quarantined else "landed clean"


def _landed_source_rows(root: Path, outcome: FileOutcome) -> list[int]:
    rows: list[int] = []
    for path in (root / "landing").glob(f"*/*/la_code=*/{outcome.load_id}.parquet"):
        if not path.parts[-4].startswith("_"):
            rows.extend(pq.read_table(path, columns=["source_row"]).column(0).to_pylist())
    return rows


def _read(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist() if path.is_file() else []


# --- pieces of malformed input -------------------------------------------------------------------------------------

# Characters that break CSV and XML readers: separators, quotes, line ends, NUL, a lone surrogate's UTF-8 neighbours.
NASTY_TEXT = st.text(
    alphabet=st.sampled_from([",", '"', "\n", "\r", "\x00", " ", "\t", ";", "é", "ß", "<", "&", "\ufeff", "x", "1"]),
    max_size=6,
)
NULL_LITERALS_SAMPLE = st.sampled_from(["NULL", "null", "N/A", "NA", "none", "-", "?"])
# Values that have broken parsers elsewhere: huge numbers, deep JSON, odd dates, exponent decimals.
EXTREME = st.sampled_from(
    [
        "9" * 5000,
        "1e999999",
        "-0",
        "+",
        "[" * 3000,
        '{"a":' * 1500,
        "0000-00-00",
        "2025-02-29",
        "29/02/2025",
        "31/04/2025",
        "9999-12-31",
        "9999-12-31T23:59:60",
        "2025-10-01T25:61",
        "1.2.3",
        "NaN",
        "Infinity",
        "1_000",
        "٣",  # a non-ASCII digit: isdigit() but not an ASCII number
        "x" * 300,
    ]
)


def one_in(draw: st.DrawFn, n: int) -> bool:
    """True about once in `n` draws. The rare branch is the largest integer, not the smallest: hypothesis tries
    small values first and shrinks towards them, so the fault stays the exception and a failure shrinks towards
    the ordinary file."""
    return draw(st.integers(1, n)) == n


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with zero to two byte-level faults: truncated, a byte inserted, a span deleted, a span repeated."""
    for _ in range(draw(st.integers(0, 2))):
        if not data:
            break
        position = draw(st.integers(0, len(data)))
        fault = draw(st.sampled_from(["truncate", "insert", "delete", "repeat"]))
        if fault == "truncate":
            data = data[:position]
        elif fault == "insert":
            byte = draw(st.sampled_from([b'"', b"\x00", b"\xff", b"\xc3", b"\r", b"\n", b",", b"<", b"&"]))
            data = data[:position] + byte + data[position:]
        elif fault == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 8)) :]
        else:
            data = data[:position] + data[position : position + 40] + data[position:]
    return data
