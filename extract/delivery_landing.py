"""What one monthly delivery has landed, table by table: the inputs of the delivery-level rules (`extract.consistency`).

A load belongs to the delivery `<la>/<YYYY-MM>/` when its ledger row says so (`source_file` under that folder) and it
is live (`landing/<family>/<table>/la_code=<la>/<load_id>.parquet`) with outcome `landed`: superseded loads, history
returns and other months are not part of it. A load with no ledger row yet is still being written by its task.

The rules read a delivery's tables a batch of rows at a time (`load_batches`), only the columns they need, so the
pass's memory is set by a batch and by the ids it looks up, not by the size of the largest table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract import landing
from extract.csv_families.registry import REGISTRY
from extract.tables import TABLES

META_COLUMNS = ("load_id", "source_file", "source_row")
BATCH_ROWS = 65_536  # rows of a landed table read at a time by the delivery-level rules


@dataclass(frozen=True)
class LandedTableRef:
    """One landed table: where it lands, its ledger `table_name`, its primary key (landed column names)."""

    family: str
    folder: str
    table_name: str
    pk: tuple[str, ...]
    label: str  # the contract's name, for messages (Episodes, ssd_contacts)
    pk_shown: tuple[str, ...] = ()  # the key as the file names it (903: CHILD, DECOM), for findings


@dataclass(frozen=True)
class Load:
    load_id: str
    entry: dict  # its ledger row
    path: Path  # its live Parquet


def _refs() -> tuple[LandedTableRef, ...]:
    refs = [
        LandedTableRef("ssda903", spec.table, spec.table, tuple(name.lower() for name in spec.pk), spec.name, spec.pk)
        for spec in TABLES
    ]
    for spec in REGISTRY.tables:
        # A `la_code` key column the table does not land under another name is the folder's LA: constant within a
        # delivery, so it is left out of the key.
        pk = tuple(
            spec.la_code_as if name == "la_code" else name for name in spec.pk if name != "la_code" or spec.la_code_as
        )
        refs.append(LandedTableRef(spec.family, spec.folder, spec.name, pk, spec.name, pk))
    return tuple(refs)


TABLE_REFS = _refs()  # every table with a delivered key (CIN records have none: see `extract.parts`)
CIN_CHILD = LandedTableRef("cin", "child", "cin", ("lachildid",), "CIN Child")


def table_ref(family: str, table_name: str) -> LandedTableRef:
    return next(ref for ref in TABLE_REFS if ref.family == family and ref.table_name == table_name)


def delivery_loads(landing_dir: Path, ref: LandedTableRef, la_code: str, folder: str) -> list[Load]:
    """The live landed loads of one table delivered in `<la_code>/<folder>/` (a month, or `ref`), in `source_file`
    order."""
    prefix = f"{la_code}/{folder}/"
    loads = []
    for load_id in landing.live_load_ids(landing_dir, ref.family, ref.folder, la_code):
        entry = landing.read_ledger(landing_dir, load_id)
        if entry and entry["outcome"] == "landed" and entry["source_file"].startswith(prefix):
            path = landing.landed_path(landing_dir, ref.family, ref.folder, la_code, load_id)
            loads.append(Load(load_id, entry, path))
    return sorted(loads, key=lambda load: (load.entry["source_file"], load.load_id))


def load_batches(loads: list[Load], columns: list[str], meta: bool = True) -> Iterator[pa.RecordBatch]:
    """The named columns (plus load id, source file and row unless `meta` is False) of the loads, `BATCH_ROWS` rows
    at a time, in load then row order: the rows of the loads concatenated, never all held at once."""
    wanted = list(dict.fromkeys([*columns, *(META_COLUMNS if meta else ())]))
    for load in loads:
        with pq.ParquetFile(load.path) as file:
            for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=wanted, use_threads=False):
                yield batch.select(wanted)
                # Arrow's allocator (mimalloc) keeps freed batches' memory mapped unless asked: without this the
                # pass's peak grows with the tables it reads even though one batch is held at a time.
                pa.default_memory_pool().release_unused()


def distinct_values(loads: list[Load], column: str) -> pa.Array:
    """The distinct non-null values of one column of the loads (in no particular order), read batch by batch."""
    found = None
    for load in loads:
        with pq.ParquetFile(load.path) as file:
            if found is None:  # a load of no row still gives the column's type: an empty set, not None
                found = pa.array([], type=file.schema_arrow.field(column).type)
            for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=[column], use_threads=False):
                found = pc.unique(pa.concat_arrays([found, batch.column(0).drop_null()]))
    return found
