"""The analysts' read-only copy of the warehouse: marts and publish layers only, swapped in after each good build.

Analysts never open the file dbt writes (`Settings.warehouse_path`): DuckDB allows one writer per file, and a query
running while the nightly build swaps the warehouse would block it or read a half-built file. After a successful
build, this module copies the analyst-facing layers (schemas `marts` and `publish`, nothing from landing, staging,
intermediate or seeds) into a fresh DuckDB file, generates the dbt documentation site against that copy, makes the
file read-only and renames it over the previous copy. A rename is atomic: an analyst sees the old copy or the new
one, never a part; a session that already had the old copy open keeps reading it (the inode lives on until closed).

    <data>/analyst/warehouse.duckdb     the copy (CSC_ANALYST_WAREHOUSE_PATH), mode 0444, opened read-only
    <data>/analyst/docs -> docs.<id>/   the dbt docs site built with it (index.html, manifest.json, catalog.json)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipeline.crashpoints import crashpoint
from pipeline.dbt_runner import run_dbt
from pipeline.settings import Settings

ANALYST_SCHEMAS: tuple[str, ...] = ("marts", "publish")
REQUIRED_TABLE = ("publish", "pub_tsg_dataset")
READ_ONLY_MODE = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
FINGERPRINT_FILE = "docs_fingerprint.txt"


class AnalystCopyError(RuntimeError):
    """The warehouse cannot be copied for analysts (e.g. it has no published dataset); the old copy is kept."""


@dataclass(frozen=True)
class AnalystPaths:
    """Where the analysts' copy and its documentation site live."""

    copy: Path
    docs_link: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> AnalystPaths:
        default = settings.data_dir / "analyst" / "warehouse.duckdb"
        value = os.environ.get("CSC_ANALYST_WAREHOUSE_PATH")
        copy = Path(value).resolve() if value else default
        return cls(copy=copy, docs_link=copy.parent / "docs")


def publish_analyst_copy(settings: Settings, as_of: date, *, with_docs: bool = True) -> dict:
    """Copy the analyst-facing layers of the built warehouse and swap the copy (and its docs site) in atomically.

    Call it only after a build whose models and tests all passed, under the writer lock (the source must not change
    while it is read). Any failure leaves the previous copy and docs site exactly as they were.
    """
    paths = AnalystPaths.from_settings(settings)
    paths.copy.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(paths)
    staging = paths.copy.with_name(f".{paths.copy.name}.{uuid.uuid4().hex[:12]}.tmp")
    docs_dir = paths.copy.parent / f"docs.{uuid.uuid4().hex[:12]}"
    try:
        tables = copy_analyst_layers(settings.warehouse_path, staging)
        fingerprint = _docs_fingerprint(settings, staging) if with_docs else None
        # The docs depend on the project and on which tables and columns the copy has, not on the rows: most
        # nights neither changed and the current site is kept (a docs build costs tens of seconds).
        regenerate = with_docs and (fingerprint is None or fingerprint != _current_fingerprint(paths))
        if regenerate:
            generate_docs(staging, docs_dir, as_of, settings)
            (docs_dir / FINGERPRINT_FILE).write_text(fingerprint or "", encoding="utf-8")
        staging.chmod(READ_ONLY_MODE)
        crashpoint("analyst.staged")
        os.replace(staging, paths.copy)  # the atomic swap of the copy
        if regenerate:
            _swap_symlink(paths.docs_link, docs_dir)
    finally:
        staging.unlink(missing_ok=True)
        _remove_stale_docs(paths)
    return {
        "analyst_copy": str(paths.copy),
        "docs": str(paths.docs_link) if with_docs else None,
        "tables": tables,
    }


def copy_analyst_layers(source: Path, destination: Path) -> list[str]:
    """Copy every table and view of the analyst schemas of `source` into a new DuckDB file as tables.

    Views become tables, so the copy never depends on a schema it does not hold. Returns `schema.table` names.
    """
    if not source.exists():
        raise AnalystCopyError(f"no warehouse at {source}: run the build first")
    destination.unlink(missing_ok=True)
    with duckdb.connect(str(destination)) as connection:
        connection.execute(f"attach '{_quoted(source)}' as source_db (read_only)")
        listed = connection.execute(
            """
            select table_schema, table_name
            from information_schema.tables
            where table_catalog = 'source_db' and table_schema in ({})
            order by table_schema, table_name
            """.format(", ".join("?" for _ in ANALYST_SCHEMAS)),
            list(ANALYST_SCHEMAS),
        ).fetchall()
        if REQUIRED_TABLE not in listed:
            raise AnalystCopyError(f"the warehouse {source} has no {'.'.join(REQUIRED_TABLE)}: nothing to copy")
        for schema in sorted({schema for schema, _ in listed}):
            connection.execute(f'create schema "{schema}"')
        for schema, table in listed:
            connection.execute(f'create table "{schema}"."{table}" as select * from source_db."{schema}"."{table}"')
        connection.execute("detach source_db")
        connection.execute("checkpoint")
    return [f"{schema}.{table}" for schema, table in listed]


def generate_docs(warehouse: Path, docs_dir: Path, as_of: date, settings: Settings) -> None:
    """`dbt docs generate` over the copy: the manifest (every model, column description, lineage, KPI definitions
    in the YAML) and a catalog of exactly what the copy holds. `--static` also writes one self-contained page.

    The manifest is the build's own (work/dbt_target/manifest.json) or, without one, `dbt parse`'s, with the compiled
    SQL removed: compiled SQL holds the pseudonymisation key (macros/privacy/pseudonymous_key.sql), which must never
    reach analysts. The docs show each model's source SQL instead.
    """
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = settings.duckdb_config  # the run's memory limit and spill folder, as for the build
    env = {
        "CSC_WAREHOUSE_PATH": str(warehouse),
        "CSC_LANDING_DIR": str(settings.landing_dir),
        "CSC_DUCKDB_MEMORY_LIMIT": config["memory_limit"],
        "CSC_DUCKDB_TEMP_DIR": config["temp_directory"],
    }
    build_manifest = settings.work_dir / "dbt_target" / "manifest.json"
    if build_manifest.exists():
        shutil.copyfile(build_manifest, docs_dir / "manifest.json")
    else:
        parsed = run_dbt(["parse"], as_of=as_of, target="duckdb", target_path=docs_dir, env_overrides=env)
        if not parsed.success:
            raise AnalystCopyError(f"dbt parse failed: {parsed.log_tail}")
    _strip_compiled_sql(docs_dir / "manifest.json")
    result = run_dbt(
        ["docs", "generate", "--static", "--no-compile"],
        as_of=as_of,
        target="duckdb",
        target_path=docs_dir,
        env_overrides=env,
    )
    if not result.success or not (docs_dir / "index.html").exists():
        shutil.rmtree(docs_dir, ignore_errors=True)
        raise AnalystCopyError(f"dbt docs generate failed: {result.log_tail}")
    for leftover in (
        "logs",
        "compiled",
        "run",
        "run_results.json",
        "partial_parse.msgpack",
        "graph.gpickle",
        "graph_summary.json",
        "semantic_manifest.json",
        "perf_info.json",
    ):
        target = docs_dir / leftover
        shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)


def _docs_fingerprint(settings: Settings, copy: Path) -> str | None:
    """A hash of what the docs show: the build's manifest without its run-specific parts (timestamps, compiled SQL)
    and the copy's columns. None without a build manifest (the docs are then always generated)."""
    build_manifest = settings.work_dir / "dbt_target" / "manifest.json"
    if not build_manifest.exists():
        return None
    manifest = json.loads(build_manifest.read_text(encoding="utf-8"))
    content = {key: manifest.get(key) for key in ("nodes", "sources", "macros", "docs", "exposures", "metrics")}
    with duckdb.connect(str(copy), read_only=True) as connection:
        columns = connection.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns order by all"
        ).fetchall()
    text = json.dumps([_without_run_fields(content), columns], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without_run_fields(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_run_fields(v) for k, v in value.items() if k not in _RUN_FIELDS}
    if isinstance(value, list):
        return [_without_run_fields(item) for item in value]
    return value


_RUN_FIELDS = {"created_at", "compiled_code", "compiled", "compiled_path", "extra_ctes", "extra_ctes_injected"}


def _current_fingerprint(paths: AnalystPaths) -> str | None:
    path = paths.docs_link / FINGERPRINT_FILE
    return path.read_text(encoding="utf-8") if path.exists() else None


def _strip_compiled_sql(manifest_path: Path) -> None:
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for node in manifest.get("nodes", {}).values():
        for field in ("compiled_code", "compiled_sql", "injected_sql"):
            if field in node:
                node[field] = None
        node["compiled"] = False
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def open_read_only(paths: AnalystPaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the analysts' copy: a write through it fails."""
    if not paths.copy.exists():
        raise AnalystCopyError(f"no analyst copy at {paths.copy}: it is published after the first successful build")
    return duckdb.connect(str(paths.copy), read_only=True)


def _swap_symlink(link: Path, target_dir: Path) -> None:
    """Point `link` at `target_dir` with one rename (a symlink is replaced atomically; a directory could not be)."""
    temporary = link.with_name(f".{link.name}.{uuid.uuid4().hex[:12]}")
    temporary.symlink_to(target_dir.name)
    os.replace(temporary, link)


def _remove_stale_staging(paths: AnalystPaths) -> None:
    """Delete what a run killed half-way left: its staging copy (and DuckDB's WAL of it) and temporary docs link.
    Only one run copies at a time (the writer lock), so none of them is in use; their names are never read."""
    for stale in paths.copy.parent.glob(f".{paths.copy.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    for stale in paths.copy.parent.glob(f".{paths.docs_link.name}.*"):
        if stale.is_symlink():
            stale.unlink()


def _remove_stale_docs(paths: AnalystPaths) -> None:
    """Delete the docs folders the link no longer points at (earlier builds, or a failed attempt)."""
    current = paths.docs_link.resolve() if paths.docs_link.is_symlink() else None
    for folder in paths.copy.parent.glob("docs.*"):
        if folder.resolve() != current:
            shutil.rmtree(folder, ignore_errors=True)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
