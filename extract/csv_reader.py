"""Read a delivered CSV as the contract defines it (§0.4): UTF-8 (BOM stripped), RFC 4180, one header row.

File-level problems raise `FileRejected` with the rule code and a one-line reason; rows are returned as read, with
their record number (the header is record 1), for the row checks.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass


class FileRejected(Exception):
    """The whole file is rejected: `rule_code` (F01, F02, F04...) and a one-line message."""

    def __init__(self, rule_code: str, message: str) -> None:
        super().__init__(message)
        self.rule_code = rule_code
        self.message = message


@dataclass(frozen=True)
class ParsedCsv:
    header: list[str]  # trimmed and upper-cased (903 names)
    records: list[tuple[int, list[str]]]  # (record number, fields); blank lines are skipped


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
        raise FileRejected("F01", f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None
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
    header = [name.strip().upper() for name in records[0][1]]
    duplicates = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicates:
        raise FileRejected("F04", f"duplicate column names {', '.join(duplicates)}")
    return ParsedCsv(header, records[1:])
