"""The manifest that travels with each release: what was published, from which inputs, after which checks.

It holds no wall-clock time, so republishing the same inputs with the same code gives a byte-identical release;
when and how long a run took is in the run log, not here.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import duckdb

from pipeline.settings import REPO_ROOT
from publish.release import file_sha256

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = "1"


def git_commit(repo_root: Path = REPO_ROOT) -> str:
    """The commit of the code that produced the release, marked `-dirty` when the work tree has changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo_root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo_root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def input_files(landing_dir: Path, la_code: str, as_of: date) -> list[dict]:
    """Every file of the organisation's deliveries up to `as_of`, with its checksum and outcome, from the ledger; and
    its reference files (`<la>/ref/`, no reporting month): the build reads the ones landed last whatever the month,
    so they are inputs of every month and a re-delivered one makes every published month stale (republish)."""
    ledger_glob = (landing_dir / "_ledger" / "*.parquet").as_posix()
    if not list((landing_dir / "_ledger").glob("*.parquet")):
        return []
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"""
            select source_file, table_name, sha256, load_id, outcome, rows_read, rows_landed, rows_quarantined
            from read_parquet('{ledger_glob}', union_by_name = true)
            where la_code = ? and (reporting_month <= ? or reporting_month is null)
            order by source_file, load_id
            """,
            [la_code, as_of.strftime("%Y-%m")],
        ).fetchall()
    keys = [
        "source_file",
        "table",
        "sha256",
        "load_id",
        "outcome",
        "rows_read",
        "rows_landed",
        "rows_quarantined",
    ]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def corrections(landing_dir: Path, la_code: str, as_of: date) -> list[dict]:
    """Every re-delivered file among the inputs up to `as_of`: the superseded load and the one that replaced it
    (input contract §0.7), reference files included. Read from the ledger alone, so a re-run or a backfill of the month
    lists the same."""
    if not list((landing_dir / "_ledger").glob("*.parquet")):
        return []
    ledger_glob = (landing_dir / "_ledger" / "*.parquet").as_posix()
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"""
            with ledger as (select * from read_parquet('{ledger_glob}', union_by_name = true))
            select old.source_file, old.table_name, old.reporting_month, old.load_id, old.sha256, old.rows_landed,
                new.load_id, new.sha256, new.outcome, new.rows_landed
            from ledger as old
            left join ledger as new on new.load_id = regexp_extract(old.message, '^superseded by (\\S+)$', 1)
            where old.outcome = 'superseded' and old.la_code = ?
                and (old.reporting_month <= ? or old.reporting_month is null)
            order by old.source_file, old.load_id
            """,
            [la_code, as_of.strftime("%Y-%m")],
        ).fetchall()
    keys = [
        "source_file",
        "table",
        "reporting_month",
        "old_load_id",
        "old_sha256",
        "old_rows_landed",
        "new_load_id",
        "new_sha256",
        "new_outcome",
        "new_rows_landed",
    ]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def write_manifest(
    candidate_dir: Path,
    *,
    la_code: str,
    as_of: date,
    inputs: list[dict],
    dbt_summary: dict,
    checkpoint_summary: dict,
    settings: dict | None = None,
    dataset: str = "tsg_dataset",
    corrected: list[dict] | None = None,
) -> Path:
    """Write `manifest.json` into the candidate, listing the checksum of every other file in it."""
    files = {
        path.name: file_sha256(path)
        for path in sorted(candidate_dir.iterdir())
        if path.is_file() and path.name != MANIFEST_NAME
    }
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "dataset": dataset,
        "la_code": la_code,
        "reporting_month": as_of.strftime("%Y-%m"),
        "as_of": as_of.isoformat(),
        "code_version": git_commit(),
        "files": files,
        "inputs": inputs,
        "corrections": corrected or [],
        "dbt_build": dbt_summary,
        "checkpoint": checkpoint_summary,
        "settings": settings or {},
    }
    path = candidate_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return path
