"""PostgreSQL as a shared warehouse: one schema per layer, built blue/green, and an `analyst` role that reads the
marts and the published dataset and nothing else, with the grants made by dbt. Run against the real server.

The build is the pipeline's own step (`steps.build_warehouse` with CSC_DBT_TARGET=postgres) over the hand-made
landing area of test_dbt_build.py, in a throwaway database, with throwaway roles (roles belong to the server):
    analyst group role   CSC_ANALYST_ROLE          (created by the build if missing, NOLOGIN)
    detail reader role   CSC_DETAIL_READER_ROLES   (made here; the one role granted the child-level drill-down)
and a login user in each, as an analyst or a reviewer would connect.

Hand-worked counts (test_dbt_build.py's docstring): pub_tsg_dataset has 4 placement KPIs per organisation, so
2 x 4 = 8 placement rows; E06000039's b08 is 2/7 = 28.6. pub_tsg_detail lists the children behind each placement
figure: E06000039 s_cla_count 7 + b08 7 + b24 7 + b24b 5 (fostered) = 26, E09000001 1 + 1 + 1 + 1 = 4 -> 30 rows.
Other areas' rows come and go as marts are added: for those the analyst must read exactly what the owner reads.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg2
import pytest
import yaml
from psycopg2 import errors
from psycopg2.extensions import make_dsn

from pipeline import pg_bluegreen, steps
from pipeline.dbt_runner import DbtResult
from pipeline.pg_credentials import postgres_dsn
from pipeline.settings import REPO_ROOT, Settings
from tests.dbt.landing_fixture import write_landing

pytestmark = [pytest.mark.dbt, pytest.mark.postgres, pytest.mark.xdist_group("dbt_postgres")]

AS_OF = date(2025, 2, 28)
# Every on-run-start and on-run-end hook of the project: each is one success in any dbt run.
_PROJECT = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))
PROJECT_HOOKS = len(_PROJECT.get("on-run-start", [])) + len(_PROJECT.get("on-run-end", []))
LAYERS = {"staging", "intermediate", "marts", "publish", "restricted", "seeds"}
PLACEMENTS = (
    "kpi_id in ('s_cla_count', 'b08_cla_3plus_placements_12m', 'b24_inhouse_foster_pct', "
    "'b24b_inhouse_share_of_fostered')"
)
DATASET_COUNT = f"select count(*), count(*) filter (where {PLACEMENTS}) from publish.pub_tsg_dataset"
DETAIL_COUNT = f"select count(*), count(*) filter (where {PLACEMENTS}) from restricted.pub_tsg_detail"
FORBIDDEN_TO_ANALYSTS = [
    "landing.ssda903_episodes",
    "landing.ssda903_header",
    "staging.stg_ssda903__header",
    "intermediate.int_placements_derived",  # a view
    "seeds.ref_kpi_targets",
    "restricted.pub_tsg_detail",
]


@dataclass(frozen=True)
class Warehouse:
    settings: Settings
    dsn: str
    analyst_role: str
    analyst_dsn: str
    reviewer_dsn: str


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    if os.environ.get("CSC_SKIP_POSTGRES") == "1":
        pytest.skip("CSC_SKIP_POSTGRES=1")
    token = uuid.uuid4().hex[:10]
    database, analyst, reviewer = f"csc_roles_{token}", f"csc_analyst_{token}", f"csc_detail_{token}"
    analyst_user, reviewer_user = f"csc_ana_user_{token}", f"csc_rev_user_{token}"
    admin_dsn = make_dsn(postgres_dsn(), dbname="postgres")
    try:
        admin = psycopg2.connect(admin_dsn)
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable ({error}); start it with `scripts/pg.sh start`")
    admin.autocommit = True
    root = tmp_path_factory.mktemp("pg_roles")
    write_landing(root / "landing")
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{database}"')
        cursor.execute(f'create role "{reviewer}" nologin')
    try:
        with pytest.MonkeyPatch.context() as env:
            # A clean pipeline environment, but the test server's address (CSC_PG_HOST/PORT/USER) kept.
            kept = {"CSC_SKIP_POSTGRES", "CSC_PG_HOST", "CSC_PG_PORT", "CSC_PG_USER", "CSC_PG_PASSWORD"}
            for name in [n for n in os.environ if n.startswith("CSC_") and n not in kept]:
                env.delenv(name)
            env.setenv("CSC_DATA_DIR", str(root / "data"))
            env.setenv("CSC_LANDING_DIR", str(root / "landing"))
            env.setenv("CSC_DBT_TARGET", "postgres")
            env.setenv("CSC_PG_DATABASE", database)
            env.setenv("CSC_ANALYST_ROLE", analyst)
            env.setenv("CSC_DETAIL_READER_ROLES", reviewer)
            settings = Settings.from_env()
            steps.build_warehouse(settings, AS_OF)  # creates the analyst role, builds, swaps in
            with admin.cursor() as cursor:
                cursor.execute(f'create role "{analyst_user}" login in role "{analyst}"')
                cursor.execute(f'create role "{reviewer_user}" login in role "{reviewer}"')
            dsn = make_dsn(postgres_dsn(), dbname=database)
            yield Warehouse(
                settings=settings,
                dsn=dsn,
                analyst_role=analyst,
                analyst_dsn=make_dsn(dsn, user=analyst_user, password=None),
                reviewer_dsn=make_dsn(dsn, user=reviewer_user, password=None),
            )
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{database}" with (force)')
            for role in (analyst_user, reviewer_user, analyst, reviewer):
                cursor.execute(f'drop role if exists "{role}"')
        admin.close()


def _fetch(dsn: str, query: str) -> list[tuple]:
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    connection.close()
    return rows


def _refused(dsn: str, statement: str) -> bool:
    """True when PostgreSQL refuses the statement for lack of privilege."""
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    except errors.InsufficientPrivilege:
        return True
    finally:
        connection.rollback()
        connection.close()
    return False


def test_each_layer_has_its_schema_and_the_build_was_swapped_in(warehouse: Warehouse) -> None:
    schemas = {row[0] for row in _fetch(warehouse.dsn, "select nspname from pg_namespace")}
    assert LAYERS | {"landing"} <= schemas
    assert not [s for s in schemas if s.endswith(("__next", "__old"))]  # nothing half-built or stale is left
    detail = _fetch(
        warehouse.dsn, "select table_schema from information_schema.tables where table_name = 'pub_tsg_detail'"
    )
    assert detail == [("restricted",)]


def test_the_analyst_reads_the_marts_and_the_published_dataset(warehouse: Warehouse) -> None:
    rows = _fetch(warehouse.analyst_dsn, DATASET_COUNT)
    assert rows == _fetch(warehouse.dsn, DATASET_COUNT) and rows[0][1] == 8
    b08 = """
        select value from marts.fct_placement_indicators
        where la_code = 'E06000039' and kpi_id = 'b08_cla_3plus_placements_12m' and period_end = '2025-02-28'
    """
    assert _fetch(warehouse.analyst_dsn, b08) == [(Decimal("28.6"),)]


@pytest.mark.parametrize("relation", FORBIDDEN_TO_ANALYSTS)
def test_the_analyst_cannot_read_landing_staging_intermediate_seeds_or_the_drill_down(
    warehouse: Warehouse, relation: str
) -> None:
    assert _refused(warehouse.analyst_dsn, f"select * from {relation} limit 1")


def test_the_analyst_cannot_write(warehouse: Warehouse) -> None:
    assert _refused(warehouse.analyst_dsn, "delete from publish.pub_tsg_dataset")
    assert _refused(warehouse.analyst_dsn, "create table marts.scratch (x integer)")
    assert _fetch(warehouse.dsn, DATASET_COUNT)[0][1] == 8


def test_the_drill_down_is_readable_only_where_granted(warehouse: Warehouse) -> None:
    rows = _fetch(warehouse.reviewer_dsn, DETAIL_COUNT)
    assert rows == _fetch(warehouse.dsn, DETAIL_COUNT) and rows[0][1] == 30
    assert _refused(warehouse.reviewer_dsn, "select * from staging.stg_ssda903__header limit 1")


def test_the_grants_are_the_ones_dbt_manages(warehouse: Warehouse) -> None:
    """SELECT for the analyst role on every table of marts and publish, and on nothing else."""
    granted = _fetch(
        warehouse.dsn,
        f"""
        select table_schema, table_name from information_schema.role_table_grants
        where grantee = '{warehouse.analyst_role}' and privilege_type = 'SELECT' order by 1, 2
        """,
    )
    analyst_facing = _fetch(
        warehouse.dsn,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('marts', 'publish') order by 1, 2",
    )
    assert granted == analyst_facing
    assert ("publish", "pub_tsg_dataset") in granted and ("marts", "fct_placement_indicators") in granted
    usage = _fetch(
        warehouse.dsn,
        f"""
        select nspname from pg_namespace
        where has_schema_privilege('{warehouse.analyst_role}', oid, 'USAGE') and nspname not like 'pg_%'
          and nspname <> 'information_schema' order by 1
        """,
    )
    assert usage == [("marts",), ("public",), ("publish",)]  # public: PostgreSQL's default, empty here


def test_a_failed_build_leaves_the_live_warehouse_and_its_half_built_schemas_are_unreadable(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that writes a table into `staging__next` and then fails on a model (its upstream models are not in
    the new schemas): nothing is swapped, the analyst still reads the same figures, and cannot read `__next`."""
    real_run_dbt = pg_bluegreen.run_dbt

    def half_build(command: list[str], **kwargs: object) -> DbtResult:
        result = real_run_dbt(["run", "--select", "stg_ssda903__header", "fct_placement_indicators"], **kwargs)
        # stg_ssda903__header and every project hook succeed (on-run-end grants nothing after a failure); the mart
        # fails.
        assert not result.success and result.statuses == {"success": 1 + PROJECT_HOOKS, "error": 1}, result.log_tail
        return result

    monkeypatch.setattr(pg_bluegreen, "run_dbt", half_build)  # the module fixture's environment is still set
    live = _fetch(warehouse.analyst_dsn, DATASET_COUNT)
    with pytest.raises(steps.StepFailedError, match="fct_placement_indicators"):
        steps.build_warehouse(warehouse.settings, AS_OF)
    assert _fetch(warehouse.dsn, "select count(*) from staging__next.stg_ssda903__header")[0][0] > 0
    assert _fetch(warehouse.analyst_dsn, DATASET_COUNT) == live
    assert _refused(warehouse.analyst_dsn, "select * from staging__next.stg_ssda903__header limit 1")
    next_usage = _fetch(
        warehouse.dsn,
        f"""
        select nspname from pg_namespace
        where nspname like '%\\_\\_next' and has_schema_privilege('{warehouse.analyst_role}', oid, 'USAGE')
        """,
    )
    assert next_usage == []
    # The next build starts by dropping the leftovers.
    pg_bluegreen.drop_schemas(warehouse.dsn, [layer + "__next" for layer in LAYERS])
    left = _fetch(warehouse.dsn, "select count(*) from pg_namespace where nspname like '%\\_\\_next'")
    assert left == [(0,)]
