"""Run the dbt project on Spark from the separate venv `.venv-spark` (`make spark-venv`, docs/spark.md).

dbt-spark needs pyspark and a JVM, which the main venv does not carry, so dbt runs as a subprocess of that venv's
own `dbt`, with the `spark` target of dbt_project/profiles.yml (session mode: a local Spark inside the dbt process).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb

from pipeline.settings import DBT_PROJECT_DIR

SPARK_VENV = DBT_PROJECT_DIR.parent / ".venv-spark"
SPARK_DBT = SPARK_VENV / "bin" / "dbt"


def spark_unavailable() -> str | None:
    """Why the Spark build cannot run here, or None when it can."""
    if not SPARK_DBT.exists():
        return f"{SPARK_DBT} is missing: run `make spark-venv` (or `make test-spark`)"
    if shutil.which("java") is None:
        return "java is not on PATH: run `make spark-venv`, which installs Debian's openjdk-17-jre-headless"
    return None


def run_spark_dbt(
    command: list[str], *, as_of: date, landing_dir: Path, work_dir: Path, target_path: Path
) -> subprocess.CompletedProcess[str]:
    """`dbt <command>` on the spark target; the metastore and table files go under `work_dir`."""
    args = [
        str(SPARK_DBT),
        *command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        "spark",
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
        "--vars",
        json.dumps({"as_of": as_of.isoformat()}),
    ]
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CSC_LANDING_DIR": str(landing_dir),
        "CSC_SPARK_WORK_DIR": str(work_dir),
    }
    return subprocess.run(args, cwd=work_dir, env=env, capture_output=True, text=True)


def spark_table_reader(work_dir: Path, tables: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view `<schema>.<table>` over each Spark table's Parquet files.

    dbt-spark writes tables as Parquet (Spark's default data source) under `<work_dir>/warehouse/<schema>.db/<table>`:
    reading those files checks exactly what Spark wrote, without starting a second JVM (Derby allows one at a time).
    """
    connection = duckdb.connect()
    for name in tables:
        schema, table = name.split(".")
        files = work_dir / "warehouse" / f"{schema}.db" / table / "*.parquet"
        connection.execute(f"create schema if not exists {schema}")
        connection.execute(f"create view {schema}.{table} as select * from read_parquet('{files}')")
    return connection
