"""The whole dbt project (seeds, models, data tests, unit tests) built on Spark, and the same published figures as
on DuckDB over the same hand-made landing area (tests/dbt/landing_fixture.py).

The Spark build runs dbt-spark in session mode from `.venv-spark` and takes minutes on two cores, so it is not part
of `make test` (CI): `make test-spark` builds the venv and runs this module (docs/spark.md). Without
CSC_SPARK_TESTS=1 (which that target sets) the module is skipped.

The figures are those of tests/dbt/test_dbt_build.py, worked out by hand there from the fixture's episodes; this
module checks the Spark rows against those pins (`_check_dataset`) and against the DuckDB build, row for row. The
Spark tables are read from the Parquet files Spark wrote (tests/spark/spark_dbt.py), with the same queries.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_fixture import write_landing
from tests.dbt.test_dbt_build import AS_OF, DATASET_QUERY, DETAIL_QUERY, _check_dataset
from tests.spark.spark_dbt import run_spark_dbt, spark_table_reader, spark_unavailable

pytestmark = [pytest.mark.dbt, pytest.mark.spark]

# dbt selection of the Spark build; empty = the whole project. `make test-spark` passes SPARK_SELECT (docs/spark.md).
SPARK_SELECT = os.environ.get("CSC_SPARK_SELECT", "").split()
# Staging tables compared row for row with DuckDB's (every column, sorted).
STAGING_TABLES = ["staging.stg_ssda903__episodes", "staging.stg_ssda903__header"]

if os.environ.get("CSC_SPARK_TESTS") != "1":
    pytest.skip("the Spark build runs with `make test-spark` (CSC_SPARK_TESTS=1)", allow_module_level=True)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = spark_unavailable()
    if reason:
        pytest.fail(reason)  # `make test-spark` asked for the Spark build: a missing venv is a failure, not a skip
    root = tmp_path_factory.mktemp("spark_build")
    write_landing(root / "landing")
    return root


@pytest.fixture(scope="module")
def duckdb_figures(landing: Path) -> tuple[list[tuple], list[tuple]]:
    warehouse = landing / "warehouse.duckdb"
    result = run_dbt(
        ["build"],
        as_of=AS_OF,
        target="duckdb",
        target_path=landing / "duckdb_target",
        env_overrides={"CSC_LANDING_DIR": str(landing / "landing"), "CSC_WAREHOUSE_PATH": str(warehouse)},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(DATASET_QUERY).fetchall(), connection.execute(DETAIL_QUERY).fetchall()


@pytest.fixture(scope="module")
def spark_build(landing: Path) -> Path:
    """The Spark warehouse folder after a `dbt build` in which every node passed."""
    work_dir = landing / "spark"
    work_dir.mkdir()
    target_path = landing / "spark_target"
    selection = ["--select", *SPARK_SELECT] if SPARK_SELECT else []
    done = run_spark_dbt(
        ["build", *selection], as_of=AS_OF, landing_dir=landing / "landing", work_dir=work_dir, target_path=target_path
    )
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] + ": " + str(r.get("message")) for r in results if r["status"] not in ("success", "pass")]
    assert done.returncode == 0 and not failed, "\n".join(failed) or done.stdout[-3000:]
    # The unit tests ran inside the build and passed, on Spark too (staging alone has a few, the project 82).
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= (3 if SPARK_SELECT else 8) and {r["status"] for r in unit_tests} == {"pass"}
    return work_dir


def test_spark_stages_the_same_rows_as_duckdb(landing: Path, spark_build: Path, duckdb_figures: object) -> None:
    """The authoritative 903 rows (delivery choice, renames, casts) are the same on both engines."""
    with (
        spark_table_reader(spark_build, STAGING_TABLES) as spark,
        duckdb.connect(str(landing / "warehouse.duckdb"), read_only=True) as reference,
    ):
        for table in STAGING_TABLES:
            query = f"select * from {table} order by all"
            assert spark.execute(query).fetchall() == reference.execute(query).fetchall(), table


def test_spark_publishes_the_hand_worked_figures_and_those_of_duckdb(
    spark_build: Path, duckdb_figures: tuple[list[tuple], list[tuple]]
) -> None:
    if SPARK_SELECT:
        pytest.skip(f"the Spark build was limited to {' '.join(SPARK_SELECT)}: nothing is published")
    with spark_table_reader(spark_build, ["publish.pub_tsg_dataset", "restricted.pub_tsg_detail"]) as connection:
        spark_rows = connection.execute(DATASET_QUERY).fetchall()
        spark_detail = connection.execute(DETAIL_QUERY).fetchall()
    _check_dataset(spark_rows, spark_detail)
    assert spark_rows == duckdb_figures[0]
    assert spark_detail == duckdb_figures[1]
