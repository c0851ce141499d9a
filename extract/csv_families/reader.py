"""Read one file of a generic CSV family (SSD, local, HR, finance, reference) as the input contract defines it.

Recognition is by FILE NAME (§0.2): `[<la_code>_]<table>[_<YYYYMMDD>][_partNN].csv`, case-insensitive, where
`<table>` is a table of the folder's family in `extract.csv_families.registry`; anything else is F02 (a known table
in the wrong family folder says where it belongs; an SSD table v1 does not read is W02). Each `_partNN` file is its
own load of the same table, so the parts land side by side and are read together; a key repeated across two parts
is W01 or R03 in the delivery-level pass (`extract.parts`), since one file's task cannot see the others.

Then §0.4: UTF-8, RFC 4180, one header row, names trimmed and case-insensitive; duplicate names F04; a required (N)
column absent F03 (a one-column header holding `;`, tab or `|` is named as a wrong delimiter); an unknown column is
ignored with W02, or dropped with W10 when it is prohibited (§11.2); a `la_code` column must equal the folder (F06).
Prohibited columns are never read into a row, so nothing of them reaches the landing area (nor the archive: see
`extract.extractor.extract_file`).

Rows (§0.5, §0.8): R01 type, R02 unknown ★ code, R04 required null, R05 table rules, R06 future event; W03 null
literal, W04 date in a datetime column, W05 unknown non-key code or bad postcode (nulled); exact duplicates W01 and
conflicting primary keys R03, as for the 903. The checks run column by column (`extract.csv_families.columns`);
only rows with something to report go through the per-row `_check_row`, which words every finding.

`ref_bank_holidays` may also come as the gov.uk `bank-holidays.json` (§5; `extract.csv_families.bank_holidays`):
its england-and-wales events are read as the rows of the CSV and land in the same table.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.columnar import strip
from extract.csv_families.bank_holidays import is_bank_holidays_json, parse_bank_holidays
from extract.csv_families.columns import clean_column
from extract.csv_families.overlap_cap import rows_over_cap
from extract.csv_families.registry import REGISTRY
from extract.csv_families.row_set import Rows, broken_table_rules, distinct_rows, month_in_fy, patched, resolve_keys
from extract.csv_families.spec import Column, TableSpec
from extract.csv_families.values import parse_value
from extract.csv_reader import FileRejected, ParsedCsv, parse_csv
from extract.csv_stream import StreamedCsv
from extract.delivery import FileContext
from extract.landing import METADATA_FIELDS
from extract.reading import Checked, LandedTable, Recognised
from extract.rows import NULL_LITERALS, Issue
from extract.streamed_check import Staging, check_streamed

CSV_FAMILIES = frozenset({"ssd", "local", "hr", "fin", "ref"})
_LA_PREFIX = re.compile(r"^(e(?:06|08|09|10)\d{6})_")
_SUFFIX = re.compile(r"(_part\d+|_\d{8})$")
# Unknown columns whose names say they hold what §11.2 prohibits: names, NI/NHS numbers, dates of birth, addresses,
# pay and bank details, court references, free-text notes and diagnoses.
_PROHIBITED_NAME = re.compile(
    r"(forename|surname|first_?name|last_?name|full_?name|given_?name|family_?name|maiden|(^|_)name$|ni_?number|"
    r"national_insurance|(^|_)nino$|nhs_?(number|no)|date_of_birth|birth_?date|(^|_)dob$|address|(^|_)street|"
    r"bank|sort_?code|account_?(number|no)|salary|(^|_)pay(_|$)|court_reference|plo_family|case_?note|"
    r"(^|_)notes?$|free_?text|diagnos|absence_reason|sickness_reason)"
)
_ALL_PROHIBITED = frozenset().union(*(spec.prohibited for spec in REGISTRY.tables))


def read_family_csv(data: bytes | StreamedCsv, context: FileContext) -> Recognised:
    """A generic-family file; a large CSV comes as a `StreamedCsv` and is checked batch by batch."""
    name = Path(context.source_file).name
    spec, problem = recognise_name(name, context.family, context.la_code)
    if spec is None:
        return Recognised(table_name=problem[2], problem=problem[:2]) if problem else Recognised(None)
    base = {"table_name": spec.name, "folders": (spec.folder,)}
    if problem:
        return Recognised(**base, problem=problem[:2])
    try:
        if isinstance(data, StreamedCsv):
            parsed = data
        else:
            parsed = parse_bank_holidays(data) if _is_json(name) else parse_csv(data)
    except FileRejected as rejected:
        return Recognised(**base, problem=(rejected.rule_code, rejected.message))
    layout = _Layout(spec, [header.lower() for header in parsed.header])
    problem = layout.missing_problem() or layout.la_code_problem(parsed, context.la_code)
    if problem:
        return Recognised(**base, data_rows=parsed.row_count, problem=problem)
    if isinstance(parsed, StreamedCsv):
        return Recognised(
            **base,
            data_rows=parsed.row_count,
            check=partial(_check_streamed, spec, layout, parsed, context),
            streamed=True,
        )
    return Recognised(
        **base,
        data_rows=parsed.row_count,
        check=lambda: _check(spec, layout, parsed, context),
    )


def _check_streamed(
    spec: TableSpec, layout: _Layout, source: StreamedCsv, context: FileContext, staging: Staging
) -> Checked:
    """`_check` batch by batch (`extract.streamed_check`). A table with a rule over a person's rows (the overlap
    cap of hr_employee) is checked whole."""
    check = partial(_check, spec, layout, context=context)
    if spec.overlap_cap is not None:
        return check(source.whole())
    keys = [
        layout.positions[name]
        for name in spec.pk
        if name in layout.positions and spec.column(name).required and spec.column(name).type in ("id", "str")
    ]
    return check_streamed(source, check, keys, staging)


def _is_json(name: str) -> bool:
    return name.lower().endswith(".json")


COMPRESSED = frozenset({"gz", "zip", "bz2", "xz", "7z", "zst"})


def recognise_name(
    name: str, family: str, la_code: str | None
) -> tuple[TableSpec | None, tuple[str, str, str | None] | None]:
    """The table a file name names, and the problem (rule code, reason, table name) that rejects it, if any."""
    lowered = name.lower()
    stem, dot, extension = lowered.rpartition(".")
    if not dot:
        stem, extension = lowered, ""
    if extension in COMPRESSED:
        # `ssd_person.csv.gz` would otherwise read as a table called `ssd_person.csv` and match none: name the table
        # the rest of the name names (LA prefix and part suffix handled as usual), and reject for the compression.
        spec, _problem = recognise_name(name[: -len(extension) - 1], family, la_code)
        reason = f"a compressed file (.{extension}): {family} tables are delivered as uncompressed CSV"
        return spec, ("F02", reason + " (input contract §0.1)", None)
    prefix = _LA_PREFIX.match(stem)
    if prefix:
        stem = stem[prefix.end() :]
    while _SUFFIX.search(stem):
        stem = _SUFFIX.sub("", stem)
    if family == "ref" and is_bank_holidays_json(stem, extension):
        return REGISTRY.find("ref_bank_holidays"), None
    spec = REGISTRY.find(stem)
    if spec is None:
        for ignored, reason in REGISTRY.ignored.items():
            if stem == ignored or (ignored.endswith("_") and stem.startswith(ignored)):
                return None, ("W02", f"{stem} {reason}: the file is ignored", stem)
        example = next(table.name for table in REGISTRY.tables if table.family == family)
        return None, ("F02", f"file name matches no {family} table of the input contract (e.g. {example}.csv)", None)
    if spec.family != family:
        return spec, ("F02", f"{spec.name} is a {spec.family} table: deliver it in the {spec.family}/ folder", None)
    if extension != "csv":
        shown = f".{extension}" if extension else "no extension"
        reason = f"not a .csv file ({shown}): {family} tables are delivered as CSV only (input contract §0.1)"
        return spec, ("F02", reason, None)
    if prefix and la_code and prefix.group(1).upper() != la_code:
        return spec, ("F06", f"file name prefix {prefix.group(1).upper()} differs from the folder {la_code}", None)
    return spec, None


def prohibited_columns_in_header(context: FileContext, data: bytes) -> list[str]:
    """The prohibited columns (§11.2) of a generic-family file's header; [] for any other file or unreadable header."""
    if context.family not in CSV_FAMILIES or _is_json(Path(context.source_file).name):
        return []
    spec, _problem = recognise_name(Path(context.source_file).name, context.family, context.la_code)
    try:
        first_line = data[: 1 << 16].decode("utf-8-sig", errors="strict").splitlines()[0]
        header = [name.strip().lower() for name in next(csv.reader(io.StringIO(first_line)))]
    except (UnicodeDecodeError, IndexError, csv.Error, StopIteration):
        return []
    return [name for name in header if _is_prohibited(spec, name)]


def _is_prohibited(spec: TableSpec | None, name: str) -> bool:
    if name in _ALL_PROHIBITED:
        return True
    known = spec.names if spec else frozenset()
    return name not in known and name != "la_code" and bool(_PROHIBITED_NAME.search(name))


@dataclass
class _Layout:
    """Where each column of the table is in the file's header, and what the other header names are."""

    spec: TableSpec
    header: list[str]

    def __post_init__(self) -> None:
        names = [self.spec.la_code_as if name == "la_code" and self.spec.la_code_as else name for name in self.header]
        self.positions = {name: index for index, name in enumerate(names) if name in self.spec.names}
        self.la_code_position = names.index("la_code") if "la_code" in names else None
        others = [name for name in names if name not in self.spec.names and name != "la_code"]
        self.prohibited = [name for name in others if _is_prohibited(self.spec, name)]
        self.unknown = [name for name in others if name not in self.prohibited]

    def missing_problem(self) -> tuple[str, str] | None:
        missing = [column.name for column in self.spec.columns if column.required and column.name not in self.positions]
        if not missing:
            return None
        reason = f"required column(s) absent: {', '.join(missing)}"
        if len(self.header) == 1 and (delimiter := next((d for d in ";\t|" if d in self.header[0]), None)):
            reason += f" (the header is one column holding {delimiter!r}: the delimiter must be a comma)"
        return ("F03", reason)

    def la_code_problem(self, parsed: ParsedCsv | StreamedCsv, la_code: str | None) -> tuple[str, str] | None:
        if self.la_code_position is None or la_code is None:
            return None
        if isinstance(parsed, StreamedCsv):
            return next(filter(None, (self.la_code_problem(batch, la_code) for batch in parsed.batches())), None)
        records = parsed.records if parsed.columns is None else self._suspect_la_codes(parsed, la_code)
        for number, fields in records:
            value = fields[self.la_code_position].strip() if self.la_code_position < len(fields) else ""
            if value and value not in NULL_LITERALS and value.upper() != la_code:
                return ("F06", f"la_code {value!r} on line {number} differs from the folder {la_code}")
        return None

    def _suspect_la_codes(self, parsed: ParsedCsv, la_code: str) -> list[tuple[int, list[str]]]:
        """The records of an Arrow read whose la_code is not blank, a null literal or the folder's code itself
        (each of which passes `la_code_problem`), as (number, fields) with the la_code at its position."""
        texts = strip(parsed.columns[self.la_code_position])
        suspect = pc.invert(pc.or_(pc.equal(texts, ""), pc.is_in(texts, value_set=pa.array(sorted(NULL_LITERALS)))))
        if la_code == la_code.upper():
            suspect = pc.and_(suspect, pc.not_equal(texts, la_code))
        indices = np.flatnonzero(suspect.to_numpy(zero_copy_only=False))
        position = self.la_code_position
        raw = parsed.columns[position].take(pa.array(indices, pa.int64())).to_pylist()
        numbers = parsed.numbers()[indices].tolist()
        return [(number, [""] * position + [value]) for number, value in zip(numbers, raw, strict=True)]


def _check(spec: TableSpec, layout: _Layout, parsed: ParsedCsv, context: FileContext) -> Checked:
    """Every row rule, column by column: a row the column-wise pass (`columns.clean_column`) finds clean lands as
    parsed; any other row is checked alone by `_check_row`, which words its findings."""
    checked = Checked(rows_read=parsed.row_count, tables=[])
    for name in layout.prohibited:
        message = f"{name} is a prohibited personal-data column (input contract §11.2): dropped, never landed"
        checked.warnings.append(Issue(1, name, None, True, "W10", message))
    for name in layout.unknown:
        checked.warnings.append(Issue(1, name, None, True, "W02", f"{name} is not a column of {spec.name}: ignored"))
    rows = distinct_rows(layout.header, layout.positions, spec.pk, parsed, checked.quarantine)
    count = len(rows.numbers)
    values: dict[str, pa.Array] = {}
    flagged = np.zeros(count, dtype=bool)
    for column in spec.columns:
        texts = rows.texts.get(column.name)
        if texts is None:  # an optional column the file lacks: null (a required one is F03 before this)
            values[column.name] = pa.nulls(count, column.arrow_type)
            continue
        values[column.name], found = clean_column(column, texts, context.as_at_date)
        flagged |= found
    broken = broken_table_rules(spec, values, count)
    if broken is not None:
        flagged |= broken
    positions = np.flatnonzero(flagged)
    rejected: set[int] = set()
    slow_warnings: dict[int, list[Issue]] = {}
    patches: dict[int, dict[str, object]] = {}
    for index, fields in zip(positions.tolist(), rows.fields(positions), strict=True):
        row = _check_row(spec, layout, int(rows.numbers[index]), fields, context)
        if row.errors:
            checked.quarantine.extend(row.errors)
            rejected.add(index)
            continue
        slow_warnings[index] = row.warnings
        patches[index] = row.values
    values = patched(values, patches, count)
    kept = resolve_keys(spec, rows, values, checked, rejected, context.la_code)
    if spec.overlap_cap is not None and len(kept):
        kept = _reject_over_cap(spec, rows, values, kept, checked)
    if slow_warnings:
        kept_set = set(kept.tolist())
        for index in sorted(slow_warnings):
            if index in kept_set:
                checked.warnings.extend(slow_warnings[index])
    checked.quarantine.sort(key=lambda issue: issue.source_row)
    # Every quarantined row is a data row with an R* finding or a W01 drop, never both.
    checked.rows_quarantined = len({issue.source_row for issue in checked.quarantine})
    checked.rows_rejected = len({issue.source_row for issue in checked.quarantine if issue.rule_code != "W01"})
    schema = pa.schema([(column.name, column.arrow_type) for column in spec.columns] + METADATA_FIELDS)
    if len(kept) != count:
        taken = pa.array(kept, pa.int64())
        values = {name: column_values.take(taken) for name, column_values in values.items()}
    landed = LandedTable(spec.folder, schema, columns=values, source_rows=rows.numbers[kept])
    checked.tables = [landed]
    return checked


def _reject_over_cap(
    spec: TableSpec, rows: Rows, values: dict[str, pa.Array], kept: np.ndarray, checked: Checked
) -> np.ndarray:
    """R05 on each kept row that takes a person's overlapping assignments over the table's cap (§4.1)."""
    rule = spec.overlap_cap
    over = rows_over_cap(rule, values, kept)
    if not over:
        return kept
    column = spec.column(rule.amount)
    for index, message in sorted(over.items()):
        text = rows.texts[rule.amount][index].as_py()
        checked.quarantine.append(Issue(int(rows.numbers[index]), column.name, text, column.personal, "R05", message))
    return np.array([index for index in kept.tolist() if index not in over], dtype=np.int64)


@dataclass
class _Row:
    number: int
    values: dict[str, object]
    errors: list[Issue]
    warnings: list[Issue]


def _check_row(spec: TableSpec, layout: _Layout, number: int, fields: list[str], context: FileContext) -> _Row:
    row = _Row(number, {}, [], [])
    failed: set[str] = set()

    def issue(column: Column, text: str | None, rule_code: str, message: str) -> Issue:
        return Issue(number, column.name, text, column.personal, rule_code, message)

    for column in spec.columns:
        position = layout.positions.get(column.name)
        text = fields[position].strip() if position is not None else ""
        row.values[column.name] = None
        if text in NULL_LITERALS:
            row.warnings.append(issue(column, text, "W03", f"{column.name} '{text}' is a null literal: null"))
            text = ""
        if text == "":
            if column.required:
                row.errors.append(issue(column, None, "R04", f"{column.name} is required but blank"))
                failed.add(column.name)
            continue
        value, rule_code, message = parse_value(column, text, context.as_at_date)
        if rule_code in ("R01", "R02", "R06"):
            row.errors.append(issue(column, text, rule_code, message))
            failed.add(column.name)
            continue
        if rule_code is not None:  # W04 (value kept) or W05 (nulled)
            row.warnings.append(issue(column, text, rule_code, message))
        row.values[column.name] = value
    for names in spec.at_least_one:
        if not failed.intersection(names) and all(row.values[name] is None for name in names):
            column = spec.column(names[0])
            row.errors.append(issue(column, None, "R04", f"one of {', '.join(names)} is required"))
    for first, second in spec.not_both:
        if row.values[first] is not None and row.values[second] is not None:
            row.errors.append(issue(spec.column(second), None, "R05", f"{first} and {second} are both given"))
    for start, end in spec.orderings:
        low, high = row.values[start], row.values[end]
        if low is not None and high is not None and high < low:
            column = spec.column(end)
            text = fields[layout.positions[end]].strip()
            relation = "less than" if column.type in ("int", "dec", "gbp") else "before"
            row.errors.append(issue(column, text, "R05", f"{end} is {relation} {start}"))
    for month, fy in spec.within_fy:
        if not month_in_fy(row.values[month], row.values[fy]):
            text = fields[layout.positions[month]].strip()
            message = f"{month} is outside its financial year ({fy} {row.values[fy]})"
            row.errors.append(issue(spec.column(month), text, "R05", message))
    return row
