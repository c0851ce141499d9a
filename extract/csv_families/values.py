"""One value of a generic CSV family, parsed by its contract type (input contract §0.5).

`parse_value` returns (landed value, rule code or None, message): R01 type or format error, R02 unknown ★ key code,
R06 event after the as-at date, W04 a bare date in a datetime column (midnight assumed), W05 unknown non-key code or
invalid postcode (nulled). Datetimes without an offset are Europe/London local time and land in UTC.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from extract.csv_families.spec import Column
from extract.rows import normalise_postcode

LONDON = ZoneInfo("Europe/London")
EARLIEST = date(1900, 1, 1)
_ID = re.compile(r"^[A-Za-z0-9._:/#-]{1,64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$")
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^-?(\d+)(?:\.(\d+))?$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_FY = re.compile(r"^(\d{4})-(\d{2})$")
_TRUE, _FALSE = frozenset({"y", "yes", "true", "1"}), frozenset({"n", "no", "false", "0"})

Parsed = tuple[object, str | None, str]
BIGINT = (-(2**63), 2**63 - 1)  # the landed int type (Arrow int64, SQL BIGINT)


def whole_number(text: str) -> int | None:
    """The BIGINT a whole-number text holds, or None (not digits, or outside BIGINT). Counting the digits first
    keeps `int()` clear of Python's 4300-digit limit, which raises instead of answering."""
    if not _INT.match(text) or len(text.lstrip("+-").lstrip("0")) > 19:
        return None
    number = int(text)
    return number if BIGINT[0] <= number <= BIGINT[1] else None


def parse_value(column: Column, text: str, as_at: date | None) -> Parsed:
    shown = "" if column.personal else f" '{text}'"
    kind = column.type
    if kind in ("id", "str"):
        if column.max_len is not None and len(text) > column.max_len:
            return None, "R01", f"{column.name} is longer than {column.max_len} characters"
        if kind == "id" and not _ID.match(text):
            return None, "R01", f"{column.name} is not an identifier (1-64 letters, digits and ._:/#- only)"
        return text, None, ""
    if kind == "code":
        return _code(column, text, shown)
    if kind == "date":
        return _date(column, text, shown, as_at)
    if kind == "datetime":
        return _datetime(column, text, shown, as_at)
    if kind == "int":
        if not _INT.match(text):
            return None, "R01", f"{column.name}{shown} is not a whole number"
        number = whole_number(text)
        if number is None:
            return None, "R01", f"{column.name} is outside the 64-bit whole-number range"
        return _in_range(column, number, shown)
    if kind in ("dec", "gbp"):
        return _decimal(column, text, shown)
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE, None, ""
        return None, "R01", f"{column.name}{shown} is not a boolean (Y/N, 1/0, true/false, yes/no)"
    if kind == "yn_na":
        upper = text.upper()
        if upper in ("Y", "N", "NA"):
            return upper, None, ""
        return None, "R01", f"{column.name}{shown} is not Y, N or NA"
    if kind == "json":
        return _json(column, text)
    if kind == "postcode":
        normalised = normalise_postcode(text)
        if normalised is None:
            return None, "W05", f"{column.name} is not a valid UK postcode: nulled"
        return normalised, None, ""
    if kind == "month":
        return (text, None, "") if _MONTH.match(text) else (None, "R01", f"{column.name}{shown} is not a month YYYY-MM")
    if kind == "fy":
        match = _FY.match(text)
        if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
            return text, None, ""
        return None, "R01", f"{column.name}{shown} is not a financial year YYYY-YY"
    raise ValueError(f"unknown column type {kind}")


def _code(column: Column, text: str, shown: str) -> Parsed:
    if column.mapped or column.codes is None:
        return text, None, ""  # mapped at staging through ref_local_code_map
    lower_case_list = any(code != code.upper() for code in column.codes)
    code = text.lower() if lower_case_list else text.upper()
    if code in column.codes:
        return code, None, ""
    if column.key:
        return None, "R02", f"{column.name}{shown} is not a valid code"
    return None, "W05", f"{column.name}{shown} is not a valid code: nulled"


def _date(column: Column, text: str, shown: str, as_at: date | None) -> Parsed:
    if not _DATE.match(text):
        return None, "R01", f"{column.name}{shown} is not a YYYY-MM-DD date"
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, "R01", f"{column.name}{shown} is not a real date"
    if day < EARLIEST:
        return None, "R01", f"{column.name}{shown} is before 1900-01-01"
    if as_at is not None and day > as_at and not column.future:
        return None, "R06", f"{column.name}{shown} is after the as-at date {as_at.isoformat()}"
    return day, None, ""


def _datetime(column: Column, text: str, shown: str, as_at: date | None) -> Parsed:
    warning: tuple[str, str] | None = None
    if _DATE.match(text):
        warning = ("W04", f"{column.name}{shown} is a date in a datetime column: midnight assumed")
        text = f"{text}T00:00"
    match = _DATETIME.match(text)
    if not match:
        return None, "R01", f"{column.name}{shown} is not a datetime YYYY-MM-DDTHH:MM[:SS][offset]"
    day, hours, minutes, seconds, zone = match.groups()
    try:
        local = datetime.combine(date.fromisoformat(day), time(int(hours), int(minutes), int(seconds or 0)))
    except ValueError:
        return None, "R01", f"{column.name}{shown} is not a real date and time"
    if zone is None:
        moment = local.replace(tzinfo=LONDON)
    elif zone == "Z":
        moment = local.replace(tzinfo=UTC)
    else:
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        moment = (local - sign * offset).replace(tzinfo=UTC)
    if local.date() < EARLIEST:
        return None, "R01", f"{column.name}{shown} is before 1900-01-01"
    if as_at is not None and not column.future:
        end_of_as_at = datetime.combine(as_at + timedelta(days=1), time(0), tzinfo=LONDON)
        if moment >= end_of_as_at:
            return None, "R06", f"{column.name}{shown} is after the as-at date {as_at.isoformat()}"
    landed = moment.astimezone(UTC)
    return (landed, *warning) if warning else (landed, None, "")


def _decimal(column: Column, text: str, shown: str) -> Parsed:
    digits, scale = column.precision
    match = _DEC.match(text)
    if not match:
        return None, "R01", f"{column.name}{shown} is not a decimal (digits, optional '-' and '.', nothing else)"
    whole, fraction = match.group(1).lstrip("0"), match.group(2) or ""
    if len(fraction.rstrip("0")) > scale or len(whole) > digits - scale:
        return None, "R01", f"{column.name}{shown} does not fit dec({digits},{scale})"
    return _in_range(column, Decimal(text).quantize(Decimal(1).scaleb(-scale)), shown)


def _in_range(column: Column, number: int | Decimal, shown: str) -> Parsed:
    if column.value_range is not None:
        low, high = column.value_range
        if not low <= number <= high:
            return None, "R01", f"{column.name}{shown} is outside {low}-{high}"
    return number, None, ""


def _json(column: Column, text: str) -> Parsed:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # a decode error, an integer over 4300 digits, nesting past the stack
        return None, "R01", f"{column.name} is not valid JSON"
    allowed = (dict, list) if column.json_array else (dict,)
    if not isinstance(value, allowed):
        return None, "R01", f"{column.name} is not a JSON {'object or array' if column.json_array else 'object'}"
    return text, None, ""
