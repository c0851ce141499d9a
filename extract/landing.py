"""The files `extract/` writes for every family (docs/architecture.md, "Landing"): archive, landed Parquet, ledger,
quarantine, superseded loads.

Every file is written to `<name>.tmp` in its folder and renamed into place, so a reader never sees half a file.
Parquet is written from Arrow tables with explicit schemas and no pandas metadata, so the same rows give the same
bytes on every run.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.rows import Issue
from extract.tables import PARTIAL_DATE_PRECISION_SUFFIX, TableSpec
from pipeline.crashpoints import crashpoint

# Errors of the storage, not of the delivered file: disk full, quota, read-only or forbidden folder, I/O failure.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO})


class LandingWriteError(RuntimeError):
    """The landing area or the archive cannot be written: the run stops with this one-line message, and no
    delivered file is blamed (it is not rejected, so the next run, once there is room, extracts it as usual)."""


METADATA_FIELDS = [
    ("la_code", pa.string()),
    ("reporting_month", pa.string()),
    ("collection_year", pa.string()),
    ("load_id", pa.string()),
    ("source_file", pa.string()),
    ("source_row", pa.int64()),
]
_METADATA_NAMES = frozenset(name for name, _type in METADATA_FIELDS)
_LEDGER_CACHE: dict[Path, tuple[tuple[int, int, int], dict | None]] = {}
_LEDGER_CACHE_SIZE = 100_000
LEDGER_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("la_code", pa.string()),
        ("reporting_month", pa.string()),
        ("collection_year", pa.string()),
        ("table_name", pa.string()),
        ("source_file", pa.string()),
        ("sha256", pa.string()),
        ("bytes", pa.int64()),
        ("rows_read", pa.int64()),
        ("rows_landed", pa.int64()),
        ("rows_quarantined", pa.int64()),
        ("outcome", pa.string()),
        ("message", pa.string()),
    ]
)
ISSUE_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("la_code", pa.string()),
        ("reporting_month", pa.string()),
        ("table_name", pa.string()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
        ("field", pa.string()),
        ("value", pa.string()),  # the raw value, only for non-personal fields
        ("value_hash", pa.string()),  # sha256 hex of the raw value, always
        ("rule_code", pa.string()),
        ("message", pa.string()),
    ]
)


# Every character `str.splitlines` breaks on, shown escaped: a message quoting a delivered value stays one line.
_LINE_BREAKS = str.maketrans({char: repr(char)[1:-1] for char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"})


def one_line(text: str) -> str:
    """`text` with its line breaks escaped (`\\n`): quarantine, warning and rejection messages are one line each,
    whatever a delivered value holds (the raw value itself is kept, or hashed, in its own column)."""
    return text.translate(_LINE_BREAKS)


def data_schema(spec: TableSpec) -> pa.Schema:
    """Landed columns of a table: lower-case DfE names (dates date32, all else string), then load metadata."""
    fields: list[tuple[str, pa.DataType]] = []
    for column in spec.columns:
        is_date = column.type in ("date", "partial_date")
        fields.append((column.landed_name, pa.date32() if is_date else pa.string()))
        if column.type == "partial_date":
            fields.append((column.landed_name + PARTIAL_DATE_PRECISION_SUFFIX, pa.string()))
    return pa.schema(fields + METADATA_FIELDS)


def landed_path(landing_dir: Path, family: str, folder: str, la_code: str, load_id: str) -> Path:
    """`landing/<family>/<table folder>/la_code=<la>/<load_id>.parquet`: ssda903/episodes, cin/child, ssd/contacts."""
    return landing_dir / family / folder / f"la_code={la_code}" / f"{load_id}.parquet"


def superseded_path(landing_dir: Path, family: str, folder: str, la_code: str, load_id: str) -> Path:
    """Where a load replaced by a re-delivery of its file is kept for audit: outside every folder dbt reads."""
    return landing_dir / "_superseded" / family / folder / f"la_code={la_code}" / f"{load_id}.parquet"


def live_load_ids(landing_dir: Path, family: str, folder: str, la_code: str) -> list[str]:
    """Load ids of the table's Parquet files dbt reads for this LA (files being written, `*.tmp`, are not listed)."""
    path = landing_dir / family / folder / f"la_code={la_code}"
    return sorted(item.stem for item in path.glob("*.parquet")) if path.is_dir() else []


def ledger_path(landing_dir: Path, load_id: str) -> Path:
    return landing_dir / "_ledger" / f"{load_id}.parquet"


def write_rows(path: Path, schema: pa.Schema, rows: list[tuple[int, dict[str, object]]], metadata: dict) -> None:
    """Landed rows `(source_row, {column: value})` with the load metadata, in the column order of `schema`."""
    write_columns(path, schema, row_columns(schema, rows), [number for number, _values in rows], metadata)


def row_columns(schema: pa.Schema, rows: list[tuple[int, dict[str, object]]]) -> dict[str, list]:
    """Rows `(source_row, {column: value})` column by column (a column a row lacks is null)."""
    data_names = [name for name in schema.names if name not in _METADATA_NAMES]
    return {name: [values.get(name) for _number, values in rows] for name in data_names}


def write_columns(
    path: Path, schema: pa.Schema, columns: dict[str, Sequence], source_rows: Sequence[int], metadata: dict
) -> None:
    """Landed rows given column by column, written to `path` (see `landed_table`)."""
    _write_parquet(landed_table(schema, columns, source_rows, metadata), path)


def landed_table(
    schema: pa.Schema, columns: dict[str, Sequence], source_rows: Sequence[int], metadata: dict
) -> pa.Table:
    """Landed rows given column by column (`columns[name][i]` is row i's value, a list or an Arrow array; a column
    not given is null) with the load metadata, in the column order of `schema`: one Arrow array per column, no dict
    per row."""
    count = len(source_rows)
    arrays = []
    for schema_field in schema:
        name, kind = schema_field.name, schema_field.type
        values = source_rows if name == "source_row" else columns.get(name)
        if name in _METADATA_NAMES and name != "source_row":
            value = metadata.get(name)
            arrays.append(pa.nulls(count, kind) if value is None else pa.repeat(pa.scalar(value, kind), count))
        elif values is None:
            arrays.append(pa.nulls(count, kind))
        elif isinstance(values, pa.Array):  # built column-wise in Arrow by the reader
            arrays.append(values if values.type == kind else values.cast(kind))
        else:
            arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, schema=schema)


def publish_staged(staged: Path, path: Path) -> None:
    """Move a table written batch by batch (`extract.streamed_check`, in `landing/_staging/`) into its landed path
    with one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    crashpoint("landing.rename")
    os.replace(staged, path)


def write_issues(path: Path, issues: list[Issue], metadata: dict) -> None:
    """Quarantine or warning rows; raw values of personal fields are replaced by nothing, only the hash is kept."""
    records = [
        {
            **metadata,
            "source_row": issue.source_row,
            "field": issue.field,
            "value": None if issue.personal else issue.raw,
            "value_hash": hashlib.sha256((issue.raw or "").encode("utf-8")).hexdigest(),
            "rule_code": issue.rule_code,
            "message": one_line(issue.message),
        }
        for issue in issues
    ]
    _write_parquet(pa.Table.from_pylist(records, schema=ISSUE_SCHEMA), path)


def write_issue_records(path: Path, records: list[dict]) -> None:
    """Issue rows already in ISSUE_SCHEMA shape (each with its own load metadata: the delivery-level warnings)."""
    records = [{**record, "message": one_line(record["message"] or "")} for record in records]
    _write_parquet(pa.Table.from_pylist(records, schema=ISSUE_SCHEMA), path)


def write_ledger(landing_dir: Path, entry: dict) -> None:
    _write_parquet(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), ledger_path(landing_dir, entry["load_id"]))


def read_ledger(landing_dir: Path, load_id: str) -> dict | None:
    """The ledger row of a load, or None. Rows read are cached by the file's identity (inode, mtime, size): the
    supersede sweep asks for every live load of a table after each file lands, and a ledger file is only ever
    replaced by a rename, which changes its inode, so another task's rewrite is never missed."""
    path = ledger_path(landing_dir, load_id)
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    identity = (status.st_ino, status.st_mtime_ns, status.st_size)
    cached = _LEDGER_CACHE.get(path)
    if cached is not None and cached[0] == identity:
        return dict(cached[1]) if cached[1] is not None else None
    rows = pq.ParquetFile(path).read().to_pylist()
    entry = rows[0] if rows else None
    if len(_LEDGER_CACHE) >= _LEDGER_CACHE_SIZE:
        _LEDGER_CACHE.clear()
    _LEDGER_CACHE[path] = (identity, entry)
    return dict(entry) if entry is not None else None


def read_columns(path: Path, columns: list[str]) -> pa.Table:
    """The named columns of one landed Parquet file, in that order. `ParquetFile` reads one file directly; the
    dataset machinery behind `pq.read_table` costs about 10 ms a file for nothing here."""
    with pq.ParquetFile(path) as file:
        return file.read(columns=columns, use_threads=False).select(columns)


def write_file_quarantine(path: Path, source_file: str, rule_code: str, message: str) -> None:
    text = json.dumps({"source_file": source_file, "rule_code": rule_code, "message": one_line(message)}, indent=2)
    _write_bytes(path, (text + "\n").encode("utf-8"))


def archive(archive_dir: Path, sha256: str, data: bytes) -> Path:
    """The original bytes at `archive/<sha[:2]>/<sha256>`, written once (an existing copy is never rewritten)."""
    path = archive_dir / sha256[:2] / sha256
    if not path.is_file():
        _write_bytes(path, data)
    return path


def archive_file(archive_dir: Path, sha256: str, source: Path) -> Path:
    """`archive` of a file too large to hold: copied from its path (by the kernel where it can), never read whole."""
    path = archive_dir / sha256[:2] / sha256
    if not path.is_file():
        temporary = path.with_name(path.name + ".tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, temporary)
        crashpoint("landing.rename")
        os.replace(temporary, path)
    return path


def move(source: Path, target: Path) -> None:
    """Move one file with a single rename (atomic on one file system); a file already at `target` is replaced."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def remove(path: Path) -> None:
    """Remove an output left by an earlier load of the same load id (e.g. a quarantine of a now-clean file)."""
    path.unlink(missing_ok=True)


def _write_parquet(table: pa.Table, path: Path) -> None:
    temporary = path.with_name(path.name + ".tmp")
    try:  # the folder usually exists: make it only when the write says it does not (saves a mkdir per file)
        pq.write_table(table, temporary)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, temporary)
    crashpoint("landing.rename")
    os.replace(temporary, path)


def _write_bytes(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
    crashpoint("landing.rename")
    os.replace(temporary, path)
