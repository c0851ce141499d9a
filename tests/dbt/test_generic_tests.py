"""The generic test `columns_not_null` (dbt_project/macros/tests/generic_tests.sql), run by dbt itself on DuckDB and
PostgreSQL in a throwaway project that holds the project's generic-test file and three hand-made models.

It replaces the per-column `not_null` tests (one dbt node per model instead of one per column), so a failure must
still say which column holds nulls and how many rows: the test's failing rows are (column_name, null_rows).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from psycopg2.extensions import make_dsn

from extract.postgres_loader import postgres_dsn_from_env
from pipeline.dbt_runner import dbt_executable, run_dbt
from pipeline.settings import DBT_PROJECT_DIR
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

GENERIC_TESTS = DBT_PROJECT_DIR / "macros" / "tests" / "generic_tests.sql"

# Four rows: `child_id` has no null, `placement_type` two, `is_open` one (a boolean), `start_date` none.
MODELS = {
    "with_nulls": """
        select * from (
            select 'C1' as child_id, 'U1' as placement_type, true as is_open, date '2025-01-01' as start_date
            union all select 'C2', null, false, date '2025-01-02'
            union all select 'C3', null, null, date '2025-01-03'
            union all select 'C4', 'U2', true, date '2025-01-04'
        ) as rows_in
    """,
    "without_nulls": """
        select * from (
            select 'C1' as child_id, 'U1' as placement_type, true as is_open, date '2025-01-01' as start_date
            union all select 'C2', 'U3', false, date '2025-01-02'
        ) as rows_in
    """,
    "no_rows": """
        select * from (
            select 'C1' as child_id, 'U1' as placement_type, true as is_open, date '2025-01-01' as start_date
        ) as rows_in
        where 1 = 0
    """,
}
COLUMNS = ["child_id", "placement_type", "is_open", "start_date"]

PROFILES = """
generic_tests_check:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('CHECK_DUCKDB_PATH') }}"
      threads: 1
    postgres:
      type: postgres
      host: "{{ env_var('CSC_PG_HOST', '127.0.0.1') }}"
      port: "{{ env_var('CSC_PG_PORT', '55432') | as_number }}"
      user: "{{ env_var('CSC_PG_USER', 'postgres') }}"
      password: "{{ env_var('CSC_PG_PASSWORD', '') }}"
      dbname: "{{ env_var('CSC_PG_DATABASE') }}"
      schema: analytics
      threads: 1
"""


def _project(root: Path) -> Path:
    """A dbt project with the real generic-test file, the three models, and `columns_not_null` on each of them;
    failing rows are stored so the test can read what a failure names."""
    project = root / "project"
    (project / "macros").mkdir(parents=True)
    (project / "models").mkdir()
    shutil.copy(GENERIC_TESTS, project / "macros" / GENERIC_TESTS.name)
    (project / "dbt_project.yml").write_text(
        "name: generic_tests_check\nversion: '1.0'\nprofile: generic_tests_check\n"
        "data_tests:\n  +store_failures: true\n",
        encoding="utf-8",
    )
    (project / "profiles.yml").write_text(PROFILES, encoding="utf-8")
    schema = ["version: 2", "models:"]
    for name, sql in MODELS.items():
        (project / "models" / f"{name}.sql").write_text(sql, encoding="utf-8")
        schema += [
            f"  - name: {name}",
            "    data_tests:",
            "      - columns_not_null:",
            f"          arguments: {{column_names: [{', '.join(COLUMNS)}]}}",
        ]
    (project / "models" / "schema.yml").write_text("\n".join(schema) + "\n", encoding="utf-8")
    return project


def _build(project: Path, target: str, env: dict[str, str]) -> dict[str, dict]:
    """`dbt build` the project; returns each test's run result by the model it tests."""
    completed = subprocess.run(
        [dbt_executable(), "build", "--project-dir", str(project), "--profiles-dir", str(project), "--target", target],
        cwd=project,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **env},
        capture_output=True,
        text=True,
    )
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    tests = {r["unique_id"]: r for r in results if r["unique_id"].startswith("test.")}
    assert len(tests) == len(MODELS), completed.stdout[-3000:]
    assert completed.returncode == 1  # the test on `with_nulls` fails the build
    by_model = {}
    for unique_id, result in tests.items():
        model = next(name for name in MODELS if f"columns_not_null_{name}_" in unique_id)
        by_model[model] = result
    return by_model


def _check(by_model: dict[str, dict], failing_rows: list[tuple]) -> None:
    assert by_model["with_nulls"]["status"] == "fail"
    assert by_model["with_nulls"]["failures"] == 2  # one row per column that holds nulls
    assert sorted((str(name), int(count)) for name, count in failing_rows) == [("is_open", 1), ("placement_type", 2)]
    assert (by_model["without_nulls"]["status"], by_model["without_nulls"]["failures"]) == ("pass", 0)
    assert (by_model["no_rows"]["status"], by_model["no_rows"]["failures"]) == ("pass", 0)


@pytest.mark.xdist_group("generic_tests")
def test_columns_not_null_names_the_null_columns_on_duckdb(tmp_path: Path) -> None:
    project = _project(tmp_path)
    warehouse = tmp_path / "check.duckdb"
    by_model = _build(project, "duckdb", {"CHECK_DUCKDB_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            f"select column_name, null_rows from {by_model['with_nulls']['relation_name']}"
        ).fetchall()
    _check(by_model, rows)


@pytest.mark.xdist_group("generic_tests")
def test_the_runner_failure_names_the_null_columns(tmp_path: Path) -> None:
    # What the nightly report shows (pipeline.dbt_runner -> steps._dbt_failure_message): the failed test, then the
    # columns that hold nulls, read back from the failing rows. The target folder still holds the build's results.
    project = _project(tmp_path)
    target = tmp_path / "target"
    result = run_dbt(
        ["build"],
        as_of=date(2025, 2, 28),
        target="duckdb",
        target_path=target,
        env_overrides={"CHECK_DUCKDB_PATH": str(tmp_path / "check.duckdb")},
        project_dir=project,
    )
    assert not result.success
    assert result.statuses == {"success": 3, "pass": 2, "fail": 1}
    [failure] = result.failures
    assert failure.startswith("test.generic_tests_check.columns_not_null_with_nulls_")
    assert failure.endswith("(null rows by column: is_open 1, placement_type 2)")
    kept = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    assert len(kept["results"]) == 6  # the build's results, not the `dbt show` run's


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_generic") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("generic_tests")
def test_columns_not_null_names_the_null_columns_on_postgres(tmp_path: Path, postgres_database: str) -> None:
    import psycopg2

    project = _project(tmp_path)
    by_model = _build(project, "postgres", {"CSC_PG_DATABASE": postgres_database})
    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(f"select column_name, null_rows from {by_model['with_nulls']['relation_name']}")
        rows = cursor.fetchall()
    _check(by_model, rows)


def test_no_plain_per_column_not_null_is_left_in_the_project_yaml() -> None:
    # A plain column-level `not_null` is one more dbt node (about 25 ms of CPU a night): list the column in its
    # model's `columns_not_null` instead. A not_null with its own config (severity, where) stays per column, and every
    # column a `columns_not_null` names must be one of the model's documented columns.
    plain, unknown, merged = [], [], 0
    for path in sorted(DBT_PROJECT_DIR.glob("[ms]*/**/*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in (document.get("models") or []) + (document.get("seeds") or []):
            columns = {column["name"] for column in node.get("columns") or []}
            plain += [
                f"{node['name']}.{column['name']}"
                for column in node.get("columns") or []
                if "not_null" in (column.get("data_tests") or [])
            ]
            for test in node.get("data_tests") or []:
                if isinstance(test, dict) and "columns_not_null" in test:
                    merged += 1
                    names = test["columns_not_null"]["arguments"]["column_names"]
                    unknown += [f"{node['name']}.{name}" for name in names if name not in columns]
    assert merged > 100  # the glob did find the project's YAML
    assert plain == []
    assert unknown == []
