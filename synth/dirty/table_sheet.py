"""One SSD, local, HR or finance CSV held in memory while it is made dirty: a `Sheet` with the contract's lower-case
names and ISO dates, whose inserted rows wait until the end (`materialise`) so that big files are not re-indexed
for every copy."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from synth.dirty.location import FileFacts
from synth.dirty.sheet import Record, Sheet
from synth.dirty.table_shapes import TableShape


@dataclass(eq=False)
class TableSheet(Sheet):
    family: str = ""
    pending: dict[int, list[Record]] = field(default_factory=dict)  # id(record) -> copies to insert after it

    def __post_init__(self) -> None:
        self.position = {name.strip().lower(): index for index, name in enumerate(self.header)}
        self._rows.update(self._key(record.fields) for record in self.records)

    @property
    def table(self) -> TableShape:
        return self.shape

    def has(self, column: str) -> bool:
        return column in self.position

    def get_date(self, record: Record, column: str) -> date | None:
        try:
            return date.fromisoformat(self.get(record, column))
        except ValueError:
            return None

    def get_datetime(self, record: Record, column: str) -> datetime | None:
        text = self.get(record, column)
        try:
            return datetime.fromisoformat(text) if len(text) > 10 else None
        except ValueError:
            return None

    def add_after(self, record: Record, copy: Record) -> None:
        """Insert `copy` right after `record` when the sheet is materialised."""
        self._rows[self._key(copy.fields)] += 1
        self.pending.setdefault(id(record), []).append(copy)

    def materialise(self) -> None:
        if self.pending:
            self.records = [row for record in self.records for row in (record, *self.pending.get(id(record), ()))]
            self.pending = {}

    def add_column(self, index: int, name: str, values: list[str]) -> None:
        """Insert a column (header `name`, one value per record in order) at `index`."""
        self.header.insert(index, name)
        for record, value in zip(self.records, values, strict=True):
            record.fields.insert(index, value)
        self.position = {column.strip().lower(): position for position, column in enumerate(self.header)}


def read_table_sheet(data: bytes, facts: FileFacts, shape: TableShape, family: str) -> TableSheet:
    rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) if row]
    return TableSheet(facts, shape, rows[0], [Record(row) for row in rows[1:]], family=family)
