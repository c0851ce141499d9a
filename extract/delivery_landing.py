"""What one monthly delivery has landed, table by table: the inputs of the delivery-level rules (`extract.consistency`).

A load belongs to the delivery `<la>/<YYYY-MM>/` when its ledger row says so (`source_file` under that folder) and it
is live (`landing/<family>/<table>/la_code=<la>/<load_id>.parquet`) with outcome `landed`: superseded loads, history
returns and other months are not part of it. A load with no ledger row yet is still being written by its task.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from extract import landing
from extract.csv_families.registry import REGISTRY
from extract.tables import TABLES

META_COLUMNS = ("load_id", "source_file", "source_row")


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


def read_loads(loads: list[Load], columns: list[str]) -> pa.Table | None:
    """The named columns (plus load id, source file and row) of the loads, concatenated; None when there is none."""
    if not loads:
        return None
    wanted = list(dict.fromkeys([*columns, *META_COLUMNS]))
    return pa.concat_tables(landing.read_columns(load.path, wanted) for load in loads)
