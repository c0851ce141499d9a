"""`dbt build` of the whole project (models, data tests and unit tests) on DuckDB and on a real PostgreSQL 15.

The landing area is `landing_fixture.py`; every figure below is worked out by hand from its episodes (period end
2025-02-28, rolling window (2024-02-28, 2025-02-28], previous month 2025-01-31 with window (2024-01-31, 2025-01-31]).

E06000039, CLA on 2025-02-28 (open: DECOM <= d and (DEC null or DEC > d); LS V3/V4 excluded):
    A01 U4 PR4, A02 U5 PR1, A03 U1 PR1, A04 K2 PR4, A07 U6 PR4, A08 U3 PR1, A09 P1 PR0            -> 7
    not CLA: A05 (episode ends ON the period end), A06 (short break V3), A98 (deleted by February's full
    refresh), A99 (only in the March delivery, received after the period end)
    placements in the window: A01 2 (history episode closed by the later year, then PR4), A02 2 (the history
    placement ended ON the window start so it is outside; the RNE L change is not a move), A03 3 (the first
    placement ended on 2024-02-29, inside the window), A04 2 (hospital T1 bridged, holiday T2 not a placement),
    A07 1 (short breaks are not placements), A08 1, A09 3                      -> b08 = 2/7 = 28.571 -> 28.6
    in-house foster (U1-U6 with PR1): A02, A03, A08                            -> b24 = 3/7 = 42.857 -> 42.9
    fostered (U1-U6): A01, A02, A03, A07, A08                                  -> b24b = 3/5 = 60.0
E06000039 on 2025-01-31: CLA A01 A02 A03 A04 A05 A07 A09 = 7; 3+ placements A02 (its history placement ended
    2024-02-28, after that window's start), A03, A09 -> b08 42.9; in-house A02 A03 A05 -> b24 42.9; b24b 3/5 60.0.
RAG (tsg_2021_22): b08 28.6 vs 12.0 (L, tol 3.0) outside, better than 42.9 -> OUTSIDE_IMPROVING, Yellow;
    b24 42.9 vs 45.0 (H, tol 5.0) -> WITHIN_TOLERANCE, Amber; s_cla_count and b24b have no target -> TBC, Grey.
E09000001: B01 came into care on 2025-02-03 (U4 PR1): 1 CLA, b08 0/1 = 0.0 (ON_TARGET), b24 1/1 = 100.0
    (ON_TARGET), b24b 100.0; nobody was looked after on 2025-01-31, so the percentages have no prior (no_prior).
b16 (CLA under 16 looked after for at least 2.5 years, since 2022-08-28 or earlier): every child was born on
    2012-05-15 (12) but the earliest period of care began on 2023-06-01 (A01), so for both organisations the
    population is empty: 0/0, NO_DATA, low n, no prior. s_cla_16plus_pct: nobody is 16 -> 0/7 (prior 0/7) and
    0/1 (no prior). No episode needs a repair (fct_cla_episode_repairs is empty).
    The b11 family (ONSPD), b10/b10b/Staying Put/suitable accommodation (ssd_care_leavers) and s_uasc_count (903
    UASC) read tables the fixture does not deliver: NO_DATA with source_absent:<table>, like the compliance rows.

Compliance indicators (issue 5; register rows with mart_area compliance, all publish_tsg): the fixture delivers
only the 903 Header and Episodes, so for both organisations every compliance KPI lacks a required table in the
February delivery (seeds/ref_kpi_source_tables.csv, input contract §8): each is published as NO_DATA, 'No data',
numerator, denominator, value, prev_value and source_load_ids null, not low n (no denominator), with every table of
each unmet requirement flagged (sorted), e.g. b02 needs the CIN census or ssd_cin_episodes -> both absent; b07
needs Episodes (delivered) and ssd_cla_visits -> only ssd_cla_visits; b17 needs Reviews (not delivered) and
Episodes. No detail rows stand behind a NO_DATA figure. The candidate passes the publication gate (§5.8, §9.3).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from expectations.checkpoint import run_checkpoint
from expectations.kpi_register import tsg_kpis_due
from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from publish.export import export_candidate
from tests.dbt.landing_fixture import LA_MAIN, LA_SMALL, load_ids, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

AS_OF = date(2025, 2, 28)
D = Decimal
MAIN_SOURCES = ",".join(sorted(load_ids("episodes", LA_MAIN, ["2024-03", "2025-02"])))
SMALL_SOURCES = ",".join(load_ids("episodes", LA_SMALL, ["2025-02"]))

# (la_code, kpi_id): numerator, denominator, value, prev_value, rag_state, rag_colour, low_n_flag, data_quality_flag
EXPECTED = {
    (LA_MAIN, "s_cla_count"): (7, None, D("7.0"), D("7.0"), "TBC", "Grey", False, None),
    (LA_MAIN, "b08_cla_3plus_placements_12m"): (
        2,
        7,
        D("28.6"),
        D("42.9"),
        "OUTSIDE_IMPROVING",
        "Yellow",
        True,
        None,
    ),
    (LA_MAIN, "b24_inhouse_foster_pct"): (3, 7, D("42.9"), D("42.9"), "WITHIN_TOLERANCE", "Amber", True, None),
    (LA_MAIN, "b24b_inhouse_share_of_fostered"): (3, 5, D("60.0"), D("60.0"), "TBC", "Grey", True, None),
    (LA_SMALL, "s_cla_count"): (1, None, D("1.0"), D("0.0"), "TBC", "Grey", False, None),
    (LA_SMALL, "b08_cla_3plus_placements_12m"): (0, 1, D("0.0"), None, "ON_TARGET", "Green", True, "no_prior"),
    (LA_SMALL, "b24_inhouse_foster_pct"): (1, 1, D("100.0"), None, "ON_TARGET", "Green", True, "no_prior"),
    (LA_SMALL, "b24b_inhouse_share_of_fostered"): (1, 1, D("100.0"), None, "TBC", "Grey", True, "no_prior"),
    (LA_MAIN, "b16_cla_stable_2y"): (0, 0, None, None, "NO_DATA", "No data", True, "no_prior"),
    (LA_SMALL, "b16_cla_stable_2y"): (0, 0, None, None, "NO_DATA", "No data", True, "no_prior"),
    (LA_MAIN, "s_cla_16plus_pct"): (0, 7, D("0.0"), D("0.0"), "TBC", "Grey", True, None),
    (LA_SMALL, "s_cla_16plus_pct"): (0, 1, D("0.0"), None, "TBC", "Grey", True, "no_prior"),
}
PLACEMENT_KPIS = {kpi_id for _, kpi_id in EXPECTED}

# Compliance KPI -> data_quality_flag: every table of each requirement not met by the fixture (only 903 Header and
# Episodes delivered), sorted; alternatives (CIN census or the SSD table) are both absent.
CIN_OR = "source_absent:cin,"
NO_DATA_FLAGS = {
    "b01_contact_decision_1wd": "source_absent:ssd_contacts",
    "b02_rereferral_12m": CIN_OR + "source_absent:ssd_cin_episodes",
    "b03_assess_45wd": CIN_OR + "source_absent:ssd_cin_assessments",
    "b03v_assess_45wd_from_referral": CIN_OR + "source_absent:ssd_cin_assessments,source_absent:ssd_cin_episodes",
    "b04_cp_visits_10wd": CIN_OR + "source_absent:ssd_cp_plans,source_absent:ssd_cp_visits",
    "b05_icpc_15wd": CIN_OR + "source_absent:ssd_s47_enquiry",
    "b05v_icpc_15wd_strategy": CIN_OR + "source_absent:local_strategy_discussions,source_absent:ssd_s47_enquiry",
    "b06_cpp_repeat_2y": CIN_OR + "source_absent:ssd_cp_plans",
    "b06b_cpp_second_or_subsequent": CIN_OR + "source_absent:ssd_cp_plans",
    "b07_cla_visit_seen_alone": "source_absent:ssd_cla_visits",
    "b17_cla_reviews_in_time": "source_absent:ssda903_reviews",
    "b17v_cla_children_reviews_in_time": "source_absent:ssda903_reviews",
    "b18_cla_review_participation": "source_absent:ssda903_reviews",
    "b19_case_supervision_monthly": "source_absent:local_case_supervision,source_absent:ssd_involvements",
    "t_assess_open_in_time": CIN_OR + "source_absent:ssd_cin_assessments",
    "t_visits_in_time_all": CIN_OR
    + "source_absent:ssd_cin_assessments,source_absent:ssd_cin_plans,source_absent:ssd_cin_visits,"
    "source_absent:ssd_cla_visits,source_absent:ssd_cp_plans,source_absent:ssd_cp_visits",
    "t_cin_plans_open_1y_plus": CIN_OR + "source_absent:ssd_cin_plans",
    "t_cp_plans_open_1_2y": CIN_OR + "source_absent:ssd_cp_plans",
    "t_cp_plans_open_2y_plus": CIN_OR + "source_absent:ssd_cp_plans",
    "t_cp_plans_open_12m_plus": CIN_OR + "source_absent:ssd_cp_plans",
    "b01v_referral_decision_1wd": "source_absent:ssd_contacts",
}
# Workforce KPIs (issue 6): no HR export or staff supervision is delivered, so each is NO_DATA with its required
# tables (seeds/ref_kpi_source_tables.csv), sorted.
_HR_POSITIONS = "source_absent:hr_agency_assignment,source_absent:hr_employee,source_absent:hr_post"
NO_DATA_FLAGS.update(
    {
        "b22_perm_staff_turnover_12m": "source_absent:hr_employee,source_absent:hr_leaver",
        "b22v_voluntary_turnover": "source_absent:hr_employee,source_absent:hr_leaver",
        "b23_frontline_agency_pct": _HR_POSITIONS,
        "t_frontline_agency_pct": _HR_POSITIONS,
        "p_frontline_perm_pct": _HR_POSITIONS,
        "t_qualified_workforce_mix_perm": _HR_POSITIONS,
        "t_qualified_workforce_mix_agency": _HR_POSITIONS,
        "t_qualified_workforce_mix_vacancy": _HR_POSITIONS,
        "t_sickness_absence": "source_absent:hr_absence,source_absent:hr_employee",
        "p_short_term_absence_ytd": "source_absent:hr_absence,source_absent:hr_employee",
        "p_staff_9_supervisions_12m": "source_absent:hr_employee,source_absent:local_staff_supervision",
        "p_asye_retention": "source_absent:hr_employee,source_absent:hr_leaver",
        "t_returners_2y": "source_absent:hr_employee,source_absent:hr_leaver",
        "t_temp_to_perm": "source_absent:hr_agency_assignment,source_absent:hr_employee",
    }
)
# Caseload KPIs (issue 6; mart_area caseload): they need ssd_involvements, ssd_professionals and ssd_department
# (s0 only the allocations), none of which the fixture delivers -> NO_DATA with every table flagged, sorted.
CASELOAD_SSD = "source_absent:ssd_department,source_absent:ssd_involvements,source_absent:ssd_professionals"
NO_DATA_FLAGS.update(
    dict.fromkeys(
        [
            "b21_avg_caseload_frontline_sw",
            "b21f_avg_caseload_frontline_fte",
            "b21x_avg_caseload_excl_asye",
            "t_avg_caseload_ra",
            "t_avg_caseload_sfs",
            "t_avg_caseload_cla",
        ],
        CASELOAD_SSD,
    )
    | {"s0_sw_2plus_changes_12m": "source_absent:ssd_involvements"}
)
# Finance KPIs (issue 7; register rows with mart_area finance): the fixture delivers no finance table, so each is
# NO_DATA with every required table flagged, sorted (seeds/ref_kpi_source_tables.csv).
_PNL = "source_absent:fin_budget,source_absent:fin_forecast,source_absent:fin_ledger,source_absent:ref_subjective_map"
_COMMITMENTS = "source_absent:fin_placement_commitment"
NO_DATA_FLAGS |= {
    "b25_forecast_within_budget": _PNL,
    "f_net_position_forecast": _PNL,
    "f_net_position_variance": _PNL,
    "f_net_position_ytd": "source_absent:fin_ledger,source_absent:ref_subjective_map",
    "f_legal_fees_ytd": "source_absent:fin_ledger,source_absent:ref_subjective_map",
    "f_legal_fees_forecast": "source_absent:fin_forecast,source_absent:ref_subjective_map",
    "f_plc_fte_forecast": _COMMITMENTS,
    "f_plc_avg_weekly_rate": _COMMITMENTS,
    "f_plc_cost_forecast": _COMMITMENTS,
    "f_care_leaver_cost_forecast": _COMMITMENTS,
    "s_unit_cost_per_child_ytd": _COMMITMENTS,
    "f_plc_variance_pct": "source_absent:fin_placement_budget," + _COMMITMENTS,
}
# Placement KPIs whose required non-903 table the fixture does not deliver (seeds/ref_kpi_source_tables.csv).
NO_DATA_FLAGS |= {
    "b11_cla_over_20_miles": "source_absent:ref_onspd",
    "b11v_office_base": "source_absent:ref_onspd",
    "t_cla_over_20_miles": "source_absent:ref_onspd",
    "s_out_of_borough_within_20mi": "source_absent:ref_onspd",
    "s_uasc_count": "source_absent:ssda903_uasc",
    "b10_cl_eet_19_21": "source_absent:ssd_care_leavers",
    "b10b_cl_eet_18_21": "source_absent:ssd_care_leavers",
    "s_staying_put_count": "source_absent:ssd_care_leavers",
    "t_cl_suitable_accom_18_21": "source_absent:ssd_care_leavers",
    "t_cl_suitable_accom_19_21": "source_absent:ssd_care_leavers",
}
for _la_code in (LA_MAIN, LA_SMALL):
    for _kpi_id, _flag in NO_DATA_FLAGS.items():
        EXPECTED[(_la_code, _kpi_id)] = (None, None, None, None, "NO_DATA", "No data", False, _flag)

DATASET_QUERY = """
    select la_code, kpi_id, numerator, denominator, value, prev_value, rag_state, rag_colour, low_n_flag,
           data_quality_flag, period_start, period_end, target, direction, source_load_ids
    from publish.pub_tsg_dataset
    order by la_code, kpi_id
"""
DETAIL_QUERY = """
    select la_code, kpi_id, count(*), sum(case when in_numerator then 1 else 0 end)
    from restricted.pub_tsg_detail
    group by la_code, kpi_id
    order by la_code, kpi_id
"""


def _build(tmp_path: Path, target: str, extra_env: dict[str, str]) -> None:
    result = run_dbt(
        ["build"],
        as_of=AS_OF,
        target=target,
        target_path=tmp_path / "dbt_target",
        env_overrides={"CSC_LANDING_DIR": str(tmp_path / "landing"), **extra_env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    # The unit tests ran inside the build and passed: a build that skipped them would not prove the figures.
    results = json.loads((tmp_path / "dbt_target" / "run_results.json").read_text())["results"]
    unit_tests = {
        r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")
    }
    assert len(unit_tests) >= 8 and set(unit_tests.values()) == {"pass"}, unit_tests


def _check_dataset(rows: list[tuple], detail: list[tuple]) -> None:
    by_key = {(row[0], row[1]): row for row in rows}
    assert sorted(by_key) == sorted(EXPECTED)
    # Exactly the indicators the register marks for the TSG dataset: the gate's completeness rule.
    assert {kpi_id for _, kpi_id in by_key} == tsg_kpis_due(AS_OF)
    for key, expected in EXPECTED.items():
        row = by_key[key]
        assert tuple(row[2:10]) == expected, key
        assert row[10:12] == (date(2025, 2, 1), AS_OF)
        if key[1] in PLACEMENT_KPIS:
            assert row[14] == (MAIN_SOURCES if key[0] == LA_MAIN else SMALL_SOURCES)
        else:
            assert row[14] is None, key  # nothing was built: no source loads
    assert by_key[(LA_MAIN, "b08_cla_3plus_placements_12m")][12:14] == (D("12.0"), "L")
    assert by_key[(LA_MAIN, "b24_inhouse_foster_pct")][12:14] == (D("45.0"), "H")
    # Register values reach the compliance rows: catalogue b17 (95.0, H), t_cp_plans_open_2y_plus (0 children, L),
    # and a TRACK row has no target yet is NO_DATA, not TBC, without data.
    assert by_key[(LA_MAIN, "b17_cla_reviews_in_time")][12:14] == (D("95.0"), "H")
    assert by_key[(LA_MAIN, "t_cp_plans_open_2y_plus")][12:14] == (D("0.0"), "L")
    assert by_key[(LA_MAIN, "t_cp_plans_open_12m_plus")][12:14] == (None, "L")
    # The drill-down holds exactly the children behind each published figure (none behind a NO_DATA figure).
    members = {(row[0], row[1]): (row[2], row[3]) for row in detail}
    for (la_code, kpi_id), expected in EXPECTED.items():
        numerator, denominator = expected[0] or 0, expected[1]
        assert members.get((la_code, kpi_id), (0, 0)) == (denominator or numerator, numerator), (la_code, kpi_id)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_build")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_build_on_duckdb_publishes_the_hand_worked_figures(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(DATASET_QUERY).fetchall()
        detail = connection.execute(DETAIL_QUERY).fetchall()
    _check_dataset(rows, detail)
    # The NO_DATA rows of the absent sources are published rows, not errors: the candidate passes the gate.
    report = run_checkpoint(export_candidate(warehouse, landing / "candidate"), AS_OF)
    assert report.success, report.to_dict()


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_test") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_build_on_postgres_publishes_the_same_figures(landing: Path, postgres_database: str) -> None:
    import psycopg2

    env = {"CSC_PG_DATABASE": postgres_database}
    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["ssda903_episodes"] == 54
    _build(landing, "postgres", env)
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(DATASET_QUERY)
        rows = cursor.fetchall()
        cursor.execute(DETAIL_QUERY)
        detail = cursor.fetchall()
    _check_dataset(rows, detail)
