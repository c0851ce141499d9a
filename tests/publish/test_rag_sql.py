"""The SQL RAG macro against the same §5.7 vectors, on DuckDB and on PostgreSQL, and the register's own tests.

`dbt build` of the three seeds plus the singular test `assert_rag_state_matches_catalogue_vectors` (one row per
mismatch, or a row when the vector count is not 51). Cautious indirect selection runs only the data tests whose
parents are all selected: the register's column tests, the colours' tests and the vector test.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt

pytestmark = [pytest.mark.dbt]

SELECT = [
    "--select",
    "ref_kpi_targets ref_rag_colours rag_test_vectors assert_rag_state_matches_catalogue_vectors",
    "--indirect-selection",
    "cautious",
]


def _build(tmp_path: Path, target: str, env: dict[str, str]) -> dict[str, str]:
    result = run_dbt(
        ["build", *SELECT],
        as_of=date(2025, 2, 28),
        target=target,
        target_path=tmp_path / "dbt_target",
        env_overrides={"CSC_LANDING_DIR": str(tmp_path / "landing"), **env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    results = json.loads((tmp_path / "dbt_target" / "run_results.json").read_text())["results"]
    return {r["unique_id"]: r["status"] for r in results}


def _check(statuses: dict[str, str]) -> None:
    vector_test = [uid for uid in statuses if "assert_rag_state_matches_catalogue_vectors" in uid]
    assert [statuses[uid] for uid in vector_test] == ["pass"]
    register_tests = [uid for uid in statuses if uid.startswith("test.") and "ref_kpi_targets" in uid]
    assert len(register_tests) >= 10 and {statuses[uid] for uid in register_tests} == {"pass"}


@pytest.mark.xdist_group("dbt_duckdb")
def test_sql_macro_passes_every_vector_on_duckdb(tmp_path: Path) -> None:
    _check(_build(tmp_path, "duckdb", {"CSC_WAREHOUSE_PATH": str(tmp_path / "wh.duckdb")}))


@pytest.fixture
def postgres_database() -> Iterator[str]:
    if os.environ.get("CSC_SKIP_POSTGRES") == "1":
        pytest.skip("CSC_SKIP_POSTGRES=1")
    import psycopg2

    name = f"csc_rag_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg2.connect(make_dsn(postgres_dsn_from_env(), dbname="postgres"))
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable ({error}); start it with `scripts/pg.sh start`")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_sql_macro_passes_every_vector_on_postgres(tmp_path: Path, postgres_database: str) -> None:
    _check(_build(tmp_path, "postgres", {"CSC_PG_DATABASE": postgres_database}))
