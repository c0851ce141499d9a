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
from dataclasses import dataclass, field
from datetime import date

from extract.codes import codes_for, retired_from, schema_year
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
    kept: list[tuple[int, dict[str, object]]] = field(default_factory=list)
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


def check_rows(
    spec: TableSpec, header: list[str], records: list[tuple[int, list[str]]], collection_year: str, as_at: date
) -> RowResult:
    """Check every record of a file recognised as `spec`; see the module docstring for the rules."""
    checker = _RowChecker(spec, collection_year, as_at)
    positions = [header.index(column.name) for column in spec.columns]
    result = RowResult(rows_read=len(records))
    first_of: dict[tuple[str, ...], int] = {}
    checked: list[tuple[int, dict[str, object], tuple, list[Issue]]] = []
    for number, fields in records:
        if len(fields) != len(header):
            message = f"row has {len(fields)} fields, the header has {len(header)}"
            result.quarantine.append(Issue(number, None, ",".join(fields), True, "R01", message))
            result.rejected_rows.add(number)
            continue
        raw = tuple(fields[position].strip() for position in positions)
        if raw in first_of:
            message = f"exact duplicate of row {first_of[raw]}: dropped"
            result.quarantine.append(Issue(number, None, ",".join(fields), True, "W01", message))
            result.dropped_rows.add(number)
            continue
        first_of[raw] = number
        values, errors, warnings = checker.check(number, raw)
        if errors:
            result.quarantine.extend(errors)
            result.rejected_rows.add(number)
        else:
            key = tuple(values[name.lower()] for name in spec.pk)
            checked.append((number, values, key, warnings))
    _resolve_duplicate_keys(spec, checked, result)
    return result


def _resolve_duplicate_keys(spec: TableSpec, checked: list, result: RowResult) -> None:
    """R03 for every row of a key held by rows that differ; W01 for rows equal to an earlier one once normalised."""
    by_key: dict[tuple, list] = defaultdict(list)
    for item in checked:
        by_key[item[2]].append(item)
    conflicting: set[int] = set()
    for rows in by_key.values():
        if len(rows) < 2:
            continue
        if all(row[1] == rows[0][1] for row in rows):
            for number, _values, _key, _warnings in rows[1:]:
                message = f"duplicate of row {rows[0][0]} once trimmed and upper-cased: dropped"
                result.quarantine.append(Issue(number, None, None, True, "W01", message))
                result.dropped_rows.add(number)
            continue
        numbers = [row[0] for row in rows]
        for number, _values, key, _warnings in rows:
            others = ", ".join(str(other) for other in numbers if other != number)
            message = f"key ({', '.join(spec.pk)}) also on row(s) {others} with different values"
            result.quarantine.append(Issue(number, ",".join(spec.pk), "|".join(map(str, key)), True, "R03", message))
            conflicting.add(number)
    result.rejected_rows |= conflicting
    for number, values, _key, warnings in checked:
        if number in conflicting or number in result.dropped_rows:
            continue
        result.kept.append((number, values))
        result.warnings.extend(warnings)
    result.quarantine.sort(key=lambda issue: issue.source_row)


class _RowChecker:
    """The per-row rules of one table for one collection year and as-at date."""

    def __init__(self, spec: TableSpec, collection_year: str, as_at: date) -> None:
        self.spec = spec
        self.collection_year = collection_year
        self.year = schema_year(collection_year)
        self.as_at = as_at

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
            number = int(value)
            low, high = column.int_range or (number, number)
            if not low <= number <= high:
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
