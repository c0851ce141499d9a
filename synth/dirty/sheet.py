"""One 903 file held in memory while it is made dirty: its records (by identity, so inserting rows does not lose
track of them), the records already touched, and the defects injected so far."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from synth.dirty.location import FileFacts
from synth.dirty.shapes import Shape


@dataclass(eq=False)
class Record:
    fields: list[str]
    raw_line: str | None = None  # written verbatim instead of the CSV rendering (a broken quote)


@dataclass(frozen=True)
class Defect:
    """One injected defect; `record` None with `on_header` False is a manifest defect (no row)."""

    kind: str
    expected_rule: str
    field: str | None
    description: str
    record: Record | None = None
    on_header: bool = False


@dataclass(eq=False)
class Sheet:
    facts: FileFacts
    shape: Shape
    header: list[str]
    records: list[Record]
    defects: list[Defect] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # id() of records that carry or support a defect
    _rows: Counter = field(default_factory=Counter)  # stripped rows, to keep injected rows distinct

    def __post_init__(self) -> None:
        self.position = {name.strip().upper(): index for index, name in enumerate(self.header)}
        self._rows.update(self._key(record.fields) for record in self.records)

    @staticmethod
    def _key(fields: list[str]) -> tuple[str, ...]:
        return tuple(value.strip() for value in fields)

    def get(self, record: Record, column: str) -> str:
        return record.fields[self.position[column]].strip()

    def get_date(self, record: Record, column: str) -> date | None:
        return parse_dmy(self.get(record, column))

    def is_free(self, *records: Record) -> bool:
        return all(id(record) not in self.used for record in records)

    def claim(self, *records: Record) -> None:
        self.used.update(id(record) for record in records)

    def change(self, record: Record, values: dict[str, str]) -> bool:
        """Set `values` on `record` unless that makes it equal to another row (which would be a W01 duplicate)."""
        fields = list(record.fields)
        for column, value in values.items():
            fields[self.position[column]] = value
        key = self._key(fields)
        if self._rows[key]:
            return False
        self._rows[self._key(record.fields)] -= 1
        self._rows[key] += 1
        record.fields = fields
        return True

    def insert(self, index: int, record: Record) -> None:
        self.records.insert(index, record)
        self._rows[self._key(record.fields)] += 1

    def index(self, record: Record) -> int:
        return next(index for index, candidate in enumerate(self.records) if candidate is record)

    def row_numbers(self) -> dict[int, int]:
        """id(record) -> CSV record number (the header is record 1)."""
        return {id(record): number for number, record in enumerate(self.records, start=2)}

    def render(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        for record in self.records:
            if record.raw_line is not None:
                buffer.write(record.raw_line + "\n")
            else:
                writer.writerow(record.fields)
        # surrogateescape: a lone byte placed in a field as "\udcXX" (not_utf8) is written as that raw byte.
        return buffer.getvalue().encode("utf-8", "surrogateescape")


def parse_dmy(text: str) -> date | None:
    try:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    except ValueError:
        return None


def dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def read_sheet(data: bytes, facts: FileFacts, shape: Shape) -> Sheet:
    rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) if row]
    return Sheet(facts, shape, rows[0], [Record(row) for row in rows[1:]])
