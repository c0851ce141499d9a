"""The SQL RAG macro against the same §5.7 vectors, on DuckDB and on PostgreSQL, and the register's own tests.

`dbt build` of the three seeds plus the singular test `assert_rag_state_matches_catalogue_vectors` (one row per
mismatch, or a row when the vector count is not 51). Cautious indirect selection runs only the data tests whose
parents are all selected: the register's column tests, the colours' tests and the vector test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pipeline.dbt_runner import run_dbt
from tests.pg_databases import throwaway_database

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
    with throwaway_database("csc_rag") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_sql_macro_passes_every_vector_on_postgres(tmp_path: Path, postgres_database: str) -> None:
    _check(_build(tmp_path, "postgres", {"CSC_PG_DATABASE": postgres_database}))
