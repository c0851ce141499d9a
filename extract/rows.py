"""Row checks of a recognised 903 file (input contract §0.5, §0.8, §1.1.2, §1.1.4-§1.1.6), driven by the registry.

Per row: types and formats (R01), required values (R04), ★ key codes for the file's collection year (R02, or W07 for
a retired code on an episode that ended before the retirement), conditional and ordering rules (R05), events after
the as-at date (R06); non-key codes and postcodes that fail are nulled with W05. Across rows: exact duplicates are
dropped (W01, the first kept) and conflicting duplicate keys reject every row with that key (R03).

Null literals: in 903 files an empty field is null, and so are `NULL`, `null`, `None`, `N/A`, `#N/A` and `nan`
(§0.4; W03 is raised for non-statutory files only, so here they are silently null).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.codes import codes_for, retired_from, schema_year
from extract.columnar import distinct_count, strip
from extract.csv_reader import ParsedCsv
from extract.tables import PARTIAL_DATE_PRECISION_SUFFIX, PRESENT, Column, Conditional, TableSpec

NULL_LITERALS = frozenset({"NULL", "null", "None", "N/A", "#N/A", "nan"})
EARLIEST_DATE = date(1900, 1, 1)
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_PARTIAL_DATE = re.compile(r"^(\d{2}|zz)/(\d{2}|zz)/(\d{4})$", re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z0-9._:/#-]{1,64}$")
_INT = re.compile(r"^[+-]?\d+$")
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
_UPN_UNKNOWN = frozenset({"UN1", "UN2", "UN3", "UN4", "UN5"})
_UPN_UNKNOWN_WARNED = frozenset({"UN6", "UN7"})
_FLAGGED = object()  # a value the per-row check has something to say about
# The gov.uk (BS 7666) postcode pattern, applied after removing spaces and inserting one before the inward code.
_POSTCODE = re.compile(
    r"^(GIR 0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) "
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


@dataclass(frozen=True)
class Issue:
    """One finding on one row: quarantine (R*, W01) or warning (W05, W07). `raw` is the value as delivered."""

    source_row: int
    field: str | None
    raw: str | None
    personal: bool
    rule_code: str
    message: str


@dataclass
class RowResult:
    rows_read: int = 0
    columns: dict[str, list] = field(default_factory=dict)  # landed name -> the kept rows' values, in file order
    source_rows: list[int] = field(default_factory=list)  # the kept rows' record numbers
    quarantine: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)  # rows with an R* finding
    dropped_rows: set[int] = field(default_factory=set)  # W01 duplicates

    @property
    def rows_quarantined(self) -> int:
        return len(self.rejected_rows | self.dropped_rows)


def _a(label: str | None) -> str:
    """'a legal status', 'an accommodation'."""
    return f"an {label}" if label and label[0].lower() in "aeiou" else f"a {label}"


def normalise_postcode(text: str) -> str | None:
    """`sl12el` -> `SL1 2EL`; None when it is not a valid UK postcode."""
    compact = "".join(text.split()).upper()
    candidate = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
    return candidate if _POSTCODE.match(candidate) else None


def check_rows(spec: TableSpec, parsed: ParsedCsv, collection_year: str, as_at: date) -> RowResult:
    """Check every record of a file recognised as `spec`; see the module docstring for the rules.

    Column by column first: a row whose every value parses cleanly and which breaks no table rule lands as parsed.
    Any other row is checked alone by `_RowChecker.check`, which words its findings, so the quarantine and warnings
    are those of the per-row rules; the column pass only spares the clean rows the per-row work.
    """
    checker = _RowChecker(spec, collection_year, as_at)
    result = RowResult(rows_read=parsed.row_count)
    numbers, by_column = _distinct_columns(spec, parsed, result)
    count = len(numbers)
    values: dict[str, list] = {}
    supplied: dict[str, list[bool]] = {}
    flagged: set[int] = set()
    for column, texts in zip(spec.columns, by_column, strict=True):
        values[column.name], supplied[column.name], found = checker.clean_column(column, texts)
        flagged.update(found)
    flagged.update(checker.broken_table_rules(values, supplied, flagged, count))
    landed = checker.landed_columns(values)
    rejected: set[int] = set()
    slow_warnings: dict[int, list[Issue]] = {}
    for index in sorted(flagged):
        row, errors, warnings = checker.check(numbers[index], _row(by_column, index))
        if errors:
            result.quarantine.extend(errors)
            result.rejected_rows.add(numbers[index])
            rejected.add(index)
            continue
        slow_warnings[index] = warnings
        for name, value in row.items():
            landed[name][index] = value
    kept = _resolve_duplicate_keys(spec, numbers, landed, rejected, result)
    for index in kept:
        result.warnings.extend(slow_warnings.get(index, ()))
    result.quarantine.sort(key=lambda issue: issue.source_row)
    if len(kept) != count:
        landed = {name: [column[index] for index in kept] for name, column in landed.items()}
    result.columns = landed
    result.source_rows = [numbers[index] for index in kept]
    return result


def _distinct_columns(spec: TableSpec, parsed: ParsedCsv, result: RowResult) -> tuple[list[int], list[Sequence[str]]]:
    """The records to check (numbers, and the trimmed values of each `spec` column): a wrong number of fields is
    R01, an exact duplicate (once trimmed) of an earlier record W01. A file read by Arrow is trimmed column-wise
    and, when one column's values are all different (no record can repeat another), never looked at row by row."""
    positions = [parsed.header.index(column.name) for column in spec.columns]
    if parsed.columns is not None:
        texts = [strip(parsed.columns[position]) for position in positions]
        count = parsed.row_count
        if count < 2 or distinct_count(texts) == count:
            return parsed.numbers().tolist(), texts
    numbers, raws = _distinct_records(spec, parsed.header, parsed.records, result)
    return numbers, list(zip(*raws, strict=True)) if raws else [() for _ in spec.columns]


def _row(by_column: list[Sequence[str]], index: int) -> tuple[str, ...]:
    """One record's trimmed values, from the columns (Arrow arrays or tuples)."""
    return tuple(column[index].as_py() if isinstance(column, pa.Array) else column[index] for column in by_column)


def _distinct_records(
    spec: TableSpec, header: list[str], records: list[tuple[int, list[str]]], result: RowResult
) -> tuple[list[int], list[tuple[str, ...]]]:
    """The records to check (numbers, trimmed values in `spec` column order): a wrong number of fields is R01, an
    exact duplicate (once trimmed) of an earlier record W01."""
    positions = [header.index(column.name) for column in spec.columns]
    width = len(header)
    strip = str.strip
    numbers: list[int] = []
    raws: list[tuple[str, ...]] = []
    first_of: dict[tuple[str, ...], int] = {}
    for number, fields in records:
        if len(fields) != width:
            message = f"row has {len(fields)} fields, the header has {width}"
            result.quarantine.append(Issue(number, None, ",".join(fields), True, "R01", message))
            result.rejected_rows.add(number)
            continue
        raw = tuple([strip(fields[position]) for position in positions])
        first = first_of.setdefault(raw, number)
        if first != number:
            message = f"exact duplicate of row {first}: dropped"
            result.quarantine.append(Issue(number, None, ",".join(fields), True, "W01", message))
            result.dropped_rows.add(number)
            continue
        numbers.append(number)
        raws.append(raw)
    return numbers, raws


def _resolve_duplicate_keys(
    spec: TableSpec, numbers: list[int], landed: dict[str, list], rejected: set[int], result: RowResult
) -> list[int]:
    """R03 for every row of a key held by rows that differ; W01 for rows equal to an earlier one once normalised.
    Returns the positions of the rows kept, in file order."""
    candidates = [index for index in range(len(numbers)) if index not in rejected]
    key_columns = [landed[name.lower()] for name in spec.pk]
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for index in candidates:
        by_key[tuple([column[index] for column in key_columns])].append(index)
    if len(by_key) == len(candidates):
        return candidates
    columns = list(landed.values())
    dropped: set[int] = set()
    for key, group in by_key.items():
        if len(group) < 2:
            continue
        rows = [tuple([column[index] for column in columns]) for index in group]
        if all(row == rows[0] for row in rows):
            for index in group[1:]:
                message = f"duplicate of row {numbers[group[0]]} once trimmed and upper-cased: dropped"
                result.quarantine.append(Issue(numbers[index], None, None, True, "W01", message))
                result.dropped_rows.add(numbers[index])
                dropped.add(index)
            continue
        group_numbers = [numbers[index] for index in group]
        for index in group:
            number = numbers[index]
            others = ", ".join(str(other) for other in group_numbers if other != number)
            message = f"key ({', '.join(spec.pk)}) also on row(s) {others} with different values"
            result.quarantine.append(Issue(number, ",".join(spec.pk), "|".join(map(str, key)), True, "R03", message))
            result.rejected_rows.add(number)
            rejected.add(index)
    return [index for index in candidates if index not in rejected and index not in dropped]


class _RowChecker:
    """The per-row rules of one table for one collection year and as-at date."""

    def __init__(self, spec: TableSpec, collection_year: str, as_at: date) -> None:
        self.spec = spec
        self.collection_year = collection_year
        self.year = schema_year(collection_year)
        self.as_at = as_at

    def clean_column(self, column: Column, texts: Sequence[str]) -> tuple[list, list[bool], list[int]]:
        """(parsed values, supplied flags, positions needing the per-row check) of one column's trimmed texts. A
        value is clean when `_parse` would take it without a finding; a null literal is silently null (903). An
        Arrow column is parsed once per distinct text, and the results spread back over the rows."""
        if not isinstance(texts, pa.Array):
            return self._clean_texts(column, texts)
        encoded = pc.dictionary_encode(texts)
        distinct = encoded.dictionary.to_pylist()
        values, supplied, flagged = self._clean_texts(column, distinct)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        mask = np.zeros(len(distinct), dtype=bool)
        mask[flagged] = True
        return (
            [values[index] for index in indices.tolist()],
            np.array(supplied, dtype=bool)[indices].tolist(),
            np.flatnonzero(mask[indices]).tolist(),
        )

    def _clean_texts(self, column: Column, texts: Sequence[str]) -> tuple[list, list[bool], list[int]]:
        parse = self._clean_parser(column)
        required = column.blank == "N"
        values: list = []
        supplied: list[bool] = []
        flagged: list[int] = []
        for position, text in enumerate(texts):
            if not text or text in NULL_LITERALS:
                values.append(None)
                supplied.append(False)
                if required:
                    flagged.append(position)
                continue
            value = parse(text)
            values.append(value)
            supplied.append(True)
            if value is _FLAGGED:
                flagged.append(position)
        return values, supplied, flagged

    def _clean_parser(self, column: Column):
        """A one-value parser returning the parsed value or `_FLAGGED`, specialised for the common types."""
        kind = column.type
        if kind == "code":
            codes = codes_for(column.codes, self.year)
            return lambda text: code if (code := text.upper()) in codes else _FLAGGED
        if kind == "date":
            latest = date.max if column.may_be_future else self.as_at
            match = _DATE.match

            def parse_date(text: str) -> object:
                found = match(text)
                if not found:
                    return _FLAGGED
                day, month, year = found.groups()
                try:
                    parsed = date(int(year), int(month), int(day))
                except ValueError:
                    return _FLAGGED
                return parsed if EARLIEST_DATE <= parsed <= latest else _FLAGGED

            return parse_date
        if kind == "postcode":
            return lambda text: normalise_postcode(text) or _FLAGGED
        if kind == "upn":
            return lambda text: upn if _UPN.match(upn := text.upper()) or upn in _UPN_UNKNOWN else _FLAGGED
        if kind in ("id", "str"):
            limit = column.max_len
            if kind == "id":
                return lambda text: text if (limit is None or len(text) <= limit) and _ID.match(text) else _FLAGGED
            return lambda text: text if limit is None or len(text) <= limit else _FLAGGED

        def general(text: str) -> object:
            parsed, rule_code, _message = self._parse(column, text)
            return _FLAGGED if rule_code is not None else parsed

        return general

    def broken_table_rules(
        self, values: dict[str, list], supplied: dict[str, list[bool]], flagged: set[int], count: int
    ) -> list[int]:
        """Rows with clean values that break a start limit, a conditional or an ordering rule of the table."""
        spec = self.spec
        if not (spec.start_limits or spec.conditionals or spec.orderings):
            return []
        return [
            index for index in range(count) if index not in flagged and self._breaks_a_rule(values, supplied, index)
        ]

    def _breaks_a_rule(self, values: dict[str, list], supplied: dict[str, list[bool]], index: int) -> bool:
        for limit in self.spec.start_limits:
            start = values[limit.start_column][index]
            applies = values[limit.column][index] == limit.code and self.year >= limit.from_year
            if applies and start is not None and start >= limit.from_date:
                return True
        for rule in self.spec.conditionals:
            if rule.applies(values[rule.when_column][index]):
                given = supplied[rule.column][index]
                if (rule.must == "present" and not given) or (rule.must == "blank" and given):
                    return True
        for ordering in self.spec.orderings:
            start, end = values[ordering.start][index], values[ordering.end][index]
            if start is not None and end is not None and (end < start or (ordering.strict and end == start)):
                return True
        return False

    def landed_columns(self, values: dict[str, list]) -> dict[str, list]:
        """Parsed values by landed name; a partial date is split into its date and its precision."""
        landed: dict[str, list] = {}
        for column in self.spec.columns:
            column_values = values[column.name]
            if column.type == "partial_date":
                pairs = [value if isinstance(value, tuple) else (None, None) for value in column_values]
                landed[column.landed_name] = [pair[0] for pair in pairs]
                landed[column.landed_name + PARTIAL_DATE_PRECISION_SUFFIX] = [pair[1] for pair in pairs]
            else:
                landed[column.landed_name] = column_values
        return landed

    def check(self, number: int, raw: tuple[str, ...]) -> tuple[dict[str, object], list[Issue], list[Issue]]:
        """The landed values of one row (keyed by lower-case name), its errors (R*) and its warnings (W05, W07)."""
        values: dict[str, object] = {}
        supplied: dict[str, bool] = {}
        errors: list[Issue] = []
        warnings: list[Issue] = []
        unknown_key_codes: list[tuple[Column, str, str]] = []
        failed: set[str] = set()

        def issue(column: Column, text: str | None, rule_code: str, message: str) -> Issue:
            return Issue(number, column.name, text, column.personal, rule_code, message)

        for column, text in zip(self.spec.columns, raw, strict=True):
            value = None if text == "" or text in NULL_LITERALS else text
            supplied[column.name] = value is not None
            values[column.name] = None
            if value is None:
                if column.blank == "N":
                    errors.append(issue(column, text, "R04", f"{column.name} is required but blank"))
                    failed.add(column.name)
                continue
            parsed, rule_code, message = self._parse(column, value)
            if rule_code in ("R01", "R06"):
                errors.append(issue(column, value, rule_code, message))
                failed.add(column.name)
            elif rule_code == "R02":  # a ★ code not in this year's list: legacy rule below, once the end date is known
                unknown_key_codes.append((column, value, parsed))
                failed.add(column.name)
            elif rule_code is not None:  # W05 (value nulled, or UN6/UN7 kept) or W07
                warnings.append(issue(column, value, rule_code, message))
                values[column.name] = parsed
            else:
                values[column.name] = parsed

        for column, text, code in unknown_key_codes:
            rule_code, message = self._legacy(column, code, values)
            if rule_code == "W07":
                values[column.name] = code
                failed.discard(column.name)
                warnings.append(issue(column, text, rule_code, message))
            else:
                errors.append(issue(column, text, rule_code, message))
        for limit in self.spec.start_limits:
            start = values.get(limit.start_column)
            applies = values.get(limit.column) == limit.code and self.year >= limit.from_year
            if applies and start is not None and start >= limit.from_date:
                column = self.spec.column(limit.column)
                message = (
                    f"{limit.column} '{limit.code}' is not valid for records with {limit.start_column} on or "
                    f"after {limit.from_date:%d/%m/%Y}"
                )
                errors.append(issue(column, limit.code, "R02", message))
        for rule in self.spec.conditionals:
            if rule.column in failed or rule.when_column in failed:
                continue
            found = self._conditional(rule, values, supplied)
            if found is None:
                continue
            column = self.spec.column(rule.column)
            text = raw[self.spec.columns.index(column)]
            if rule.rule_code.startswith("W"):
                values[rule.column] = None
                warnings.append(issue(column, text, rule.rule_code, found + ": value nulled"))
            else:
                errors.append(issue(column, text, rule.rule_code, found))
        for ordering in self.spec.orderings:
            start, end = values.get(ordering.start), values.get(ordering.end)
            if start is None or end is None:
                continue
            if end < start or (ordering.strict and end == start):
                relation = "after" if ordering.strict else "on or after"
                column = self.spec.column(ordering.end)
                message = f"{ordering.end} {end:%d/%m/%Y} is not {relation} {ordering.start} {start:%d/%m/%Y}"
                errors.append(issue(column, raw[self.spec.columns.index(column)], "R05", message))
        return self._landed(values), errors, warnings

    def _parse(self, column: Column, value: str) -> tuple[object, str | None, str]:
        """(parsed value, rule code or None, message) for one non-null value."""
        shown = "" if column.personal else f" '{value}'"
        kind = column.type
        if kind == "date":
            return self._date(column, value, shown)
        if kind == "partial_date":
            return self._partial_date(column, value, shown)
        if kind == "code":
            code = value.upper()
            if code in codes_for(column.codes, self.year):
                return code, None, ""
            if column.key:
                return code, "R02", ""
            return None, "W05", f"{column.name}{shown} is not {_a(column.label)} code in {self.collection_year}: nulled"
        if kind == "postcode":
            normalised = normalise_postcode(value)
            if normalised is None:
                return None, "W05", f"{column.name} is not a valid UK postcode: nulled"
            return normalised, None, ""
        if kind == "upn":
            upn = value.upper()
            if _UPN.match(upn) or upn in _UPN_UNKNOWN:
                return upn, None, ""
            if upn in _UPN_UNKNOWN_WARNED:
                return upn, "W05", f"{column.name} {upn} is an unknown-UPN code accepted with a warning"
            return None, "R01", f"{column.name} is not a UPN (letter + 12 digits/letter) nor UN1-UN5"
        if kind == "int":
            if not _INT.match(value):
                return None, "R01", f"{column.name}{shown} is not a whole number"
            number = int(value) if len(value.lstrip("+-").lstrip("0")) <= 19 else None  # int() raises past 4300
            low, high = column.int_range or (-(2**63), 2**63 - 1)  # unbounded: the landed BIGINT
            if number is None or not low <= number <= high:
                return None, "R01", f"{column.name}{shown} is outside {low}-{high}"
            return str(number), None, ""
        too_long = column.max_len is not None and len(value) > column.max_len
        if too_long:
            return None, "R01", f"{column.name} is longer than {column.max_len} characters"
        if kind == "id" and not _ID.match(value):
            return None, "R01", f"{column.name} is not an identifier (letters, digits and ._:/#- only)"
        if kind == "sw_id" and not (value[:2].upper() in ("SW", "XX") and _ID.match(value)):
            return None, "R01", f"{column.name} does not begin with SW or XX"
        return value, None, ""

    def _date(self, column: Column, value: str, shown: str) -> tuple[object, str | None, str]:
        match = _DATE.match(value)
        if not match:
            return None, "R01", f"{column.name}{shown} is not a dd/mm/YYYY date"
        day, month, year = (int(part) for part in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            return None, "R01", f"{column.name}{shown} is not a real date"
        return self._date_range(column, parsed, shown)

    def _date_range(self, column: Column, parsed: date, shown: str) -> tuple[object, str | None, str]:
        if parsed < EARLIEST_DATE:
            return None, "R01", f"{column.name}{shown} is before 01/01/1900"
        if parsed > self.as_at and not column.may_be_future:
            return None, "R06", f"{column.name}{shown} is after the as-at date {self.as_at:%d/%m/%Y}"
        return parsed, None, ""

    def _partial_date(self, column: Column, value: str, shown: str) -> tuple[object, str | None, str]:
        """dd/mm/YYYY, zz/mm/YYYY (day unknown) or zz/zz/YYYY (month unknown): the first day of the known period."""
        match = _PARTIAL_DATE.match(value)
        if not match or (match.group(1).isdigit() and not match.group(2).isdigit()):
            return None, "R01", f"{column.name}{shown} is not dd/mm/YYYY, zz/mm/YYYY or zz/zz/YYYY"
        day, month, year = match.groups()
        precision = "day" if day.isdigit() else "month" if month.isdigit() else "year"
        try:
            parsed = date(int(year), int(month) if month.isdigit() else 1, int(day) if day.isdigit() else 1)
        except ValueError:
            return None, "R01", f"{column.name}{shown} is not a real date"
        result = self._date_range(column, parsed, shown)
        return ((result[0], precision), *result[1:]) if result[0] is not None else result

    def _legacy(self, column: Column, code: str, values: dict[str, object]) -> tuple[str, str]:
        """W07 for a retired ★ code on a record that ended before 1 April of the first year without it; else R02."""
        unknown = f"{column.name} '{code}' is not {_a(column.label)} code in {self.collection_year}"
        retired = retired_from(column.codes, code)
        if retired is None or retired > self.year:
            return "R02", unknown
        cutoff = date(retired - 1, 4, 1)
        end_column = self.spec.legacy_end
        end = values.get(end_column) if end_column else None
        retired_text = f"retired from {retired - 1}-{retired % 100:02d}"
        if isinstance(end, date) and end < cutoff:
            return "W07", f"{column.name} '{code}' ({retired_text}) accepted: {end_column} is before {cutoff:%d/%m/%Y}"
        reason = f"{end_column} is not before {cutoff:%d/%m/%Y}" if end_column else "the record has no end date"
        return "R02", f"{unknown} ({retired_text}; {reason})"

    @staticmethod
    def _conditional(rule: Conditional, values: dict[str, object], supplied: dict[str, bool]) -> str | None:
        """The message when `rule` is broken, else None."""
        trigger = values.get(rule.when_column)
        if not rule.applies(trigger):
            return None
        if rule.when_values == PRESENT:
            condition = f"{rule.when_column} is given"
        elif rule.when_values == ():
            condition = f"{rule.when_column} is blank"
        else:
            condition = f"{rule.when_column} is {trigger}"
        if rule.must == "present" and not supplied[rule.column]:
            return f"{rule.column} is required when {condition}"
        if rule.must == "blank" and supplied[rule.column]:
            return f"{rule.column} must be blank when {condition}"
        return None

    def _landed(self, values: dict[str, object]) -> dict[str, object]:
        landed: dict[str, object] = {}
        for column in self.spec.columns:
            value = values[column.name]
            if column.type == "partial_date":
                parsed, precision = value if value is not None else (None, None)
                landed[column.landed_name] = parsed
                landed[column.landed_name + PARTIAL_DATE_PRECISION_SUFFIX] = precision
            else:
                landed[column.landed_name] = value
        return landed
