"""What the crash tests need: the real command line as a subprocess, and what a run leaves compared with a baseline.

A DuckDB file is not byte-for-byte reproducible (block layout, free lists and headers differ between two builds of
the same data), so warehouses are compared by content: every table's and view's columns, row count and an
order-free checksum of its rows. Landing, archive, published and report files are compared byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from pipeline.run_log import RUN_LOG_NAME
from pipeline.settings import REPO_ROOT
from tests.helpers import tree_snapshot

AS_OF = "2026-10-31"
LA_CODE = "E06000039"
MONTH = "2026-10"
# Every setting that could point a run away from its own data folder is dropped from the inherited environment.
_PATH_SETTINGS = (
    "CSC_INBOUND_DIR",
    "CSC_LANDING_DIR",
    "CSC_ARCHIVE_DIR",
    "CSC_WAREHOUSE_PATH",
    "CSC_WORK_DIR",
    "CSC_PUBLISH_DIR",
    "CSC_REPORTS_DIR",
    "CSC_DBT_TARGET",
    "CSC_ANALYST_WAREHOUSE_PATH",
    "CSC_DUCKDB_TEMP_DIR",
    "CSC_SUPPRESS_BELOW",
    "CSC_CRASH_AT",
)
# The step an Airflow task runs for the analysts' copy, in its own process as a task would be.
ANALYST_COPY_STEP = (
    "import sys; from datetime import date; from pipeline import steps; from pipeline.settings import Settings; "
    "steps.publish_analyst_copy(Settings.from_env(), date.fromisoformat(sys.argv[1]))"
)


def run_env(data_dir: Path, crash_at: str | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _PATH_SETTINGS}
    env.update({"CSC_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)})
    if crash_at:
        env["CSC_CRASH_AT"] = crash_at
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args, "--as-of", AS_OF]


def run(data_dir: Path, argv: list[str], crash_at: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, env=run_env(data_dir, crash_at), cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600
    )


def assert_killed(result: subprocess.CompletedProcess) -> None:
    """The run died of SIGKILL (not an exception, not a clean exit)."""
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stdout[-1500:], result.stderr[-3000:])


def assert_ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, (result.returncode, result.stdout[-1500:], result.stderr[-3000:])


def extraction_state(data_dir: Path) -> dict[str, str]:
    """Landing area and archive, byte for byte (temporary files included: a leftover is a difference)."""
    return {
        **{f"landing/{key}": value for key, value in tree_snapshot(data_dir / "landing").items()},
        **{f"archive/{key}": value for key, value in tree_snapshot(data_dir / "archive").items()},
    }


def publication_state(data_dir: Path) -> dict[str, str]:
    """Published tree (files and symlinks) and gate reports, byte for byte, but for the run logs beside them: a log
    of when each step ran is evidence of that run, never the same twice (it is outside the manifest's files)."""
    return {
        key: value
        for key, value in {
            **{f"published/{key}": value for key, value in tree_snapshot(data_dir / "published").items()},
            **{f"reports/{key}": value for key, value in tree_snapshot(data_dir / "reports").items()},
        }.items()
        if not key.endswith(RUN_LOG_NAME)
    }


def duplicate_loads(landing_dir: Path) -> list[tuple[str, str]]:
    """(source_file, table) pairs with more than one ledger row `landed`: a file loaded twice."""
    rows = [
        row for path in sorted((landing_dir / "_ledger").glob("*.parquet")) for row in pq.read_table(path).to_pylist()
    ]
    landed = [(row["source_file"], row["table_name"]) for row in rows if row["outcome"] == "landed"]
    return sorted({key for key in landed if landed.count(key) > 1})


def warehouse_content(path: Path) -> dict[str, tuple]:
    """Per table and view of a DuckDB file: its columns and types, row count and a checksum of its rows that does
    not depend on row order (the sum of the rows' hashes, so a duplicated row changes it)."""
    content = {}
    with duckdb.connect(str(path), read_only=True) as connection:
        relations = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by all"
        ).fetchall()
        for schema, name in relations:
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, name],
            ).fetchall()
            count, checksum = connection.execute(
                f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from "{schema}"."{name}" as t'
            ).fetchone()
            content[f"{schema}.{name}"] = (tuple(columns), count, int(checksum))
    return content


def hidden_entries(root: Path) -> list[str]:
    """Temporary names (leading dot) under `root`: staging folders, swap links, `.tmp` files a killed run left."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob(".*")) if root.exists() else []


def published_problems(publish_dir: Path) -> list[str]:
    """What a reader of the publication could trip on: every release reachable by a public name (the month and
    `latest` symlinks, the release folders) must be complete: exactly the files its manifest lists, each with the
    listed sha256, each readable to the end. Temporary names (leading dot) are not public and are skipped."""
    problems: list[str] = []
    if not publish_dir.exists():
        return problems
    releases = [p for p in (publish_dir / "releases").glob("*/*/*") if not p.name.startswith(".")]
    links = [p for p in publish_dir.glob("*/*") if p.is_symlink() and not p.name.startswith(".")]
    for link in links:
        if not link.resolve().is_dir():
            problems.append(f"{link.relative_to(publish_dir)} points at nothing")
    for release in {*releases, *(link.resolve() for link in links if link.resolve().is_dir())}:
        problems += [f"{release.relative_to(publish_dir)}: {problem}" for problem in _release_problems(release)]
    return sorted(problems)


def _release_problems(release: Path) -> list[str]:
    manifest_path = release / "manifest.json"
    if not manifest_path.is_file():
        return ["no manifest.json"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"manifest.json does not parse: {error}"]
    problems = []
    present = {p.name for p in release.iterdir()} - {"manifest.json", RUN_LOG_NAME}
    if present != set(manifest["files"]):
        problems.append(f"files {sorted(present)} but the manifest lists {sorted(manifest['files'])}")
    for name in sorted(present & set(manifest["files"])):
        path = release / name
        if hashlib.sha256(path.read_bytes()).hexdigest() != manifest["files"][name]:
            problems.append(f"{name}: sha256 differs from the manifest")
        problems += [f"{name}: {problem}" for problem in _unreadable(path)]
    return problems


def _unreadable(path: Path) -> list[str]:
    """A whole-file read of each format: a truncated file fails here."""
    try:
        if path.suffix == ".parquet":
            pq.read_table(path)
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
            if bad:
                return [f"zip member {bad} is damaged"]
        elif path.suffix in (".csv", ".html"):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html" and not text.rstrip().endswith("</html>"):
                return ["html does not end with </html>"]
    except Exception as error:  # any failure to read is the finding
        return [f"cannot be read whole: {type(error).__name__}: {error}"]
    return []
