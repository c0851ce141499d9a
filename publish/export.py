"""Export the candidate from the warehouse with a read-only connection (dbt has finished writing).

The candidate is what the checkpoint audits: `tsg_dataset.parquet` (pub_tsg_dataset, the month's figures of
record) and `tsg_series.parquet` (pub_tsg_series, 13 months at company and service grain, for the trend charts,
breakdowns and the reconciliation gate) and `tsg_reconciliations.parquet` (pub_tsg_reconciliations, the §5.8
item 2 reconciliations counted in the warehouse, audited by the gate and kept in the release as evidence). The
files people use (CSV, XLSX, dashboard) are written from these
after the audit passed (`publish.outputs`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

DATASET_BASENAME = "tsg_dataset"
SERIES_BASENAME = "tsg_series"
RECONCILIATIONS_BASENAME = "tsg_reconciliations"
DATASET_ORDER = "la_code, kpi_id, grain, grain_key, period_end"
SERIES_ORDER = "la_code, kpi_id, grain, grain_key, period_end"
RECONCILIATIONS_ORDER = "la_code, period_end, check_id"


def export_candidate(warehouse_path: Path, candidate_dir: Path, la_code: str | None = None) -> Path:
    """Write `pub_tsg_dataset`, `pub_tsg_series` and `pub_tsg_reconciliations` (optionally one organisation's rows)
    into `candidate_dir`.

    Rows are sorted and files written without timestamps, so the same warehouse gives byte-identical files.
    Returns the dataset's Parquet path.
    """
    candidate_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        dataset = _read(connection, "pub_tsg_dataset", DATASET_ORDER, la_code)
        series = (
            _read(connection, "pub_tsg_series", SERIES_ORDER, la_code) if _has(connection, "pub_tsg_series") else None
        )
        reconciliations = (
            _read(connection, "pub_tsg_reconciliations", RECONCILIATIONS_ORDER, la_code)
            if _has(connection, "pub_tsg_reconciliations")
            else None  # the gate then fails: a reconciliation that did not run has not passed
        )
    if series is not None:
        write_parquet(series, candidate_dir / f"{SERIES_BASENAME}.parquet")
    if reconciliations is not None:
        write_parquet(reconciliations, candidate_dir / f"{RECONCILIATIONS_BASENAME}.parquet")
    return write_dataset(dataset, candidate_dir)


def write_dataset(table: pa.Table, candidate_dir: Path) -> Path:
    """Write the dataset table as `<basename>.parquet` and `<basename>.csv` (unguarded: tests and tools only;
    the published CSV is written by `publish.outputs` with the formula guard)."""
    parquet_path = candidate_dir / f"{DATASET_BASENAME}.parquet"
    write_parquet(table, parquet_path)
    pa_csv.write_csv(table, candidate_dir / f"{DATASET_BASENAME}.csv")
    return parquet_path


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", store_schema=True)


def _read(connection: duckdb.DuckDBPyConnection, model: str, order: str, la_code: str | None) -> pa.Table:
    where = "where la_code = ?" if la_code else ""
    params = [la_code] if la_code else []
    return connection.execute(
        f"select * from {_qualified(connection, model)} {where} order by {order}", params
    ).to_arrow_table()


def _has(connection: duckdb.DuckDBPyConnection, model: str) -> bool:
    return bool(
        connection.execute("select count(*) from information_schema.tables where table_name = ?", [model]).fetchone()[0]
    )


def _qualified(connection: duckdb.DuckDBPyConnection, model: str) -> str:
    """The schema-qualified name of a dbt model in the warehouse (dbt decides the schema)."""
    rows = connection.execute(
        "select table_schema from information_schema.tables where table_name = ? order by table_schema",
        [model],
    ).fetchall()
    if not rows:
        raise LookupError(f"{model} is not in the warehouse: has the dbt build run?")
    return f'"{rows[0][0]}"."{model}"'
