"""The journey's staging and conformed models (CIN census, SSD and local alternatives, 903 reviews, periods of care),
built over `landing_journey.py` on DuckDB and on PostgreSQL: the same rows on both engines, pinned by hand.

Period end 2025-02-28. Working, from the fixture's rows:

Census (E06000039): files history 2023-24 (2024-03), 2024-25 January (2025-01), 2024-25 February (2025-02).
    C01's referral is open in the history file and closed in both 2024-25 files: the later year wins, and February
    replaces January within 2024-25 -> closed 2024-07-31 RC7. C05's referral is only in January's file: gone.
    Children: C01 (February, M), C02 (history, GenderCurrent 2 -> F), C03 (unborn: no DOB, sex U), C04 (F).
SSD ssd_cin_episodes (E06000039): January SE1 (open), SE5 (open), SE7 (closed 2021-12-31); February SE1 (closed
    2024-07-31), SE4. February's window starts 2022-03-15: SE5 (open) was covered and dropped -> deleted; SE7 closed
    before it -> kept from January; SE1 from February. E09000001: YE1.
Sources: E06000039 has a census -> CIN, except CIN plans (its LA profile prefers SSD); E09000001 none -> SSD.
Referrals: C01 matches SE1 (same child and date; every compared field agrees: 0), C04 matches SE4 (need N1 vs N2: 1,
    team T2, contact CT4 names SE4); C02, C03 have no SSD row; SE7 is SSD-only (not a referral while CIN is
    primary); E09000001: YE1 is the referral itself.
Assessments: C01's matches SA1 (type OTHER from SSD, team T1; authorised 2024-03-01 vs 2024-03-05: 1); C03's
    matches SA3 (no SSD type; C03 is unborn -> PREBIRTH, team T3); E09000001 YA1 -> CF by default.
Factors: C01's from the census (3B, 4B); C03's census assessment has none, so SSD's object {"3A":"Yes","4B":"No",
    "2C":"true"} -> 2C, 3A; YA1's array ["1B","3B","XX"] -> 1B, 3B (XX is not a factor code).
S47: C02's has no conference -> transfer_in false, defaulted; C04's matches SS4 (strategy ST4, ended 2024-10-25)
    and conference IC4 (transfer in; held 2024-10-25 = census date: 0 disagreements); YS1 takes YI1's target
    2024-12-11 and date 2024-12-10, transfer_in defaulted.
CP plans: C04's matches SP4 ("Physical abuse" mapped to PHY by the code map: agrees); YP1 is another LA's plan (OLA).
CP reviews: C02's 2023-08-15 (census only); C04's 2025-01-20 enriched by SR4 (due 2025-01-24, quorate, PN1); SR5
    was not held: no row.
CIN plans (SSD primary): SCP1 (matches the census plan CP_C01, same end date: 0), SCP9 (SSD only); both belong to
    SE1, i.e. the conformed referral of C01.
Periods of care: A01 two (S 2023-05-01 to 2023-11-01; S 2024-03-01 open); A02 one, censored (first episode P),
    through the L change, open. Reviews: A01 2023-06-01 -> period 1; A01 2024-10-15 -> period 2, matched CR1 (due
    2024-10-20; PN2 vs PN1: 1); A02 2024-09-01 -> period 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_journey import (
    A_C01,
    A_C03,
    LA_MAIN,
    LA_SSD,
    P_C02,
    P_C04,
    R_C01,
    R_C02,
    R_C03,
    R_C04,
    S_C02,
    S_C04,
    write_landing,
)
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

AS_OF = date(2025, 2, 28)
D = date.fromisoformat
M, S = LA_MAIN, LA_SSD
SELECTION = ["--select", "+path:models/intermediate/journey", "stg_ssda903__header", "--indirect-selection", "cautious"]
JOURNEY_UNIT_TESTS = {
    "cin_referrals_come_from_the_authoritative_census",
    "cin_cp_plans_follow_every_landed_census_file",
    "ssd_episodes_are_a_full_refresh_inside_each_delivery_window",
    "periods_of_care_start_at_rne_s_a_gap_or_the_first_episode",
    "assessments_are_typed_and_enriched_from_the_matched_ssd_row",
    "referrals_take_core_fields_from_the_primary_source",
}

EXPECTED: dict[str, tuple[str, list[tuple]]] = {
    "census referrals": (
        "select la_code, cin_details_key, closure_date, reason_for_closure, reporting_month"
        " from staging.stg_cin__referrals order by 1, 2",
        [
            (M, R_C01, D("2024-07-31"), "RC7", "2025-02"),
            (M, R_C02, D("2023-09-01"), "RC8", "2024-03"),
            (M, R_C03, None, None, "2025-02"),
            (M, R_C04, None, None, "2025-02"),
        ],
    ),
    "census children": (
        "select child_id, sex, date_of_birth, expected_date_of_birth from staging.stg_cin__children order by 1",
        [
            ("C01", "M", D("2015-06-01"), None),
            ("C02", "F", D("2012-02-02"), None),
            ("C03", "U", None, D("2025-04-01")),
            ("C04", "F", D("2010-01-01"), None),
        ],
    ),
    "ssd episodes": (
        "select la_code, referral_id, closure_date, reporting_month from staging.stg_ssd__cin_episodes order by 1, 2",
        [
            (M, "SE1", D("2024-07-31"), "2025-02"),
            (M, "SE4", None, "2025-02"),
            (M, "SE7", D("2021-12-31"), "2025-01"),
            (S, "YE1", None, "2025-02"),
        ],
    ),
    "sources": (
        "select la_code, referral_source, assessment_source, section47_source, cp_plan_source, cin_plan_source,"
        " is_cin_plan_source_preferred from intermediate.int_journey_sources_chosen order by 1",
        [(M, "CIN", "CIN", "CIN", "CIN", "SSD", True), (S, "SSD", "SSD", "SSD", "SSD", "SSD", False)],
    ),
    "referrals": (
        "select la_code, referral_id, primary_need_code, closure_date, team_id, contact_id, ssd_referral_id,"
        " primary_source, has_alternative_match, source_disagreement_count"
        " from intermediate.int_referrals_conformed order by 1, 2",
        [
            (M, R_C01, "N1", D("2024-07-31"), "T1", None, "SE1", "CIN", True, 0),
            (M, R_C02, "N2", D("2023-09-01"), None, None, None, "CIN", False, 0),
            (M, R_C03, "N1", None, None, None, None, "CIN", False, 0),
            (M, R_C04, "N1", None, "T2", "CT4", "SE4", "CIN", True, 1),
            (S, "YE1", "N3", None, "T9", None, "YE1", "SSD", False, 0),
        ],
    ),
    "assessments": (
        "select la_code, assessment_id, referral_id, assessment_type, assessment_type_source, team_id,"
        " has_alternative_match, source_disagreement_count from intermediate.int_assessments_conformed order by 1, 2",
        [
            (M, A_C01, R_C01, "OTHER", "SSD", "T1", True, 1),
            (M, A_C03, R_C03, "PREBIRTH", "DERIVED", "T3", True, 0),
            (S, "YA1", "YE1", "CF", "DERIVED", None, False, 0),
        ],
    ),
    "factors": (
        "select la_code, assessment_id, factor_code, factor_source"
        " from intermediate.int_assessment_factors_conformed order by 1, 2, 3",
        [
            (M, A_C01, "3B", "CIN"),
            (M, A_C01, "4B", "CIN"),
            (M, A_C03, "2C", "SSD"),
            (M, A_C03, "3A", "SSD"),
            (S, "YA1", "1B", "SSD"),
            (S, "YA1", "3B", "SSD"),
        ],
    ),
    "section 47": (
        "select la_code, s47_id, referral_id, strategy_id, s47_end_date, initial_cpc_target_date, initial_cpc_date,"
        " is_transfer_in, is_transfer_in_defaulted, icpc_id, has_alternative_match, source_disagreement_count"
        " from intermediate.int_section47_conformed order by 1, 2",
        [
            (M, S_C02, R_C02, None, None, D("2023-06-01"), D("2023-05-30"), False, True, None, False, 0),
            (M, S_C04, R_C04, "ST4", D("2024-10-25"), D("2024-10-26"), D("2024-10-25"), True, False, "IC4", True, 0),
            (S, "YS1", "YE1", None, None, D("2024-12-11"), D("2024-12-10"), False, True, "YI1", False, 0),
        ],
    ),
    "strategy discussions": (
        "select la_code, strategy_id, referral_id, s47_id, s47_count, outcome"
        " from intermediate.int_strategy_discussions_conformed order by 1, 2",
        [(M, "ST4", R_C04, S_C04, 1, "S47")],
    ),
    "cp plans": (
        "select la_code, cp_plan_id, referral_id, initial_category_of_abuse, number_of_previous_cp_plans,"
        " is_other_la_plan, is_other_la_plan_defaulted, has_alternative_match, source_disagreement_count"
        " from intermediate.int_cp_plans_conformed order by 1, 2",
        [
            (M, P_C02, R_C02, "NEG", 0, False, True, False, 0),
            (M, P_C04, R_C04, "PHY", 1, False, False, True, 0),
            (S, "YP1", "YE1", "NEG", None, True, False, False, 0),
        ],
    ),
    "cp reviews": (
        "select la_code, cp_plan_id, cp_review_date, cp_review_due_date, is_quorate, participation_code,"
        " has_alternative_match from intermediate.int_cp_reviews_conformed order by 1, 2, 3",
        [
            (M, P_C02, D("2023-08-15"), None, None, None, False),
            (M, P_C04, D("2025-01-20"), D("2025-01-24"), True, "PN1", True),
        ],
    ),
    "cin plans": (
        "select la_code, cin_plan_id, referral_id, cin_plan_end_date, step_down_to, primary_source,"
        " has_alternative_match, source_disagreement_count from intermediate.int_cin_plans_conformed order by 1, 2",
        [
            (M, "SCP1", R_C01, D("2024-07-31"), "EH", "SSD", True, 0),
            (M, "SCP9", R_C01, None, None, "SSD", False, 0),
        ],
    ),
    "periods of care": (
        "select la_code, child_id, period_of_care_number, period_start_date, period_end_date, period_start_reason,"
        " is_start_censored, episode_count from intermediate.int_cla_periods_derived order by 1, 2, 3",
        [
            (M, "A01", 1, D("2023-05-01"), D("2023-11-01"), "RNE_S", False, 1),
            (M, "A01", 2, D("2024-03-01"), None, "RNE_S", False, 1),
            (M, "A02", 1, D("2022-06-01"), None, "FIRST_EPISODE", True, 2),
        ],
    ),
    "cla reviews": (
        "select la_code, child_id, review_date, period_of_care_number, period_of_care_start_date, review_due_date,"
        " has_alternative_match, source_disagreement_count"
        " from intermediate.int_cla_reviews_conformed order by 1, 2, 3",
        [
            (M, "A01", D("2023-06-01"), 1, D("2023-05-01"), None, False, 0),
            (M, "A01", D("2024-10-15"), 2, D("2024-03-01"), D("2024-10-20"), True, 1),
            (M, "A02", D("2024-09-01"), 1, D("2022-06-01"), None, False, 0),
        ],
    ),
}


def _build(root: Path, target: str, extra_env: dict[str, str]) -> None:
    result = run_dbt(
        ["build", *SELECTION],
        as_of=AS_OF,
        target=target,
        target_path=root / f"dbt_target_{target}",
        env_overrides={"CSC_LANDING_DIR": str(root / "landing"), **extra_env},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    results = json.loads((root / f"dbt_target_{target}" / "run_results.json").read_text())["results"]
    unit_tests = {
        r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")
    }
    # The hand-worked unit tests of the delivery rules ran inside this build and passed.
    assert {name: unit_tests.get(name) for name in JOURNEY_UNIT_TESTS} == dict.fromkeys(JOURNEY_UNIT_TESTS, "pass")


def _check(fetch: Callable[[str], list[tuple]]) -> None:
    """Every pinned query returns exactly the hand-worked rows (`fetch` runs one query on the engine)."""
    for name, (query, expected) in EXPECTED.items():
        assert [tuple(row) for row in fetch(query)] == expected, name


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_journey")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_journey_models_on_duckdb(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        _check(lambda query: connection.execute(query).fetchall())


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_journey") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_journey_models_on_postgres_give_the_same_rows(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["cin_episode"] == 8 and loaded["ssd_cin_episodes"] == 6  # every landed row, all deliveries
    _build(landing, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def fetch(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        _check(fetch)
