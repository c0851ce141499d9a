"""Export the candidate dataset from the warehouse with a read-only connection (dbt has finished writing)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

DATASET_BASENAME = "tsg_dataset"
DATASET_ORDER = "la_code, kpi_id, grain, grain_key, period_end"


def export_candidate(warehouse_path: Path, candidate_dir: Path, la_code: str | None = None) -> Path:
    """Write `pub_tsg_dataset` (optionally one organisation's rows) as Parquet and CSV into `candidate_dir`.

    Rows are sorted and files written without timestamps, so the same warehouse gives byte-identical files.
    Returns the Parquet path.
    """
    candidate_dir.mkdir(parents=True, exist_ok=True)
    where = "where la_code = ?" if la_code else ""
    params = [la_code] if la_code else []
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        table = connection.execute(
            f"select * from {_qualified(connection, 'pub_tsg_dataset')} {where} order by {DATASET_ORDER}",
            params,
        ).to_arrow_table()
    return write_dataset(table, candidate_dir)


def write_dataset(table: pa.Table, candidate_dir: Path) -> Path:
    """Write the dataset table as `<basename>.parquet` and `<basename>.csv`."""
    parquet_path = candidate_dir / f"{DATASET_BASENAME}.parquet"
    pq.write_table(table, parquet_path, compression="zstd", store_schema=True)
    pa_csv.write_csv(table, candidate_dir / f"{DATASET_BASENAME}.csv")
    return parquet_path


def _qualified(connection: duckdb.DuckDBPyConnection, model: str) -> str:
    """The schema-qualified name of a dbt model in the warehouse (dbt decides the schema)."""
    rows = connection.execute(
        "select table_schema from information_schema.tables where table_name = ? order by table_schema",
        [model],
    ).fetchall()
    if not rows:
        raise LookupError(f"{model} is not in the warehouse: has the dbt build run?")
    return f'"{rows[0][0]}"."{model}"'
