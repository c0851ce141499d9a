"""The casework staging and intermediate models (people, teams, workers, allocations, contacts, visits, supervision,
delivery status) built over `landing_casework.py` on DuckDB and on PostgreSQL: every value below is worked out by
hand from that fixture (period end 2025-02-28), and both engines must return identical rows for every model.

Worked values (E06000039 unless stated):
* Snapshots: ssd_department was delivered for January, February and March; March is after the period end, so
  the teams are January's (2025-01-31) and February's (2025-02-28, the latest). February's T4 ("Children with
  Disabilities", mapped to CWD) and T9 (no service; its team id is mapped to CL) roll up to CLASS; T8 ("Mystery")
  has no service.
* Workers on 2025-02-28: W2's role text "Senior Practitioner" is mapped to SSW, its blank flags defaulted
  (qualified from its SWE number, case holding from SSW); W4 has no role and its job title is mapped to SSW;
  W3 (TM) and W5 (PA) are not frontline social workers.
* Children: C01 DOB 903 2015-03-02 beats ssd_person 2015-03-01 (disagreement); C02 CIN 2018-07-08 beats
  ssd_person 2018-07-07 (disagreement); C03 is only in the 903 Header; C90 was only in January's ssd_person and
  is kept (persons are not deleted by absence); C06 is only in March's delivery: absent. C05's "Unaccompanied"
  status (mapped to UASC) is open: uasc_flag. C01's current HOME postcode is SL1 2EL ("Home address" mapped to
  HOME, from 2024-07-01; the earlier one ended 2024-06-30).
* Allocations: I1, I2 (touching I1) and I7 (inside I1) are one allocation I1, open; I3's role "key worker" is
  mapped to ALLOCATED_SW; I9 was only in January's delivery: deleted by February's full refresh.
* Attribution on 2025-02-28: C01 has two open worker allocations, the latest start wins (I3: W2 in T3, CLASS);
  C02's team-only allocation is in T9 (CLASS); C05's worker allocation ended 2025-01-15 and a PA does not hold
  the case: no row. E09000001's D01 is held by X1 in U1 (RA).
* Contacts: K1's outcome comes from the JSON (REF_CSC) and source 5D makes it a step-up; K2 is a DUPLICATE;
  K3 was received 23:30 UTC on 30 June, i.e. 1 July in London, the day C05's early help began: a step-up, and the
  JSON's ADVICE beats NFA; K4 delivered "not stepped up" although its source is 5D; K9 was deleted in February.
* Visits: CIN V2's seen is blank -> N, flagged; local L1 repeats V2 (same child, day, context): dropped.
* Delivery status: local_case_supervision was rejected in January; E09000001's February file was header-only
  (empty); the code map was delivered at LA level (null month) and counts for every month.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_casework import AS_OF, LA_MAIN, LA_OTHER, load_id, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

D = date.fromisoformat
SELECT = ["+path:models/intermediate/casework", "+stg_ssd__care_leavers"]
MODELS = {
    "intermediate.int_teams_conformed": "la_code, snapshot_date, team_id, service_code, tsg_service_code, "
    "is_front_door, is_latest_snapshot",
    "intermediate.int_workers_conformed": "la_code, snapshot_date, worker_id, role_code, is_qualified_sw, "
    "is_qualified_sw_defaulted, is_case_holding, is_case_holding_defaulted, is_frontline_social_worker",
    "intermediate.int_children_conformed": "la_code, child_id, sex, date_of_birth, date_of_birth_source, "
    "has_dob_disagreement, expected_date_of_birth, uasc_flag, current_home_postcode, is_in_ssd_person, "
    "is_in_903_header, is_in_cin",
    "intermediate.int_allocations_conformed": "la_code, allocation_id, child_id, worker_id, role_code, team_id, "
    "start_date, end_date, is_open_at_as_of, merged_row_count, merged_allocation_ids",
    "intermediate.int_allocations_at_period_end": "la_code, period_end, child_id, attributed_worker_id, "
    "attributed_team_id, attributed_service_code, attribution_basis, attributed_allocation_id",
    "intermediate.int_contacts_conformed": "la_code, contact_id, child_id, contact_received_at, "
    "contact_received_date, decision_outcome, decision_outcome_source, is_duplicate, stepped_up_from_eh, "
    "is_stepped_up_from_eh_defaulted",
    "intermediate.int_visits_unioned": "la_code, source_table, visit_id, child_id, visit_date, visit_context, "
    "plan_id, is_statutory, child_seen, is_child_seen_blank, seen_alone, worker_id",
    "intermediate.int_case_supervision_conformed": "la_code, supervision_id, child_id, supervision_type, "
    "is_case_supervision, is_management_oversight",
    "intermediate.int_source_tables_delivered": "la_code, period_end, table_name, landed_loads, rejected_loads, "
    "rows_landed, delivery_status, data_quality_flag",
    "staging.stg_ssd__persons": "la_code, child_id, date_of_birth, load_id",
    "staging.stg_ssd__care_leavers": "la_code, snapshot_date, is_latest_snapshot, child_id, eligibility, "
    "personal_adviser_worker_id",
}


def _normal(value: object) -> object:
    """One engine-neutral form per value: timestamps in UTC (DuckDB and psycopg2 use their session time zones)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _fetch(cursor: object) -> dict[str, list[tuple]]:
    """Every model's rows, normalised and sorted in Python (the engines' text collations differ)."""
    tables = {}
    for relation, columns in MODELS.items():
        cursor.execute(f"select {columns} from {relation}")
        rows = [tuple(_normal(value) for value in row) for row in cursor.fetchall()]
        tables[relation.split(".")[1]] = sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))
    return tables


def _build(root: Path, target: str, extra_env: dict[str, str]) -> None:
    result = run_dbt(
        ["build", "--select", *SELECT, "--indirect-selection", "cautious"],
        as_of=AS_OF,
        target=target,
        target_path=root / f"dbt_target_{target}",
        env_overrides={"CSC_LANDING_DIR": str(root / "landing"), **extra_env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    # The hand-worked unit tests ran inside the build, on this engine, and passed.
    results = json.loads((root / f"dbt_target_{target}" / "run_results.json").read_text())["results"]
    unit_tests = {
        r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")
    }
    mine = {
        "department_snapshots_by_as_of_and_service_mapping",
        "department_snapshots_for_a_past_month",
        "involvement_roles_mapped_on_the_start_date",
        "code_map_latest_monthly_delivery_wins_over_la_level",
        "children_dob_precedence_uasc_and_home_postcode",
        "teams_service_rollup_front_door_and_validity",
        "workers_default_flags_and_frontline_population",
        "allocations_merge_overlapping_and_touching_duplicates",
        "allocations_attributed_on_each_period_end",
        "contact_outcomes_from_json_and_step_up_default",
        "visits_blank_seen_defaults_and_duplicates",
        "source_tables_landed_empty_rejected_absent",
    }
    assert {name: unit_tests.get(name) for name in mine} == dict.fromkeys(mine, "pass")


def _rows_of(tables: dict[str, list[tuple]], model: str, **where: object) -> list[tuple]:
    columns = [column.strip() for column in MODELS[next(key for key in MODELS if key.endswith(model))].split(",")]
    return [row for row in tables[model] if all(row[columns.index(k)] == v for k, v in where.items())]


def _check(tables: dict[str, list[tuple]]) -> None:
    feb, jan = D("2025-02-28"), D("2025-01-31")
    # Teams: January and February snapshots of E06000039 (March not yet received), one of E09000001.
    assert _rows_of(tables, "int_teams_conformed", la_code=LA_MAIN, snapshot_date=feb) == [
        (LA_MAIN, feb, "T1", "RA", "RA", True, True),
        (LA_MAIN, feb, "T2", "SFS", "SFS", False, True),
        (LA_MAIN, feb, "T3", "CLASS", "CLASS", False, True),
        (LA_MAIN, feb, "T4", "CWD", "CLASS", False, True),
        (LA_MAIN, feb, "T8", None, None, False, True),
        (LA_MAIN, feb, "T9", "CL", "CLASS", False, True),
    ]
    assert [row[2] for row in _rows_of(tables, "int_teams_conformed", snapshot_date=jan)] == ["T1", "T2", "T3"]
    assert {row[6] for row in _rows_of(tables, "int_teams_conformed", snapshot_date=jan)} == {False}
    assert _rows_of(tables, "int_teams_conformed", la_code=LA_OTHER) == [(LA_OTHER, feb, "U1", "RA", "RA", True, True)]
    # Workers on 2025-02-28: (role, qualified, defaulted, case holding, defaulted, frontline).
    workers = {row[2]: row[3:] for row in _rows_of(tables, "int_workers_conformed", la_code=LA_MAIN, snapshot_date=feb)}
    assert workers == {
        "W1": ("SW", True, False, True, False, True),
        "W2": ("SSW", True, True, True, True, True),
        "W3": ("TM", True, False, False, False, False),
        "W4": ("SSW", True, False, True, True, True),
        "W5": ("PA", False, False, False, True, False),
    }
    # Children: (sex, DOB, source, disagreement, expected DOB, UASC, home postcode, in ssd, in 903, in CIN).
    children = {row[1]: row[2:] for row in _rows_of(tables, "int_children_conformed", la_code=LA_MAIN)}
    assert children == {
        "C01": ("M", D("2015-03-02"), "903_HEADER", True, None, False, "SL1 2EL", True, True, False),
        "C02": ("F", D("2018-07-08"), "CIN", True, None, False, None, True, False, True),
        "C03": ("F", D("2012-05-15"), "903_HEADER", False, None, False, None, False, True, False),
        "C04": (None, None, None, False, D("2025-04-01"), False, None, True, False, False),
        "C05": ("M", D("2008-01-01"), "CIN", False, None, True, None, True, False, True),
        "C90": ("F", D("2009-09-09"), "SSD_PERSON", False, None, False, None, True, False, False),
    }
    assert _rows_of(tables, "stg_ssd__persons", child_id="C90")[0][3] == load_id("ssd_person", LA_MAIN, "2025-01")
    # Allocations after de-duplication.
    assert _rows_of(tables, "int_allocations_conformed", la_code=LA_MAIN) == [
        (LA_MAIN, "I1", "C01", "W1", "ALLOCATED_SW", "T2", D("2024-01-01"), None, True, 3, "I1,I2,I7"),
        (LA_MAIN, "I3", "C01", "W2", "ALLOCATED_SW", "T3", D("2024-09-01"), None, True, 1, "I3"),
        (LA_MAIN, "I4", "C02", None, "TEAM_ONLY", "T9", D("2024-11-01"), None, True, 1, "I4"),
        (LA_MAIN, "I5", "C05", "W5", "PA", "T9", D("2024-05-01"), None, True, 1, "I5"),
        (LA_MAIN, "I6", "C05", "W1", "ALLOCATED_SW", "T4", D("2023-01-01"), D("2025-01-15"), False, 1, "I6"),
    ]
    # Attribution on the period end; 13 + 4 + 11 + 2 = 30 child-months over the 13 period ends (C01 from 2024-01,
    # C02 from 2024-11, C05 until 2025-01-15, D01 from 2025-01-10).
    assert _rows_of(tables, "int_allocations_at_period_end", period_end=feb) == [
        (LA_MAIN, feb, "C01", "W2", "T3", "CLASS", "ALLOCATION_WORKER", "I3"),
        (LA_MAIN, feb, "C02", None, "T9", "CLASS", "ALLOCATION_TEAM", "I4"),
        (LA_OTHER, feb, "D01", "X1", "U1", "RA", "ALLOCATION_WORKER", "J1"),
    ]
    assert len(tables["int_allocations_at_period_end"]) == 30
    # Before I3 started (2024-09-01), C01 was W1's in T2 (SFS).
    assert _rows_of(tables, "int_allocations_at_period_end", child_id="C01", period_end=D("2024-08-31")) == [
        (LA_MAIN, D("2024-08-31"), "C01", "W1", "T2", "SFS", "ALLOCATION_WORKER", "I1")
    ]
    # Contacts.
    assert _rows_of(tables, "int_contacts_conformed") == [
        (LA_MAIN, "K1", "C01", datetime(2025, 2, 3, 9, 15, tzinfo=UTC), D("2025-02-03"), "REF_CSC", "OUTCOME_JSON",
         False, True, True),
        (LA_MAIN, "K2", "C02", datetime(2025, 2, 10, 11, 0, tzinfo=UTC), D("2025-02-10"), "DUPLICATE", "LOCAL",
         True, False, True),
        (LA_MAIN, "K3", "C05", datetime(2024, 6, 30, 23, 30, tzinfo=UTC), D("2024-07-01"), "INFO_ADVICE",
         "OUTCOME_JSON", False, True, True),
        (LA_MAIN, "K4", "C04", datetime(2025, 2, 20, 10, 0, tzinfo=UTC), D("2025-02-20"), None, None, False, False,
         False),
    ]  # fmt: skip
    # Visits.
    assert _rows_of(tables, "int_visits_unioned") == [
        (LA_MAIN, "local_visits", "L2", "C05", D("2025-02-14"), "PATHWAY", None, True, "N", False, "N", "W5"),
        (LA_MAIN, "ssd_cin_visits", "V1", "C02", D("2025-02-05"), "CIN", None, True, "Y", False, "Y", "W1"),
        (LA_MAIN, "ssd_cin_visits", "V2", "C02", D("2025-01-20"), "ASSESS", None, False, "N", True, None, "W1"),
        (LA_MAIN, "ssd_cla_visits", "V5", "C05", D("2025-01-05"), "CLA", None, True, "Y", False, "NA", "W1"),
        (LA_MAIN, "ssd_cp_visits", "V1", "C01", D("2025-02-10"), "CP", "P1", True, "Y", False, "N", "W1"),
    ]
    assert _rows_of(tables, "int_case_supervision_conformed") == [
        (LA_MAIN, "S1", "C01", "CASE_SUP", True, False),
        (LA_MAIN, "S2", "C02", "MO", False, True),
    ]
    # Care leavers: one snapshot per delivery, the eligibility text mapped.
    assert _rows_of(tables, "stg_ssd__care_leavers") == [
        (LA_MAIN, jan, False, "C05", "RELEVANT", None),
        (LA_MAIN, feb, True, "C05", "FORMER_RELEVANT", "W5"),
    ]
    # Delivery status: (landed loads, rejected loads, rows landed, status, flag).
    status = {(row[0], row[1], row[2]): row[3:] for row in tables["int_source_tables_delivered"]}
    assert status[(LA_MAIN, feb, "ssd_contacts")] == (1, 0, 4, "landed", None)
    assert status[(LA_MAIN, jan, "local_case_supervision")] == (
        0, 1, 0, "rejected", "source_rejected:local_case_supervision"
    )  # fmt: skip
    assert status[(LA_OTHER, feb, "local_case_supervision")] == (
        1,
        0,
        0,
        "empty",
        "empty_source:local_case_supervision",
    )
    assert status[(LA_MAIN, jan, "ref_local_code_map")] == (1, 0, 6, "landed", None)
    assert status[(LA_OTHER, feb, "ref_local_code_map")] == (0, 0, 0, "absent", "source_absent:ref_local_code_map")
    assert status[(LA_MAIN, D("2024-12-31"), "ssd_contacts")] == (0, 0, 0, "absent", "source_absent:ssd_contacts")
    assert status[(LA_MAIN, feb, "cin")] == (1, 0, 2, "landed", None)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("casework")
    write_landing(folder / "landing")
    return folder


@pytest.fixture(scope="module")
def duckdb_tables(root: Path) -> dict[str, list[tuple]]:
    warehouse = root / "warehouse.duckdb"
    _build(root, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return _fetch(connection.cursor())


@pytest.mark.xdist_group("dbt_duckdb")
def test_casework_models_on_duckdb_hold_the_hand_worked_values(duckdb_tables: dict[str, list[tuple]]) -> None:
    _check(duckdb_tables)


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_casework") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_casework_models_on_postgres_equal_duckdb(
    root: Path, postgres_database: str, duckdb_tables: dict[str, list[tuple]]
) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(root / "landing", dsn)
    assert loaded["ssd_involvements"] == 10  # 2 in January, 7 in February, 1 of E09000001
    _build(root, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        tables = _fetch(cursor)
    _check(tables)
    for model, rows in duckdb_tables.items():
        assert tables[model] == rows, model
