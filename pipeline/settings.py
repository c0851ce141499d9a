"""Where the pipeline reads and writes, from environment variables with repository-relative defaults.

Every path can be overridden with an environment variable, so the same code runs from the command line,
from Airflow and from the tests. No secret lives here: PostgreSQL credentials come from the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """The folders of one warehouse instance.

    data_dir       root of everything the pipeline writes (CSC_DATA_DIR, default <repo>/data)
    inbound_dir    deliveries as the organisation sends them (CSC_INBOUND_DIR, default <data>/inbound)
    landing_dir    Parquet landing area, ledger and quarantine (CSC_LANDING_DIR, default <data>/landing)
    archive_dir    immutable raw archive keyed by content hash (CSC_ARCHIVE_DIR, default <data>/archive)
    warehouse_path the DuckDB warehouse file that dbt writes (CSC_WAREHOUSE_PATH, default <data>/warehouse.duckdb)
    work_dir       candidates, locks and run logs (CSC_WORK_DIR, default <data>/work)
    publish_dir    the published datasets and dashboards (CSC_PUBLISH_DIR, default <data>/published)
    dbt_target     dbt target name: duckdb (default) or postgres (CSC_DBT_TARGET)
    duckdb_memory_limit  DuckDB's memory_limit for the build and every warehouse reader (CSC_DUCKDB_MEMORY_LIMIT,
                   default 4GB: a sixth of the 24 GB machine, so two builds, Airflow and PostgreSQL still fit)
    duckdb_temp_dir      where DuckDB spills what does not fit (CSC_DUCKDB_TEMP_DIR, default <work>/duckdb_tmp): on
                   the data disk, never /tmp, which may be a small tmpfs
    """

    data_dir: Path
    inbound_dir: Path
    landing_dir: Path
    archive_dir: Path
    warehouse_path: Path
    work_dir: Path
    publish_dir: Path
    dbt_target: str
    duckdb_memory_limit: str = "4GB"
    duckdb_temp_dir: Path | None = None

    @property
    def duckdb_config(self) -> dict[str, str]:
        """`duckdb.connect(config=...)` settings bounding memory and spilling to the data disk."""
        temp_dir = self.duckdb_temp_dir or self.work_dir / "duckdb_tmp"
        return {"memory_limit": self.duckdb_memory_limit, "temp_directory": str(temp_dir)}

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = _path_from_env("CSC_DATA_DIR", REPO_ROOT / "data")
        return cls(
            data_dir=data_dir,
            inbound_dir=_path_from_env("CSC_INBOUND_DIR", data_dir / "inbound"),
            landing_dir=_path_from_env("CSC_LANDING_DIR", data_dir / "landing"),
            archive_dir=_path_from_env("CSC_ARCHIVE_DIR", data_dir / "archive"),
            warehouse_path=_path_from_env("CSC_WAREHOUSE_PATH", data_dir / "warehouse.duckdb"),
            work_dir=_path_from_env("CSC_WORK_DIR", data_dir / "work"),
            publish_dir=_path_from_env("CSC_PUBLISH_DIR", data_dir / "published"),
            dbt_target=os.environ.get("CSC_DBT_TARGET", "duckdb"),
            duckdb_memory_limit=os.environ.get("CSC_DUCKDB_MEMORY_LIMIT", "4GB"),
            duckdb_temp_dir=_path_from_env("CSC_DUCKDB_TEMP_DIR", data_dir / "work" / "duckdb_tmp"),
        )
