"""The fast paths of `extract/` give what the reference paths give: the Arrow CSV read (`csv_reader._parse_plain`)
what the `csv` module reads, the Arrow date and datetime parsers what the Python parsers take, and `str.strip()`'s
whitespace as written out in `extract.columnar`."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

import pyarrow as pa

from extract.columnar import WHITESPACE, strip
from extract.csv_families.columns import _clean_date, _clean_datetime, _clean_distinct
from extract.csv_families.spec import Column
from extract.csv_reader import _parse_plain, _parse_with_csv, parse_csv

AS_AT = date(2026, 10, 31)


def test_whitespace_is_what_str_strip_removes() -> None:
    computed = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
    assert computed == WHITESPACE
    texts = [" a ", "\x1cb\u3000", "\u00a0c\u2028", "x\u200by"]  # U+200B (zero width space) is not whitespace
    assert strip(pa.array(texts)).to_pylist() == ["a", "b", "c", "x\u200by"]


def test_a_plain_file_is_read_by_arrow_with_the_records_of_the_csv_module() -> None:
    data = "\ufeffA, b \r\n1, x \r\n,\r\n3,é\r\n".encode()
    parsed = parse_csv(data)
    assert parsed.columns is not None  # no quote, no bare CR, no blank line: the Arrow read
    # header trimmed and upper-cased; record numbers count from the header (1); fields are not trimmed
    assert parsed.header == ["A", "B"]
    assert parsed.records == [(2, ["1", " x "]), (3, ["", ""]), (4, ["3", "é"])]
    assert parsed.records == _parse_with_csv(data.decode("utf-8-sig")).records


def test_a_file_arrow_cannot_read_exactly_is_left_to_the_csv_module() -> None:
    blank_line = b"a,b\n1,2\n\n3,4\n"  # csv skips the blank line but counts it: the last record is number 4
    ragged = b"a,b\n1,2,3\n"
    quoted = b'a,b\n"1,5",2\n'
    bare_cr = b"a,b\r1,2\r"
    for data in (blank_line, ragged, quoted, bare_cr):
        assert _parse_plain(data, data.decode()) is None
    assert parse_csv(blank_line).records == [(2, ["1", "2"]), (4, ["3", "4"])]
    assert parse_csv(quoted).records == [(2, ["1,5", "2"])]


def test_datetimes_take_europe_london_offsets_by_day_and_leave_clock_change_days_to_python() -> None:
    column = Column("when", "datetime", required=True)
    texts = pa.array(
        [
            "2026-01-15T10:00",  # GMT: 10:00 UTC
            "2026-07-01 10:00:30",  # BST (+01:00): 09:00:30 UTC
            "2026-03-29T01:30",  # the spring-forward hour does not exist: zoneinfo takes GMT, 01:30 UTC
            "2026-10-25T01:30",  # the repeated hour: zoneinfo takes the first (BST), 00:30 UTC
            "2026-02-30T10:00",  # not a real date: flagged
            "2026-11-01T00:00",  # after the as-at date: flagged (R06)
            "2026-01-15",  # a bare date: flagged (W04)
            "",  # required and blank: flagged (R04)
        ]
    )
    values, flagged = _clean_datetime(column, texts, AS_AT)
    assert values.to_pylist()[:4] == [
        datetime(2026, 1, 15, 10, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 9, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    ]
    assert flagged.tolist() == [False] * 4 + [True] * 4
    reference_values, reference_flagged = _clean_distinct(column, texts, AS_AT)
    assert values.equals(reference_values) and flagged.tolist() == reference_flagged.tolist()


def test_dates_parsed_by_arrow_equal_the_python_parser() -> None:
    column = Column("day", "date")
    texts = ["2024-02-29", "2023-02-29", "1899-12-31", "1900-01-01", "2026-10-31", "2026-11-01", "2026-1-01", ""]
    values, flagged = _clean_date(column, pa.array(texts), AS_AT)
    # 2023-02-29 is not a real date, 1899 is before 1900, 2026-11-01 is after the as-at date, 2026-1-01 not YYYY-MM-DD
    assert values.to_pylist() == [date(2024, 2, 29), None, None, date(1900, 1, 1), date(2026, 10, 31), None, None, None]
    assert flagged.tolist() == [False, True, True, False, False, True, True, False]  # a blank optional date is null
    reference_values, reference_flagged = _clean_distinct(column, pa.array(texts), AS_AT)
    assert values.equals(reference_values) and flagged.tolist() == reference_flagged.tolist()
