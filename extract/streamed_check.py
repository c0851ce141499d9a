"""Check and land a streamed CSV (`extract.csv_stream`) batch by batch, with exactly the findings of the whole file.

A reader's check (`ParsedCsv` -> `Checked`) is written for a whole file. Every rule it applies sees one row, except
two: an exact duplicate of an earlier row (W01) and a key held by several rows (R03, or W01 when they are equal once
parsed). Both only ever relate rows whose key texts are equal (an exact duplicate repeats its key too). So each batch
is checked as if it were the file, its kept rows written to a staged Parquet file in `landing/_staging/`, and each
record's key texts hashed. A record sharing its hash with no other has, in its batch, exactly its whole-file
findings. The others ("suspects", few in a real file, none in most) are checked again together as one small file,
which gives each of them its whole-file findings; their batch findings and rows are replaced by those (the staged
file rewritten a row group at a time). The extractor moves the staged file into place only if the file is accepted
(F07 is known only at the end) and deletes it otherwise. Quarantine and warnings are the whole file's, in its
order, and so are the landed rows.

When the key columns say nothing (no required id or text column in the key) or the suspects are more than a batch,
the file is checked whole, as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract import landing
from extract.csv_reader import ParsedCsv
from extract.csv_stream import StreamedCsv, suspects
from extract.reading import Checked, LandedTable


@dataclass(frozen=True)
class Staging:
    """Where a load's tables are written while the file is checked (`folder` = `landing/_staging/`, outside every
    folder dbt reads, so a rejected file leaves no table folder behind), and the load metadata of their rows."""

    folder: Path
    metadata: dict

    def path(self, table_folder: str) -> Path:
        return self.folder / f"{self.metadata['load_id']}.{table_folder.replace('/', '_')}.parquet.tmp"


def check_streamed(
    source: StreamedCsv, check: Callable[[ParsedCsv], Checked], key_positions: list[int], staging: Staging
) -> Checked:
    """`check` of the whole file, run batch by batch (module docstring); landed tables come back staged.

    `key_positions`: the header positions of the key columns whose landed value is their trimmed text or the row is
    rejected (required ids and texts), so equal keys have equal texts there; other key columns are left out, which
    only makes more records suspects."""
    if not key_positions:
        return check(source.whole())
    result = Checked(rows_read=source.row_count, tables=[])
    writers: dict[str, _StagedTable] = {}
    hashes: list[tuple[np.ndarray, ...]] = []
    try:
        for batch in source.batches():
            hashes.append(source.key_hashes(batch, key_positions))
            _absorb(result, check(batch), writers, staging)
        for writer in writers.values():
            writer.close()
        numbers, keys = (np.concatenate(parts) for parts in zip(*hashes, strict=True))
        del hashes
        shared = suspects(numbers, keys)
        del numbers, keys
        if len(shared) > source.batch_rows:
            _discard(writers)
            return check(source.whole())
        if len(shared):
            _settle(result, check(source.select(shared)), shared, writers, staging)
    except BaseException:
        _discard(writers)
        raise
    result.quarantine.sort(key=lambda issue: issue.source_row)
    result.warnings.sort(key=lambda issue: issue.source_row)
    # Every quarantined row is a data row with an R* finding or a W01 drop, never both (both readers).
    result.rows_quarantined = len({issue.source_row for issue in result.quarantine})
    result.rows_rejected = len({issue.source_row for issue in result.quarantine if issue.rule_code != "W01"})
    result.tables = [
        LandedTable(folder, writer.schema, staged=writer.staged, staged_rows=writer.rows)
        for folder, writer in writers.items()
    ]
    return result


def _absorb(result: Checked, checked: Checked, writers: dict[str, _StagedTable], staging: Staging) -> None:
    """One batch's findings and landed rows."""
    result.quarantine.extend(checked.quarantine)
    # Header findings (W02, W10 on row 1) come with every batch's check: kept once.
    first = not writers
    result.warnings.extend(issue for issue in checked.warnings if first or issue.source_row != 1)
    for table in checked.tables:
        if table.folder not in writers:
            writers[table.folder] = _StagedTable(staging.path(table.folder), table.schema)
        writers[table.folder].write(_arrow(table, staging.metadata))


def _settle(
    result: Checked, settled: Checked, shared: np.ndarray, writers: dict[str, _StagedTable], staging: Staging
) -> None:
    """The suspects' findings and kept rows, checked together, in place of their batches'."""
    suspect = set(shared.tolist())
    result.quarantine[:] = [issue for issue in result.quarantine if issue.source_row not in suspect]
    result.quarantine.extend(settled.quarantine)
    result.warnings[:] = [issue for issue in result.warnings if issue.source_row not in suspect]
    result.warnings.extend(issue for issue in settled.warnings if issue.source_row != 1)
    for table in settled.tables:
        writers[table.folder].replace_rows(shared, _arrow(table, staging.metadata))


def _discard(writers: dict[str, _StagedTable]) -> None:
    for writer in writers.values():
        writer.discard()


def _arrow(table: LandedTable, metadata: dict) -> pa.Table:
    if table.columns is not None:
        return landing.landed_table(table.schema, table.columns, table.source_rows, metadata)
    return landing.landed_table(
        table.schema, landing.row_columns(table.schema, table.rows), [n for n, _ in table.rows], metadata
    )


def _in_file_order(table: pa.Table) -> pa.Table:
    return table.take(pc.sort_indices(table.column("source_row"))).combine_chunks()


class _StagedTable:
    """One landed table written a batch at a time to its staged path."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.staged = path
        self.schema = schema
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            self.staged.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.staged, self.schema)
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is None:  # no row at all: the empty table, as `pq.write_table` writes it
            self.write(self.schema.empty_table())
        self._writer.close()

    def replace_rows(self, numbers: np.ndarray, rows: pa.Table) -> None:
        """Rewrite the closed file a row group at a time: the rows whose source_row is in `numbers` (sorted) out,
        `rows` (in file order) in, each merged into the row group that holds its place."""
        previous = self.staged.with_name(self.staged.name + ".old")
        os.replace(self.staged, previous)
        self._writer, self.rows = None, 0
        try:
            with pq.ParquetFile(previous) as file:
                groups = file.num_row_groups
                for group in range(groups):
                    table = pa.Table.from_arrays(file.read_row_group(group).columns, schema=self.schema)
                    source_rows = table.column("source_row").to_numpy()
                    table = table.filter(pa.array(~np.isin(source_rows, numbers)))
                    last = source_rows[-1] if len(source_rows) and group < groups - 1 else np.iinfo(np.int64).max
                    count = int(np.searchsorted(rows.column("source_row").to_numpy(), last, side="right"))
                    if count:
                        table = _in_file_order(pa.concat_tables([table, rows.slice(0, count)]))
                        rows = rows.slice(count)
                    self.write(table)
            if rows.num_rows:  # a file of no row group (none is written, but a reader may be handed one)
                self.write(rows)
            self.close()
        finally:
            previous.unlink(missing_ok=True)

    def discard(self) -> None:
        """Delete the staged file; closing it may fail again (a full disk), which the error on its way says."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()  # a second close does nothing
        self.staged.unlink(missing_ok=True)
