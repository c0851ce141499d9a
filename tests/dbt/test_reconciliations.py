"""The publication gate's warehouse reconciliations (kpi-catalogue §5.8 item 2) built over a landing area on DuckDB
and PostgreSQL: both sides counted by pub_tsg_reconciliations as worked by hand in landing_reconciliations.py, and
on DuckDB the candidate exported from that warehouse is refused by the gate, naming both reconciliations, with
nothing published.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from expectations.tsg_dataset_suite import GATE_CLA_903, GATE_OPEN_CHILDREN
from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from publish.export import export_candidate
from publish.gate import GateFailedError, PublicationPaths, audit_and_publish
from tests.dbt.landing_reconciliations import LA_MAIN, LA_SMALL, write_reconciliation_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

AS_OF = date(2025, 2, 28)
UNIT_TESTS = {
    "tsg_reconciliations_count_open_children_and_cla_both_ways",
    "tsg_reconciliations_apply_the_tolerance_vars_both_ways",
}
QUERY = """
    select la_code, check_id, measured_count, reference_count, difference, tolerance, status
    from publish.pub_tsg_reconciliations
    order by la_code, check_id
"""
# (la_code, check_id, measured, reference, difference, tolerance, status): the module docstring of the landing.
EXPECTED = [
    (LA_MAIN, "cla_903", 7, 3, 4, 2, "FAIL"),
    (LA_MAIN, "open_children", 9, 8, 1, 0, "FAIL"),
    (LA_SMALL, "cla_903", 1, 1, 0, 2, "PASS"),
    (LA_SMALL, "open_children", 1, 1, 0, 0, "PASS"),
]


def _build(root: Path, target: str, models: list[str], extra_env: dict[str, str]) -> None:
    selection = ["--select", *(f"+{model}" for model in models), "--indirect-selection", "cautious"]
    result = run_dbt(
        ["build", *selection],
        as_of=AS_OF,
        target=target,
        target_path=root / f"dbt_target_{target}",
        env_overrides={"CSC_LANDING_DIR": str(root / "landing"), **extra_env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    results = json.loads((root / f"dbt_target_{target}" / "run_results.json").read_text())["results"]
    unit_tests = {r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_")}
    assert {name: unit_tests.get(name) for name in UNIT_TESTS} == dict.fromkeys(UNIT_TESTS, "pass")


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_reconciliations")
    write_reconciliation_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_reconciliations_on_duckdb_block_the_gate(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    models = ["pub_tsg_dataset", "pub_tsg_series", "pub_tsg_reconciliations"]
    _build(landing, "duckdb", models, {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute(QUERY).fetchall() == EXPECTED

    paths = PublicationPaths(landing / "published", landing / "reports", landing / "landing")
    candidate = landing / "candidate"
    export_candidate(warehouse, candidate, la_code=LA_MAIN)
    with pytest.raises(GateFailedError, match=f"publication gate failed for {LA_MAIN} 2025-02"):
        audit_and_publish(candidate, paths, la_code=LA_MAIN, as_of=AS_OF, dbt_summary={"success": True})
    assert not paths.publish_dir.exists() or not any(paths.publish_dir.rglob("*"))  # nothing published
    report = json.loads((paths.reports_dir / LA_MAIN / "2025-02" / "checkpoint.json").read_text())
    assert report["failed_gates"] == sorted([GATE_CLA_903, GATE_OPEN_CHILDREN])  # and no other gate
    failed = (paths.reports_dir / f"FAILED-{LA_MAIN}-2025-02.md").read_text()
    assert (
        f"{LA_MAIN} 2025-02-28: children looked after from 903 episodes (excluding short breaks V3/V4) 7 against "
        "children open on the case-system CLA list (ssd_cla_episodes) 3, difference 4, tolerance ±2"
    ) in failed
    assert "9 against children with an open referral or 903 episode 8, difference 1, tolerance ±0" in failed

    # The other organisation's candidate reconciles: its two checks pass the gate (and it is published).
    export_candidate(warehouse, landing / "candidate_small", la_code=LA_SMALL)
    result = audit_and_publish(
        landing / "candidate_small", paths, la_code=LA_SMALL, as_of=AS_OF, dbt_summary={"success": True}
    )
    assert (Path(result["published"]) / "tsg_reconciliations.parquet").exists()


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_reconciliations") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_reconciliations_on_postgres_give_the_same_counts(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["ssd_cla_episodes"] == 5 + 1
    _build(landing, "postgres", ["pub_tsg_reconciliations"], {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(QUERY)
        assert cursor.fetchall() == EXPECTED
