"""Delete what a killed run left behind, before the next build.

A run killed with SIGKILL cannot clean up after itself. Nothing it leaves is ever read (every reader skips `*.tmp`
and `landing/_staging/`, and DuckDB's spill files belong to a dead connection), but they hold disk: a half-written
national CSV can leave hundreds of megabytes. The build step calls these under the exclusive writer lock, so no
extraction (which holds the lock shared) and no other build is writing any of them.
"""

from __future__ import annotations

from pathlib import Path


def remove_spill_leftovers(temp_directory: Path) -> list[str]:
    """DuckDB's spill files (`duckdb_temp_*`): a build that ends removes its own; DuckDB removes a killed build's only
    when a later connection happens to spill. An open file removed under a reader stays readable to it."""
    return _remove(sorted(temp_directory.glob("duckdb_temp_*")) if temp_directory.is_dir() else [])


def remove_landing_leftovers(landing_dir: Path, archive_dir: Path) -> list[str]:
    """Half-written landing and archive files (`*.tmp`, `.*.tmp`: every write goes to one and is renamed into place)
    and the batch-by-batch tables of an interrupted streamed CSV (`landing/_staging/`)."""
    found: list[Path] = []
    for folder in (landing_dir, archive_dir):
        if folder.is_dir():
            found.extend(path for path in folder.rglob("*.tmp") if path.is_file())
    staging = landing_dir / "_staging"
    if staging.is_dir():
        found.extend(path for path in staging.iterdir() if path.is_file())
    return _remove(sorted(set(found)))


def _remove(paths: list[Path]) -> list[str]:
    for path in paths:
        path.unlink(missing_ok=True)
    return [path.name for path in paths]
