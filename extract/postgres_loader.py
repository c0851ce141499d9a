"""Load the landing Parquet files into PostgreSQL's `landing` schema, where dbt's sources read them.

On DuckDB, dbt reads the landing Parquet directly (`read_parquet(..., union_by_name=true)`); on PostgreSQL the same
sources are tables in schema `landing`. This module makes those tables hold exactly the rows DuckDB would read:
every file of a table is read, columns are matched by name (a column missing from a file is null, as with
`union_by_name`), and the contract columns get their contract types (docs/architecture.md, "Landing").

Every table is dropped and re-created in ONE transaction: a failure (a bad file, a lost connection) rolls back
and leaves the previous landing tables exactly as they were. Rows go in with COPY, not INSERT.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from psycopg2 import sql
from psycopg2.extensions import make_dsn

LANDING_SCHEMA = "landing"

_LOAD_METADATA = {
    "la_code": "text",
    "reporting_month": "text",
    "collection_year": "text",
    "load_id": "text",
    "source_file": "text",
    "source_row": "bigint",
}


@dataclass(frozen=True)
class LandingTable:
    """A landing table: where its Parquet files are (a glob under the landing folder) and its contract columns."""

    name: str
    file_glob: str
    columns: dict[str, str]


CONTRACT_TABLES: tuple[LandingTable, ...] = (
    LandingTable(
        name="ssda903_header",
        file_glob="ssda903/header/*/*.parquet",
        columns={
            "child": "text",
            "sex": "text",
            "dob": "date",
            "ethnic": "text",
            "upn": "text",
            "mother": "text",
            "mc_dob": "date",
            **_LOAD_METADATA,
        },
    ),
    LandingTable(
        name="ssda903_episodes",
        file_glob="ssda903/episodes/*/*.parquet",
        columns={
            "child": "text",
            "decom": "date",
            "rne": "text",
            "ls": "text",
            "cin": "text",
            "place": "text",
            "place_provider": "text",
            "dec": "date",
            "rec": "text",
            "reason_place_change": "text",
            "home_post": "text",
            "pl_post": "text",
            "urn": "text",
            **_LOAD_METADATA,
        },
    ),
    LandingTable(
        name="load_ledger",
        file_glob="_ledger/*.parquet",
        columns={
            "load_id": "text",
            "la_code": "text",
            "reporting_month": "text",
            "collection_year": "text",
            "table_name": "text",
            "source_file": "text",
            "sha256": "text",
            "bytes": "bigint",
            "rows_read": "bigint",
            "rows_landed": "bigint",
            "rows_quarantined": "bigint",
            "outcome": "text",
            "message": "text",
        },
    ),
)

_ARROW_TYPE_OF = {
    "text": pa.string(),
    "date": pa.date32(),
    "bigint": pa.int64(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
    "double precision": pa.float64(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "timestamp": pa.timestamp("us"),
}
_NUMERIC = re.compile(r"^numeric\((\d+),(\d+)\)$")


class LandingLoadError(RuntimeError):
    """A landing file cannot be loaded as its contract says; the message names the file and the column."""


def postgres_dsn_from_env() -> str:
    """A libpq connection string from the CSC_PG_* variables the dbt profile reads (values quoted safely).

    An empty password must be left out, not written as `password= `: libpq would read the next word as the password.
    """
    settings = {
        "host": os.environ.get("CSC_PG_HOST", "127.0.0.1"),
        "port": os.environ.get("CSC_PG_PORT", "55432"),
        "user": os.environ.get("CSC_PG_USER", "postgres"),
        "password": os.environ.get("CSC_PG_PASSWORD", ""),
        "dbname": os.environ.get("CSC_PG_DATABASE", "csc"),
    }
    return make_dsn(**{key: value for key, value in settings.items() if value})


def load_landing_to_postgres(landing_dir: Path, dsn: str) -> dict[str, int]:
    """(Re)create the landing tables in schema `landing` from the Parquet files under `landing_dir`.

    Loads the contract tables (SSDA903 header and episodes, the load ledger) and every other landed table of every
    family, `<family>/<table>/` as `<family>_<table>` (`ssda903_reviews`, `cin_episode`, `ssd_contacts`, `hr_post`,
    `fin_ledger`, `ref_la_profile`...), with types taken from the Parquet. Folders starting with `_` (ledger,
    quarantine, warnings, superseded loads) are not families. A contract table with no files yet is created empty.
    Returns the number of rows loaded per table, e.g. {"ssda903_episodes": 1234, ...}.
    """
    landing_dir = Path(landing_dir)
    tables = [*CONTRACT_TABLES, *_other_landed_tables(landing_dir)]
    prepared = [(table, _read_table(landing_dir, table)) for table in tables]
    counts: dict[str, int] = {}
    connection = psycopg2.connect(dsn)
    try:
        with connection, connection.cursor() as cursor:  # one transaction: all tables or none
            cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(LANDING_SCHEMA)))
            for table, (column_types, rows) in prepared:
                _replace_table(cursor, table.name, column_types, rows)
                counts[table.name] = rows.num_rows
    finally:
        connection.close()
    return counts


def _other_landed_tables(landing_dir: Path) -> list[LandingTable]:
    """Every landed `<family>/<table>/` beyond the contract ones, typed from their Parquet schema."""
    known = {table.name for table in CONTRACT_TABLES}
    if not landing_dir.is_dir():
        return []
    return [
        LandingTable(name=f"{family.name}_{path.name}", file_glob=f"{family.name}/{path.name}/*/*.parquet", columns={})
        for family in sorted(landing_dir.iterdir())
        if family.is_dir() and not family.name.startswith(("_", "."))
        for path in sorted(family.iterdir())
        if path.is_dir() and f"{family.name}_{path.name}" not in known
    ]


def _read_table(landing_dir: Path, table: LandingTable) -> tuple[dict[str, str], pa.Table]:
    """All files of a table as one Arrow table with the contract types, plus the PostgreSQL type of each column."""
    files = sorted(landing_dir.glob(table.file_glob))
    pieces = [_read_file(path) for path in files]
    column_types = dict(table.columns)
    for piece, path in zip(pieces, files, strict=True):
        for field in piece.schema:
            if field.name not in column_types:
                column_types[field.name] = _postgres_type(field.type, path, field.name)
    # Zero-row pieces (the `_empty/schema.parquet` of extract.table_catalogue) only contribute columns: pyarrow's CSV
    # writer emits garbage for a table whose first chunk is empty, so they are left out of the rows.
    aligned = [_conform(piece, column_types, path) for piece, path in zip(pieces, files, strict=True) if piece.num_rows]
    schema = pa.schema([(name, _arrow_type(postgres_type)) for name, postgres_type in column_types.items()])
    rows = pa.concat_tables(aligned) if aligned else schema.empty_table()
    return column_types, rows


def _read_file(path: Path) -> pa.Table:
    """One Parquet file as written (no partition columns inferred from the `la_code=` folder)."""
    try:
        return pq.ParquetFile(path).read()
    except (OSError, pa.ArrowException) as error:
        raise LandingLoadError(f"{path}: not a readable Parquet file ({error})") from error


def _conform(piece: pa.Table, column_types: dict[str, str], path: Path) -> pa.Table:
    """The file's columns in table order with the table's types; a column the file lacks is null."""
    arrays = []
    for name, postgres_type in column_types.items():
        target = _arrow_type(postgres_type)
        if name not in piece.column_names:
            arrays.append(pa.nulls(piece.num_rows, target))
            continue
        column = piece.column(name)
        try:
            arrays.append(column.cast(target))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise LandingLoadError(
                f"{path}: column {name!r} is {column.type}, which cannot be loaded as {postgres_type} ({error})"
            ) from error
    return pa.table(arrays, names=list(column_types))


def _postgres_type(arrow_type: pa.DataType, path: Path, column: str) -> str:
    """The PostgreSQL type for a non-contract column, from its Arrow type."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or pa.types.is_null(arrow_type):
        return "text"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision},{arrow_type.scale})"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    raise LandingLoadError(f"{path}: column {column!r} has type {arrow_type}, which the loader does not map")


def _arrow_type(postgres_type: str) -> pa.DataType:
    numeric = _NUMERIC.match(postgres_type)
    if numeric:
        return pa.decimal128(int(numeric.group(1)), int(numeric.group(2)))
    return _ARROW_TYPE_OF[postgres_type]


def _replace_table(cursor: psycopg2.extensions.cursor, name: str, column_types: dict[str, str], rows: pa.Table) -> None:
    """Drop and create `landing.<name>` with these columns, then COPY the rows in."""
    target = sql.Identifier(LANDING_SCHEMA, name)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(postgres_type))
        for column, postgres_type in column_types.items()
    )
    cursor.execute(sql.SQL("drop table if exists {}").format(target))
    cursor.execute(sql.SQL("create table {} ({})").format(target, columns))
    if rows.num_rows == 0:
        return
    copy = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
        target, sql.SQL(", ").join(sql.Identifier(column) for column in column_types)
    )
    cursor.copy_expert(copy.as_string(cursor), _as_csv(rows))


def _as_csv(rows: pa.Table) -> io.BytesIO:
    """CSV for COPY: a null is an unquoted empty field and an empty string is quoted, as COPY ... csv expects."""
    buffer = io.BytesIO()
    pa_csv.write_csv(rows, buffer, pa_csv.WriteOptions(include_header=False))
    buffer.seek(0)
    return buffer
