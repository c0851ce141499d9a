"""Read a delivered CSV as the contract defines it (§0.4): UTF-8 (BOM stripped), RFC 4180, one header row.

File-level problems raise `FileRejected` with the rule code and a one-line reason; rows are returned as read, with
their record number (the header is record 1), for the row checks.

Two readers give the same records. Python's `csv` module is the reference: it words every error. A file with no
quote character, no NUL, no bare CR and no blank line (every delivery we generate but the JSON-holding tables) is a
plain comma-and-newline split, so `pyarrow.csv` reads it instead, straight into one Arrow string column per header
column (about 10x faster, and no list per record); any other file, or any file `pyarrow.csv` finds ragged, goes
through `csv`, so no error message and no record number depends on which reader ran.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

_BOM = b"\xef\xbb\xbf"


class FileRejected(Exception):
    """The whole file is rejected: `rule_code` (F01, F02, F04...) and a one-line message."""

    def __init__(self, rule_code: str, message: str) -> None:
        super().__init__(message)
        self.rule_code = rule_code
        self.message = message


class ParsedCsv:
    """The header (trimmed, upper-cased: 903 names) and the data records, either as `records` ((record number,
    fields) pairs; blank lines are skipped) or, from the Arrow reader, as `columns` (one raw string array per header
    column; record i is number i + 2, since the file has no blank line and no multi-line field, or the numbers a
    streamed batch gives). `records` of an Arrow read is built on first use, for the readers that want rows."""

    def __init__(
        self,
        header: list[str],
        records: list[tuple[int, list[str]]] | None = None,
        columns: list | None = None,
        row_numbers: np.ndarray | None = None,
    ) -> None:
        self.header = header
        self._records = records
        self.columns: list[pa.Array] | None = columns
        # The record numbers of `columns` when they are not 2, 3, ...: one batch of a streamed file
        # (`extract.csv_stream`), which may also leave some records out.
        self._row_numbers = row_numbers

    @property
    def row_count(self) -> int:
        if self._records is not None:
            return len(self._records)
        return len(self.columns[0]) if self.columns else 0

    @property
    def records(self) -> list[tuple[int, list[str]]]:
        if self._records is None:
            lists = [column.to_pylist() for column in self.columns]
            rows = zip(self.numbers().tolist(), zip(*lists, strict=True), strict=True)
            self._records = [(number, list(fields)) for number, fields in rows]
        return self._records

    def numbers(self) -> np.ndarray:
        """Record numbers of the Arrow read (row i is record i + 2, unless the batch says otherwise)."""
        if self._row_numbers is not None:
            return self._row_numbers
        return np.arange(2, self.row_count + 2, dtype=np.int64)


def parse_csv(data: bytes) -> ParsedCsv:
    """The header and data records of `data`, or FileRejected (F01 unreadable, F04 duplicate column names).

    A record's number counts CSV records, not physical lines, so a quoted field spanning two lines does not shift
    the numbers of the rows after it (it equals the line number whenever no field holds a line break).
    """
    if not data:
        raise FileRejected("F01", "empty file (0 bytes): no header row")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejected("F01", not_utf8(data, error.start)) from None
    _allow_fields_as_long_as(len(text))
    parsed = _parse_plain(data, text)
    return parsed if parsed is not None else _parse_with_csv(text)


def _allow_fields_as_long_as(length: int) -> None:
    """Lift `csv`'s field size limit (128 KiB by default) to the file's length, so that no field of a well-formed
    file is refused: a value too long for its column is the row's R01 (§0.5), never the whole file's F01. The bytes
    are already in memory, so the limit protects nothing. (The limit is process-wide and only ever raised.)"""
    if length > csv.field_size_limit():
        csv.field_size_limit(length)


def not_utf8(data: bytes, offset: int) -> str:
    """The F01 reason for bytes that are not UTF-8 at `offset`; a UTF-16 byte-order mark (Excel's "Unicode text",
    also the start of UTF-32 LE) is named, since the fix is to save the file as UTF-8."""
    return not_utf8_at(data, offset, data[offset] if offset < len(data) else None)


def not_utf8_at(head: bytes, offset: int, byte: int | None) -> str:
    """`not_utf8` of a file not held whole: its first bytes (`head`), and the `byte` at `offset` (None: past the
    end, an IndexError as for the bytes held whole)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not UTF-8 (it starts with a UTF-16 byte-order mark: save the file as UTF-8)"
    if byte is None:
        raise IndexError("index out of range")
    return f"not UTF-8 (byte 0x{byte:02x} at offset {offset})"


def _parse_with_csv(text: str) -> ParsedCsv:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, fields in enumerate(reader, start=1):
            if fields:
                records.append((number, fields))
    except csv.Error as error:
        raise FileRejected("F01", f"not well-formed CSV near line {reader.line_num}: {error}") from None
    if not records or records[0][0] != 1 or not any(name.strip() for name in records[0][1]):
        raise FileRejected("F01", "no header row on line 1")
    return ParsedCsv(_header(records[0][1]), records[1:])


def _header(names: list[str]) -> list[str]:
    if names and names[0].startswith("\ufeff"):
        # The BOM was stripped and another follows: the first column's name would be wrong by an invisible
        # character (a confusing F03); the fix is the file's encoding, so say that.
        raise FileRejected("F01", "starts with two UTF-8 byte-order marks (EF BB BF twice): save it once as UTF-8")
    header = [name.strip().upper() for name in names]
    duplicates = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicates:
        raise FileRejected("F04", f"duplicate column names {', '.join(duplicates)}")
    return header


def _parse_plain(data: bytes, text: str) -> ParsedCsv | None:
    """The Arrow read of a plain file (module docstring), or None when the file is not plain or Arrow finds it
    ragged: then `csv` reads it and words what is wrong. Records equal `csv`'s: with no quote character every field
    is the text between commas, with no bare CR and no blank line every line is one numbered record. (The bytes are
    searched, not the text: one-byte searches are memchr-fast, and none of these bytes occurs inside a multi-byte
    UTF-8 character.)"""
    if b'"' in data or b"\x00" in data or text.startswith(("\n", "\r")):
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    first_line = text.split("\n", 1)[0].removesuffix("\r")
    names = first_line.split(",")
    if len(names) < 2 or not any(name.strip() for name in names):
        return None  # one column: Arrow cannot tell a blank line from an empty field
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    generated = [f"c{number}" for number in range(len(names))]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(
                column_names=generated, skip_rows=1, use_threads=False, block_size=max(1 << 20, len(body) + 1)
            ),
            parse_options=pa_csv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(generated, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None  # ragged rows: `csv` reads them, the row checks report them
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if table.num_rows + 1 != lines:
        return None  # a blank line, which Arrow skipped: `csv` skips it too, but counts it in the record numbers
    columns = [table.column(name).combine_chunks() for name in generated]
    return ParsedCsv(_header(names), columns=columns)
