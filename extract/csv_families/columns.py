"""Column-wise fast path of the generic CSV families: every value of a column checked at once, no per-row work.

`clean_column` returns, for one column's trimmed texts (an Arrow string array), the landed values (an Arrow array of
the column's type) of every value `values.parse_value` would take without any finding, and a mask of every other
position (a null literal, a required blank, anything `parse_value` would flag). Those rows are then checked again
one by one by the reader's per-row path, which words every finding, so quarantine and warning messages are exactly
those of the per-row checks; the fast path only decides which rows need them.

Exactness by construction: identifiers and free text are checked by Arrow kernels that are the same test as the
Python one (length in code points, an ASCII-only pattern); every other type is parsed by the Python parser below,
once per DISTINCT text of the column (a column of 170,000 dates holds a few thousand), and the results are spread
back over the rows with Arrow. The Python parsers are `parse_value` itself or a specialisation of it for the common
types that returns the same value whenever `parse_value` finds nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.csv_families.spec import Column
from extract.csv_families.values import (
    _DATE,
    _DATETIME,
    _DEC,
    _FALSE,
    _ID,
    _MONTH,
    _TRUE,
    EARLIEST,
    LONDON,
    parse_value,
    whole_number,
)
from extract.rows import NULL_LITERALS

_FLAGGED = object()  # a value the per-row path has something to say about
_BOOLEANS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_NULL_LITERALS = pa.array(sorted(NULL_LITERALS), pa.string())
_ID_PATTERN = _ID.pattern  # ASCII classes only: RE2 and `re` agree on it (no trailing newline survives the trim)
_PLAIN_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # ASCII digits only
_PLAIN_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$"  # ASCII digits, no zone, no fraction
_EARLIEST_SECONDS = (EARLIEST - date(1970, 1, 1)).days * 86_400


def clean_column(column: Column, texts: pa.Array, as_at: date | None) -> tuple[pa.Array, np.ndarray]:
    """(landed values, bool mask of the positions needing the per-row path) for the trimmed `texts` of `column`. A
    flagged position holds null: the per-row path replaces it (or rejects the row)."""
    if column.type in ("id", "str"):
        return _clean_text(column, texts)
    if column.type == "datetime":
        return _clean_datetime(column, texts, as_at)
    if column.type == "date":
        return _clean_date(column, texts, as_at)
    return _clean_distinct(column, texts, as_at)


def _clean_distinct(column: Column, texts: pa.Array, as_at: date | None) -> tuple[pa.Array, np.ndarray]:
    """The Python parser run once per distinct text, its results spread back over the rows."""
    encoded = pc.dictionary_encode(texts)
    distinct = encoded.dictionary.to_pylist()
    parse = _parser(column, as_at)
    parsed = [parse(text) if text else None for text in distinct]
    flagged = np.array([value is _FLAGGED for value in parsed], dtype=bool)
    if column.required:
        flagged |= np.array([not text for text in distinct], dtype=bool)
    landed = pa.array([None if value is _FLAGGED else value for value in parsed], type=column.arrow_type)
    indices = encoded.indices
    return landed.take(indices), flagged[indices.to_numpy(zero_copy_only=False)]


def _clean_date(column: Column, texts: pa.Array, as_at: date | None) -> tuple[pa.Array, np.ndarray]:
    """Dates: each distinct text once (a column of 170,000 dates holds a few thousand), spread back over the rows."""
    encoded = pc.dictionary_encode(texts)
    values, flagged = _clean_distinct_dates(column, encoded.dictionary, as_at)
    indices = encoded.indices
    return values.take(indices), flagged[indices.to_numpy(zero_copy_only=False)]


def _clean_distinct_dates(column: Column, texts: pa.Array, as_at: date | None) -> tuple[pa.Array, np.ndarray]:
    """A real `YYYY-MM-DD` (ASCII digits) from 1900 to the as-at date is converted by Arrow; every other text by the
    Python parser."""
    plain = pc.match_substring_regex(texts, _PLAIN_DATE)
    if not pc.any(plain).as_py():
        return _clean_distinct(column, texts, as_at)
    safe = pc.if_else(plain, texts, "1970-01-01")
    days, real = _real_days(safe)
    day_numbers = pc.cast(days, pa.int64())  # seconds since 1970
    ok = pc.and_(pc.and_(plain, real), pc.greater_equal(day_numbers, _EARLIEST_SECONDS))
    if as_at is not None and not column.future:
        ok = pc.and_(ok, pc.less_equal(day_numbers, (as_at - date(1970, 1, 1)).days * 86_400))
    return _merge(column, texts, as_at, pc.fill_null(ok, False), pc.cast(days, pa.date32()))


def _real_days(safe: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(timestamp[s] of each `YYYY-MM-DD...` text's date, mask of the texts whose date is real): `strptime` takes
    30 February as 2 March, so its year, month and day are compared with the text's."""
    year, month, day = (
        pc.cast(pc.utf8_slice_codeunits(safe, start, start + width), pa.int64())
        for start, width in ((0, 4), (5, 2), (8, 2))
    )
    days = pc.strptime(pc.utf8_slice_codeunits(safe, 0, 10), format="%Y-%m-%d", unit="s", error_is_null=True)
    real = pc.and_(pc.and_(pc.equal(pc.day(days), day), pc.equal(pc.month(days), month)), pc.equal(pc.year(days), year))
    return days, pc.fill_null(real, False)


def _merge(
    column: Column, texts: pa.Array, as_at: date | None, ok: pa.Array, landed: pa.Array
) -> tuple[pa.Array, np.ndarray]:
    """The Arrow values where `ok`, the Python parser's (and its flags) everywhere else."""
    landed = pc.if_else(ok, landed, pa.scalar(None, column.arrow_type))
    others = pc.invert(ok)
    flagged = np.zeros(len(texts), dtype=bool)
    if pc.any(others).as_py():
        values, found = _clean_distinct(column, texts.filter(others), as_at)
        landed = pc.replace_with_mask(landed, others, values)
        flagged[np.flatnonzero(others.to_numpy(zero_copy_only=False))] = found
    return landed, flagged


def _clean_datetime(column: Column, texts: pa.Array, as_at: date | None) -> tuple[pa.Array, np.ndarray]:
    """Datetimes: the usual `YYYY-MM-DDTHH:MM[:SS]` London time of a real date and time, from 1900 to the as-at
    date, on a day without a clock change, is converted to UTC by Arrow (each distinct day's offset looked up in
    Python); every other text (a zone, a fraction, a bare date, any doubt) by the Python parser."""
    plain = pc.match_substring_regex(texts, _PLAIN_DATETIME)
    if not pc.any(plain).as_py():
        return _clean_distinct(column, texts, as_at)
    safe = pc.if_else(plain, texts, "1970-01-01T00:00:00")
    safe = pc.if_else(pc.equal(pc.utf8_length(safe), 16), pc.binary_join_element_wise(safe, ":00", ""), safe)
    hours, minutes, seconds = (
        pc.cast(pc.utf8_slice_codeunits(safe, start, start + 2), pa.int64()) for start in (11, 14, 17)
    )
    days, real = _real_days(safe)
    clock_ok = pc.and_(pc.less_equal(minutes, 59), pc.less_equal(seconds, 59))
    real = pc.and_(real, pc.and_(pc.less_equal(hours, 23), clock_ok))
    day_seconds = pc.cast(days, pa.int64())
    clock = pc.add(pc.add(pc.multiply(hours, 3600), pc.multiply(minutes, 60)), seconds)
    local = pc.multiply(pc.add(day_seconds, clock), 1_000_000)  # microseconds of the London wall clock
    ok = pc.and_(pc.and_(plain, real), pc.greater_equal(day_seconds, _EARLIEST_SECONDS))
    if as_at is not None and not column.future:
        ok = pc.and_(ok, pc.less(local, ((as_at - date(1970, 1, 1)).days + 1) * 86_400_000_000))
    ok = pc.fill_null(ok, False)
    day_texts = pc.utf8_slice_codeunits(safe, 0, 10)
    distinct_days = pc.unique(day_texts.filter(ok))
    offsets = pa.array([_offset_microseconds(text) for text in distinct_days.to_pylist()], pa.int64())
    offset = pc.take(offsets, pc.index_in(day_texts, value_set=distinct_days))
    ok = pc.fill_null(pc.and_(ok, pc.is_valid(offset)), False)
    landed = pc.cast(pc.subtract(pc.fill_null(local, 0), pc.fill_null(offset, 0)), column.arrow_type)
    return _merge(column, texts, as_at, ok, landed)


def _offset_microseconds(day_text: str) -> int | None:
    """Europe/London's UTC offset through the day, in microseconds; None on a day the clocks change."""
    offset = _london_offset(date.fromisoformat(day_text))
    return None if offset is None else offset // timedelta(microseconds=1)


def _clean_text(column: Column, texts: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """`id` and `str` columns: the value as delivered, unless it is a null literal, longer than the column allows, or
    (an id) not 1-64 of the identifier characters."""
    empty = pc.equal(texts, "")
    bad = pc.is_in(texts, value_set=_NULL_LITERALS)
    if column.max_len is not None:
        bad = pc.or_(bad, pc.greater(pc.utf8_length(texts), column.max_len))
    if column.type == "id":
        bad = pc.or_(bad, pc.and_(pc.invert(empty), pc.invert(pc.match_substring_regex(texts, _ID_PATTERN))))
    unset = pc.or_(empty, bad)
    values = pc.if_else(unset, pa.scalar(None, pa.string()), texts) if pc.any(unset).as_py() else texts
    flagged = pc.or_(bad, empty) if column.required else bad
    return values, flagged.to_numpy(zero_copy_only=False)


@cache
def _parser(column: Column, as_at: date | None) -> Callable[[str], object]:
    """A parser of one non-empty value returning its landed value, or `_FLAGGED` for a null literal (W03) or any
    value `parse_value` has something to say about."""
    parse = _typed_parser(column, as_at)
    if any(parse(literal) is not _FLAGGED for literal in NULL_LITERALS):  # the type would take a null literal

        def parse_not_null(text: str) -> object:
            return _FLAGGED if text in NULL_LITERALS else parse(text)

        return parse_not_null
    return parse


def _typed_parser(column: Column, as_at: date | None) -> Callable[[str], object]:
    """Specialised for the common types; the general `parse_value` (with its message building) for the rest."""
    kind = column.type
    if kind == "code" and not (column.mapped or column.codes is None):
        codes = column.codes
        if any(code != code.upper() for code in codes):
            return lambda text: code if (code := text.lower()) in codes else _FLAGGED
        return lambda text: code if (code := text.upper()) in codes else _FLAGGED
    if kind == "date":
        return _date_parser(column, as_at)
    if kind == "datetime":
        return _datetime_parser(column, as_at)
    if kind == "int" and column.value_range is None:
        return lambda text: _FLAGGED if (number := whole_number(text)) is None else number
    if kind in ("dec", "gbp") and column.value_range is None:
        return _decimal_parser(column)
    if kind == "month":
        return lambda text: text if _MONTH.match(text) else _FLAGGED
    if kind == "bool":
        return lambda text: _BOOLEANS.get(text.lower(), _FLAGGED)
    return _general(column, as_at)


def _date_parser(column: Column, as_at: date | None) -> Callable[[str], object]:
    latest = date.max if as_at is None or column.future else as_at
    match, from_iso = _DATE.match, date.fromisoformat

    def parse(text: str) -> object:
        if not match(text):
            return _FLAGGED
        try:
            day = from_iso(text)
        except ValueError:
            return _FLAGGED
        return day if EARLIEST <= day <= latest else _FLAGGED

    return parse


def _datetime_parser(column: Column, as_at: date | None) -> Callable[[str], object]:
    """`values._datetime` without its messages, and with Europe/London's UTC offset looked up once per day: on a
    day without a clock change the offset is that of every time of the day, so `local - offset` is the instant
    `local.replace(tzinfo=LONDON).astimezone(UTC)` gives. Days with a change (and offset times) take the
    general path. A bare date is flagged (W04), as `parse_value` warns about it."""
    general = _general(column, as_at)
    # Aware datetimes of the same tzinfo compare as naive ones: `parse_value`'s R06 test for a London time.
    end_of_as_at = None if as_at is None or column.future else datetime.combine(as_at + timedelta(days=1), time(0))
    offsets: dict[date, timedelta | None] = {}
    match, from_iso = _DATETIME.match, date.fromisoformat

    def parse(text: str) -> object:
        found = match(text)
        if not found:
            return _FLAGGED  # also a bare date: W04
        day_text, hours, minutes, seconds, zone = found.groups()
        if zone is not None:
            return general(text)
        try:
            day = from_iso(day_text)
            local = datetime.combine(day, time(int(hours), int(minutes), int(seconds or 0)))
        except ValueError:
            return _FLAGGED
        if day < EARLIEST or (end_of_as_at is not None and local >= end_of_as_at):
            return _FLAGGED
        offset = offsets.get(day, _FLAGGED)
        if offset is _FLAGGED:
            offset = offsets[day] = _london_offset(day)
        if offset is None:
            return general(text)
        return (local - offset).replace(tzinfo=UTC)

    return parse


def _london_offset(day: date) -> timedelta | None:
    """Europe/London's UTC offset through `day`, or None when it changes during the day."""
    first = LONDON.utcoffset(datetime.combine(day, time(0)))
    last = LONDON.utcoffset(datetime.combine(day, time(23, 59, 59, 999999)))
    return first if first == last else None


def _general(column: Column, as_at: date | None) -> Callable[[str], object]:
    """`parse_value` itself: the landed value, or `_FLAGGED` when it has anything to say."""

    def general(text: str) -> object:
        value, rule_code, _message = parse_value(column, text, as_at)
        return _FLAGGED if rule_code is not None else value

    return general


def _decimal_parser(column: Column) -> Callable[[str], object]:
    digits, scale = column.precision
    whole_digits = digits - scale
    quantum = Decimal(1).scaleb(-scale)
    match = _DEC.match

    def parse(text: str) -> object:
        found = match(text)
        if not found:
            return _FLAGGED
        fraction = found.group(2) or ""
        if len(fraction.rstrip("0")) > scale or len(found.group(1).lstrip("0")) > whole_digits:
            return _FLAGGED
        return Decimal(text).quantize(quantum)

    return parse
