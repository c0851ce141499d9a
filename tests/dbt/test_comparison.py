"""pub_tsg_comparison built by dbt on DuckDB and on PostgreSQL over a hand-made pub_tsg_dataset of five
organisations and hand-made statistical neighbours (the shipped demo seed rows are replaced after seeding).

The model, its data tests and its unit tests run in one `dbt build --select pub_tsg_comparison`; the figures are
worked out by hand below.

    b08 (L, lower is better) at 2026-10-31:
        E06000039 14.0 (7/50)  E06000040 9.0 (9/100)  E09000001 11.0 (11/100)  E09000002 11.0 (22/200)
        E09000003 NO_DATA
        n = 4 with a figure; ascending: E06000040 rank 1, E09000001 and E09000002 share rank 2, E06000039 rank 4.
        quartile 1 + floor(4 (rank - 1) / 4) = rank here: 1, 2, 2, 4. E09000003: no rank, no quartile.
    b16 (H, higher is better): E06000039 70.0 (7/10), E06000040 80.0 (8/10): ranks 2 and 1; n = 2 < 4, no quartile.
    Neighbours: E06000039 -> E06000040 (in the warehouse) and X9 (supplied b08 12.0, nothing for b16);
                E06000040 -> E06000039.
        E06000039 b08: (9.0 + 12.0) / 2 = 10.5, 2 listed, 2 with a figure, smallest count least(9, 100) = 9
        E06000039 b16: 80.0 (E06000040 only), 2 listed, 1 with a figure, smallest count least(8, 10) = 8
        E06000040 b08: 14.0, smallest count least(7, 50) = 7; b16: 70.0, smallest count least(7, 10) = 7
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from tests.pg_databases import throwaway_database

pytestmark = pytest.mark.dbt

AS_OF = date(2026, 10, 31)
DATASET_DDL = """
create table publish.pub_tsg_dataset (
    la_code varchar, kpi_id varchar, kpi_name varchar, definition_version varchar, period_end date, unit varchar,
    direction varchar, numerator integer, denominator integer, value numeric(18, 1), low_n_flag boolean,
    rag_state varchar
)
"""
DATASET_ROWS = [
    ("E06000039", "b08", 7, 50, "14.0", "L"),
    ("E06000040", "b08", 9, 100, "9.0", "L"),
    ("E09000001", "b08", 11, 100, "11.0", "L"),
    ("E09000002", "b08", 22, 200, "11.0", "L"),
    ("E09000003", "b08", None, None, None, "L"),
    ("E06000039", "b16", 7, 10, "70.0", "H"),
    ("E06000040", "b16", 8, 10, "80.0", "H"),
]
NEIGHBOURS = [
    ("E06000039", "E06000040", 1, "test"),
    ("E06000039", "X9", 2, "test"),
    ("E06000040", "E06000039", 1, "test"),
]
FIGURES = [("X9", "b08", AS_OF, D("12.0"), "test")]
QUERY = """
select la_code, kpi_id, organisations_compared, organisation_rank, organisation_quartile,
       neighbours_listed, neighbours_with_figure, neighbour_average, neighbour_smallest_count
from publish.pub_tsg_comparison
order by kpi_id, la_code
"""
EXPECTED = [
    ("E06000039", "b08", 4, 4, 4, 2, 2, D("10.5"), 9),
    ("E06000040", "b08", 4, 1, 1, 1, 1, D("14.0"), 7),
    ("E09000001", "b08", 4, 2, 2, 0, 0, None, None),
    ("E09000002", "b08", 4, 2, 2, 0, 0, None, None),
    ("E09000003", "b08", 4, None, None, 0, 0, None, None),
    ("E06000039", "b16", 2, 2, None, 2, 1, D("80.0"), 8),
    ("E06000040", "b16", 2, 1, None, 1, 1, D("70.0"), 7),
]


def _dataset_rows() -> list[tuple]:
    return [
        (la, kpi, f"{kpi} name", "1", AS_OF, "%", direction, num, den, None if value is None else D(value), False, "X")
        for la, kpi, num, den, value, direction in DATASET_ROWS
    ]


def _dbt(tmp_path: Path, target: str, env: dict[str, str], select: list[str]) -> None:
    result = run_dbt(
        ["build", "--select", *select],
        as_of=AS_OF,
        target=target,
        target_path=tmp_path / f"dbt_target_{target}",
        env_overrides={"CSC_LANDING_DIR": str(tmp_path / "landing"), **env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail


def _build(tmp_path: Path, target: str, env: dict[str, str], execute: object) -> None:
    """Seed, replace the seeds' rows with the hand-made neighbours, then build the model and its (unit) tests."""
    _dbt(tmp_path, target, env, ["ref_statistical_neighbours", "ref_statistical_neighbour_figures"])
    execute("delete from seeds.ref_statistical_neighbours", [])
    execute("delete from seeds.ref_statistical_neighbour_figures", [])
    execute("insert into seeds.ref_statistical_neighbours values (%s, %s, %s, %s)", NEIGHBOURS)
    execute("insert into seeds.ref_statistical_neighbour_figures values (%s, %s, %s, %s, %s)", FIGURES)
    _dbt(tmp_path, target, env, ["pub_tsg_comparison"])
    results = json.loads((tmp_path / f"dbt_target_{target}" / "run_results.json").read_text())["results"]
    unit_tests = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert len(unit_tests) == 2 and set(unit_tests.values()) == {"pass"}, unit_tests


@pytest.mark.xdist_group("dbt_duckdb")
def test_comparison_on_duckdb(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema publish")
        connection.execute(DATASET_DDL)
        connection.executemany(f"insert into publish.pub_tsg_dataset values ({', '.join(['?'] * 12)})", _dataset_rows())

    def execute(sql: str, rows: list[tuple]) -> None:
        with duckdb.connect(str(warehouse)) as connection:
            sql = sql.replace("%s", "?")
            if rows:
                connection.executemany(sql, rows)
            else:
                connection.execute(sql)

    _build(tmp_path, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)}, execute)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute(QUERY).fetchall() == EXPECTED


@pytest.fixture
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_test") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_comparison_on_postgres(tmp_path: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)

    def execute(sql: str, rows: list[tuple]) -> None:
        with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
            if rows:
                cursor.executemany(sql, rows)
            else:
                cursor.execute(sql)

    execute("create schema publish", [])
    execute(DATASET_DDL.replace("varchar", "text"), [])
    execute(f"insert into publish.pub_tsg_dataset values ({', '.join(['%s'] * 12)})", _dataset_rows())
    _build(tmp_path, "postgres", {"CSC_PG_DATABASE": postgres_database}, execute)
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(QUERY)
        assert cursor.fetchall() == EXPECTED
