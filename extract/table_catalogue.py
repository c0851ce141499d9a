"""Every table the extract layer can land, with its landed schema; and the zero-row Parquet file that makes each one
readable before anything was delivered.

dbt reads a landed table on DuckDB as `read_parquet('<landing>/<family>/<table>/*/*.parquet', union_by_name=true)`
and on PostgreSQL as `landing.<family>_<table>`. A table nobody delivered (an optional table, a new organisation's
first night) would have no file to match, and DuckDB fails on an empty glob. So each known table gets one zero-row
file with its full landed schema at `<landing>/<family>/<table>/_empty/schema.parquet`: an absent table reads as
zero rows with the right columns on both engines, and a delivered file that omits optional columns still yields them
(as nulls) through `union_by_name`. Whether a table was delivered at all is the ledger's business, not this file's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.cin.tables import FOLDERS as CIN_FOLDERS
from extract.cin.tables import schema_of as cin_schema_of
from extract.csv_families.registry import REGISTRY
from extract.landing import METADATA_FIELDS, data_schema
from extract.tables import TABLES as SSDA903_TABLES

EMPTY_FOLDER = "_empty"
EMPTY_FILE = "schema.parquet"


@dataclass(frozen=True)
class LandedTable:
    """A table under `landing/<family>/<folder>/` and the schema its Parquet files have."""

    family: str
    folder: str
    schema: pa.Schema

    @property
    def postgres_name(self) -> str:
        return f"{self.family}_{self.folder}"


def landed_tables() -> Iterator[LandedTable]:
    """Every table of every family, from the readers' own registries (so this list cannot drift from them)."""
    for spec in SSDA903_TABLES:
        yield LandedTable("ssda903", spec.table, data_schema(spec))
    for folder in CIN_FOLDERS:
        yield LandedTable("cin", folder, cin_schema_of(folder))
    for spec in REGISTRY.tables:
        schema = pa.schema([(column.name, column.arrow_type) for column in spec.columns] + METADATA_FIELDS)
        yield LandedTable(spec.family, spec.folder, schema)


def empty_table_path(landing_dir: Path, table: LandedTable) -> Path:
    return Path(landing_dir) / table.family / table.folder / EMPTY_FOLDER / EMPTY_FILE


def write_empty_tables(landing_dir: Path) -> int:
    """Write (or refresh) the zero-row schema file of every known table; returns how many files were (re)written.

    Idempotent and cheap: a file whose schema is already right is left alone, so re-runs write nothing. Each write
    goes to a temporary name first and is renamed, like every other landing write.
    """
    written = 0
    for table in landed_tables():
        path = empty_table_path(landing_dir, table)
        if path.is_file() and pq.read_schema(path).equals(table.schema, check_metadata=False):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        pq.write_table(table.schema.empty_table(), temporary)
        temporary.replace(path)
        written += 1
    return written
