"""What every family's reader hands to the extractor: the recognised table and, once checked, its landed rows.

A reader (903 CSV, CIN XML, the generic CSV families) turns a file's bytes into a `Recognised`: which ledger table
it is (the load-id prefix), which landed tables it fills, and any file-level problem. Its `check` runs the row rules
and returns a `Checked`. Everything after that (load ids, the unchanged test, F07, atomic landing, the ledger,
quarantine, supersede) is the family-agnostic machinery of `extract.extractor`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from extract.rows import Issue


@dataclass
class LandedTable:
    """One landed Parquet table of a load: `landing/<family>/<folder>/la_code=<la>/<load_id>.parquet`."""

    folder: str
    schema: pa.Schema
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    # Column-wise instead of `rows` (the CSV readers): landed name -> values, and each row's source_row. Rows built
    # column by column go to Arrow without a dict per row.
    columns: dict[str, list] | None = None
    source_rows: list[int] = field(default_factory=list)
    # Or already written, batch by batch, to this file in `landing/_staging/` (`extract.streamed_check`): renamed
    # into place when the file lands, deleted when it is rejected.
    staged: Path | None = None
    staged_rows: int = 0

    @property
    def row_count(self) -> int:
        if self.staged is not None:
            return self.staged_rows
        return len(self.source_rows) if self.columns is not None else len(self.rows)


@dataclass
class Checked:
    rows_read: int
    tables: list[LandedTable]
    quarantine: list[Issue] = field(default_factory=list)  # R* and W01, one or more per quarantined row
    warnings: list[Issue] = field(default_factory=list)  # W02-W05, W07, W10 on kept rows or on the file
    rows_rejected: int = 0  # rows with an R* finding: the F07 numerator
    rows_quarantined: int = 0  # rows rejected or dropped (W01): rows_read = rows landed + rows_quarantined

    @property
    def rows_landed(self) -> int:
        return sum(table.row_count for table in self.tables)


@dataclass
class Recognised:
    """What a file is. `table_name` None = unrecognised (load id `unrecognised-...`)."""

    table_name: str | None
    folders: tuple[str, ...] = ()  # landed table folders under landing/<family>/
    data_rows: int | None = None  # the count a manifest files[] entry's `rows` is compared with (F09)
    problem: tuple[str, str] | None = None  # rejects the file; checked before the manifest
    scope_problem: tuple[str, str] | None = None  # rejects the file; checked after the manifest (903 W02)
    collection_year: str | None = None  # overrides the path's (CIN ReferenceDate, §1.2.1)
    check: Callable[..., Checked] | None = None
    # A streamed CSV's check takes where to stage its landed rows: `check(extract.streamed_check.Staging)`.
    streamed: bool = False
