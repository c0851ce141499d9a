"""Column-wise fast path of the generic CSV families: every value of a column checked in one pass, no per-row work.

`clean_column` returns the landed value of each value that `values.parse_value` would take without any finding,
and the positions of every other value (a null literal, a required blank, anything `parse_value` would flag). Those
rows are then checked again one by one by the reader's per-row path, which words every finding, so quarantine and
warning messages are exactly those of the per-row checks; the fast path only decides which rows need them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache

from extract.csv_families.spec import Column
from extract.csv_families.values import _DATE, _DEC, _FALSE, _ID, _INT, _MONTH, _TRUE, EARLIEST, parse_value
from extract.rows import NULL_LITERALS

_FLAGGED = object()  # a value the per-row path has something to say about
_BOOLEANS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def clean_column(column: Column, texts: Sequence[str], as_at: date | None) -> tuple[list, list[int]]:
    """(landed values, positions needing the per-row path) for the stripped `texts` of `column`. A flagged
    position holds a placeholder: the per-row path replaces it (or rejects the row)."""
    parse = _parser(column, as_at)
    values = [parse(text) if text else None for text in texts]
    flagged = [position for position, value in enumerate(values) if value is _FLAGGED]
    if column.required:
        flagged.extend(position for position, text in enumerate(texts) if not text)
    return values, flagged


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
    if kind in ("id", "str"):
        return _text_parser(column)
    if kind == "code" and not (column.mapped or column.codes is None):
        codes = column.codes
        if any(code != code.upper() for code in codes):
            return lambda text: code if (code := text.lower()) in codes else _FLAGGED
        return lambda text: code if (code := text.upper()) in codes else _FLAGGED
    if kind == "date":
        return _date_parser(column, as_at)
    if kind == "int" and column.value_range is None:
        return lambda text: int(text) if _INT.match(text) else _FLAGGED
    if kind in ("dec", "gbp") and column.value_range is None:
        return _decimal_parser(column)
    if kind == "month":
        return lambda text: text if _MONTH.match(text) else _FLAGGED
    if kind == "bool":
        return lambda text: _BOOLEANS.get(text.lower(), _FLAGGED)

    def general(text: str) -> object:
        value, rule_code, _message = parse_value(column, text, as_at)
        return _FLAGGED if rule_code is not None else value

    return general


def _text_parser(column: Column) -> Callable[[str], object]:
    limit = column.max_len
    if column.type == "id":
        match = _ID.match
        if limit is None:
            return lambda text: text if match(text) else _FLAGGED
        return lambda text: text if len(text) <= limit and match(text) else _FLAGGED
    if limit is None:
        return lambda text: text
    return lambda text: text if len(text) <= limit else _FLAGGED


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
