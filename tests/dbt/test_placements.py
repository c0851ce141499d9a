"""The placement marts (episode repair, placements, b08, b10, b11, b16, b24, mix, placements made, UASC, Staying Put)
built over `landing_placements.py` on DuckDB and on PostgreSQL: the same hand-worked figures on both.

Period end 2025-03-31: rolling window (2024-03-31, 2025-03-31], financial year 2024-04-01..2025-03-31; previous month
2025-02-28 with window (2024-02-28, 2025-02-28]. Miles = sqrt(dE^2 + dN^2) / 1609.3, half-up to 1 dp.

E06000039, by hand from the fixture's rows:
Episode repairs: P10 open in 2023-24, absent from 2024-25 -> S1 closed 2024-04-01 (so not looked after now);
    P11's open U4 followed by K2 on 2024-10-01 -> C1 closed then, X1; P12's U4 recorded to 2024-12-01 overlaps the
    K2 from 2024-09-01 -> O1 cut to 2024-09-01, X1; P13's stay from 2024-02-01 (2023-24) re-recorded from 2024-02-03
    (2024-25) -> D1, the 2023-24 row dropped. 4 repairs, 3 of them kept rows.
CLA on 2025-03-31: P01-P09, P11-P15 = 14 (P10 closed by S1).
b08: only P15 has 3 placements in the window. P01's K2 ended ON the window start (outside): 2; P02's RNE L is not a
    move: 2; P03's hospital stay is bridged and the holiday is not a placement: 2 -> 1/14 = 7.142.. -> 7.1.
    February: P01's K2 ended 2024-03-31, after that window's start: 3; P15 3 -> 2/14 = 14.285.. -> 14.3.
b24: in-house foster (U1-U6 + PR1) P02, P06, P09, P13 -> 4/14 = 28.6; fostered P01 P02 P04 P05 P06 P08 P09 P13 ->
    b24b 4/8 = 50.0.
b16 (under 16, in care since 2022-09-30 or earlier): P04 (exactly 2.5 years; same placement exactly 2 years, since
    2023-03-31: stable), P06 (since 2021; placement since 2023-04-01, one day short: not stable), P07 (A3 with the
    foster carer it was placed with since 2022-01-10: stable); P05 one day short of 2.5 years is out -> 2/3 = 66.7.
    February (since 2022-08-28 or earlier; placement since 2023-02-28): P06 no, P07 yes -> 1/2 = 50.0.
b11 (home origin; office when no HOME_POST or UASC): known distances P01 17.5, P02 1.2, P03 32.5, P04 20.0 (exactly
    20 is not over), P05 1.2, P06 1.2, P07 1.2, P09 1.9 (no home: office), P11 32.5, P13 1.2, P14 20.6 (UASC: office,
    not the home's 20.0), P15 1.2; P08's postcode has no centroid and P12 is in Scotland: unknown, not counted
    -> 3/12 = 25.0 (t_cla_over_20_miles the same). b11v from the office: P01 17.3, P03 32.8, P04 20.6, P11 32.8,
    P14 20.6, the rest 1.9 -> 4/12 = 33.3.
s_out_of_borough_within_20mi: placed outside E06000039 with a known distance P01 (17.5), P03, P04 (20.0), P11, P14
    -> 2/5 = 40.0. s_uasc_count: P14 (P13's status ceased 2024-12-01) -> 1. s_cla_16plus_pct: P14 (17) 1/14 = 7.1.
Finance placement types (§3.3 903 rule) on 2025-03-31: EXT_IFA P01 P04 P05 P08, INHOUSE_FOSTER P02 P06 P09 P13,
    EXT_RES P03 P11 P12 P15 (K2/R1 with PR4), UASC_16_18_SI P14 (UASC in K3), NONE P07 (adoption).
s_plc_mix (of 14): in-house foster 4 (28.6), external IFA P01 P04 P05 P08 4 (28.6), external residential P03 P11
    P12 P15 4 (28.6), adoption P07 1 (7.1), supported accommodation P14 1 (7.1).
s_plc_made_by_type, year to date: in-house foster P02 x2, P03 = 3; external IFA P01 (U6), P08, P11, P12, P15 x2 = 6;
    external residential P03, P11, P12, P15 = 4; adoption P07 1; supported P14 1 -> 15 (P01's U4 from 2024-03-31 is
    the day before the year; P03's return after hospital and P02's RNE L are not placements made). March: none.
Care leavers on 2025-03-31 (3-month contact window: after 2024-12-31): b10 (19-21) CL1 EET, CL2 (contact exactly 3
    months old), CL4 (21 until 1 April, not in touch) -> 1/3 = 33.3; b10b (18-21) adds CL3 (NEET) and CL6 (EET)
    -> 2/5 = 40.0; Staying Put CL3 (ACCOM Z1), CL6 (flag) -> 2. CL5 (23) and CL7 (17) are out of the 18-21 bands.
    Suitable accommodation (ACCOM ending in 1): 18-21 CL1 U1, CL2 U1, CL3 Z1, CL6 D1 of 5 (CL4 unknown) -> 80.0;
    19-21 CL1, CL2 of 3 -> 66.7; 16+ adds CL5 U1 and CL7 U1 -> 6/7 = 85.7. By personal adviser (b10b): PA1 holds
    CL1, CL2, CL3 -> 1/3 = 33.3; PA2 holds CL6 -> 1/1 = 100.0; CL4 has none -> UNALLOCATED 0/1 = 0.0.
Return-home interviews (missing episodes M that ended in the window, London dates): March M1 (offered 47 h after
    the end, accepted), M2 (offered exactly 72 h after: in time; declined), M3 (73 h: late); M4 is 'away', M6 has
    not ended, M7 ended at 23:30 UTC on 31 March = 00:30 BST on 1 April -> offered 2/3 = 66.7, uptake 1/2 = 50.0.
    Year to date adds February's M5 (no offer time, recorded as offered; interview held) -> 3/4 = 75.0, 2/3 = 66.7;
    the year-to-date offered figure is flagged timing_unverified (M5), March's month is not.

E06000040 (kpi-catalogue §5.4 figures from 88 generated children): out-of-area placements within 20 miles 24/41 =
    58.536.. -> 58.5; in-house share of fostered CLA 28/83 = 33.734.. -> 33.7 (b24 28/88 = 31.8); CLA aged 16+
    20/88 = 22.727.. -> 22.7; b11 17/88 = 19.318.. -> 19.3.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_placements import AS_OF, LA_MAIN, LA_S3, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

MODELS = [
    "fct_placement_indicators",
    "fct_cla_episode_repairs",
    "fct_cla_placements",
    "fct_cla_children_at_period_end",
    "fct_cla_finance_placement_types",
]
SELECTION = ["--select", *(f"+{model}" for model in MODELS), "--indirect-selection", "cautious"]
UNIT_TESTS = {
    "episode_repairs_by_rule",
    "placements_follow_rne_and_bridge_temporary_placements",
    "care_exits_map_every_year_s_codes_including_pre_2018_sgo",
    "b08_window_edges_and_cla_population",
    "b11_distances_origins_and_b16_dates_per_child",
    "indicator_counts_grains_and_missing_sources",
}
MAR, FEB = "2025-03-31", "2025-02-28"
D = Decimal

# (la_code, kpi_id, period_end, measure_window): (numerator, denominator, value) at company grain.
EXPECTED = {
    (LA_MAIN, "s_cla_count", MAR, "month_end"): (14, None, D("14.0")),
    (LA_MAIN, "b08_cla_3plus_placements_12m", MAR, "month_end"): (1, 14, D("7.1")),
    (LA_MAIN, "b08_cla_3plus_placements_12m", FEB, "month_end"): (2, 14, D("14.3")),
    (LA_MAIN, "b24_inhouse_foster_pct", MAR, "month_end"): (4, 14, D("28.6")),
    (LA_MAIN, "b24b_inhouse_share_of_fostered", MAR, "month_end"): (4, 8, D("50.0")),
    (LA_MAIN, "b16_cla_stable_2y", MAR, "month_end"): (2, 3, D("66.7")),
    (LA_MAIN, "b16_cla_stable_2y", FEB, "month_end"): (1, 2, D("50.0")),
    (LA_MAIN, "b11_cla_over_20_miles", MAR, "month_end"): (3, 12, D("25.0")),
    (LA_MAIN, "t_cla_over_20_miles", MAR, "month_end"): (3, 12, D("25.0")),
    (LA_MAIN, "b11v_office_base", MAR, "month_end"): (4, 12, D("33.3")),
    (LA_MAIN, "s_out_of_borough_within_20mi", MAR, "month_end"): (2, 5, D("40.0")),
    (LA_MAIN, "s_uasc_count", MAR, "month_end"): (1, None, D("1.0")),
    (LA_MAIN, "s_cla_16plus_pct", MAR, "month_end"): (1, 14, D("7.1")),
    (LA_MAIN, "s_plc_mix", MAR, "month_end"): (14, 14, D("100.0")),
    (LA_MAIN, "s_plc_made_by_type", MAR, "ytd"): (15, 15, D("100.0")),
    (LA_MAIN, "s_plc_made_by_type", MAR, "month"): (0, 0, None),
    (LA_MAIN, "b10_cl_eet_19_21", MAR, "month_end"): (1, 3, D("33.3")),
    (LA_MAIN, "b10b_cl_eet_18_21", MAR, "month_end"): (2, 5, D("40.0")),
    (LA_MAIN, "s_staying_put_count", MAR, "month_end"): (2, None, D("2.0")),
    (LA_MAIN, "t_cl_suitable_accom_18_21", MAR, "month_end"): (4, 5, D("80.0")),
    (LA_MAIN, "t_cl_suitable_accom_19_21", MAR, "month_end"): (2, 3, D("66.7")),
    (LA_MAIN, "p_cl_suitable_accom_16plus", MAR, "month_end"): (6, 7, D("85.7")),
    (LA_MAIN, "p_missing_rhi_offered", MAR, "month"): (2, 3, D("66.7")),
    (LA_MAIN, "p_missing_rhi_uptake", MAR, "month"): (1, 2, D("50.0")),
    (LA_MAIN, "p_missing_rhi_offered", MAR, "ytd"): (3, 4, D("75.0")),
    (LA_MAIN, "p_missing_rhi_uptake", MAR, "ytd"): (2, 3, D("66.7")),
    (LA_S3, "s_cla_count", MAR, "month_end"): (88, None, D("88.0")),
    (LA_S3, "s_out_of_borough_within_20mi", MAR, "month_end"): (24, 41, D("58.5")),
    (LA_S3, "b24b_inhouse_share_of_fostered", MAR, "month_end"): (28, 83, D("33.7")),
    (LA_S3, "b24_inhouse_foster_pct", MAR, "month_end"): (28, 88, D("31.8")),
    (LA_S3, "s_cla_16plus_pct", MAR, "month_end"): (20, 88, D("22.7")),
    (LA_S3, "b11_cla_over_20_miles", MAR, "month_end"): (17, 88, D("19.3")),
    (LA_S3, "s_uasc_count", MAR, "month_end"): (0, None, D("0.0")),
}
# (kpi_id, measure_window, category): (numerator, denominator, value) for E06000039 at 2025-03-31.
EXPECTED_CATEGORIES = {
    ("s_plc_mix", "month_end", "INHOUSE_FOSTER"): (4, 14, D("28.6")),
    ("s_plc_mix", "month_end", "EXTERNAL_IFA"): (4, 14, D("28.6")),
    ("s_plc_mix", "month_end", "EXTERNAL_RESIDENTIAL"): (4, 14, D("28.6")),
    ("s_plc_mix", "month_end", "ADOPTION"): (1, 14, D("7.1")),
    ("s_plc_mix", "month_end", "SUPPORTED_SEMI_INDEPENDENT"): (1, 14, D("7.1")),
    ("s_plc_made_by_type", "ytd", "INHOUSE_FOSTER"): (3, 15, D("20.0")),
    ("s_plc_made_by_type", "ytd", "EXTERNAL_IFA"): (6, 15, D("40.0")),
    ("s_plc_made_by_type", "ytd", "EXTERNAL_RESIDENTIAL"): (4, 15, D("26.7")),
    ("s_plc_made_by_type", "ytd", "ADOPTION"): (1, 15, D("6.7")),
    ("s_plc_made_by_type", "ytd", "SUPPORTED_SEMI_INDEPENDENT"): (1, 15, D("6.7")),
}
EXPECTED_FINANCE_TYPES = {"EXT_IFA": 4, "INHOUSE_FOSTER": 4, "EXT_RES": 4, "UASC_16_18_SI": 1, "NONE": 1}
# (episode start, repair code, repaired end) of E06000039's repairs.
EXPECTED_REPAIRS = {
    ("2023-10-01", "S1_CLOSED_STALE_OPEN_EPISODE", "2024-04-01"),
    ("2024-05-01", "C1_CLOSED_OPEN_EPISODE", "2024-10-01"),
    ("2024-06-01", "O1_TRUNCATED_OVERLAP", "2024-09-01"),
    ("2024-02-01", "D1_DROPPED_DUPLICATE", None),
}

INDICATORS_QUERY = f"""
    select la_code, kpi_id, cast(period_end as varchar), measure_window, numerator, denominator, value
    from marts.fct_placement_indicators
    where grain = 'company' and period_end in (date '{MAR}', date '{FEB}')
"""
CATEGORIES_QUERY = f"""
    select kpi_id, measure_window, grain_key, numerator, denominator, value
    from marts.fct_placement_indicators
    where la_code = '{LA_MAIN}' and grain = 'placement_category' and period_end = date '{MAR}'
        and measure_window in ('month_end', 'ytd')
"""
REPAIRS_QUERY = f"""
    select cast(episode_start_date as varchar), repair_code, cast(repaired_episode_end_date as varchar)
    from marts.fct_cla_episode_repairs
    where la_code = '{LA_MAIN}'
"""
# Placements per child of E06000039 (P02: RNE L keeps the placement, 2 episodes; P03: the bridged hospital stay).
PLACEMENTS_QUERY = f"""
    select count(*), sum(episode_count), max(placement_number)
    from marts.fct_cla_placements
    where la_code = '{LA_MAIN}'
"""
FLAGS_QUERY = f"""
    select measure_window, data_quality_flag, count(*)
    from marts.fct_placement_indicators
    where la_code = '{LA_MAIN}' and kpi_id = 'p_missing_rhi_offered' and period_end = date '{MAR}'
        and measure_window in ('month', 'ytd')
    group by measure_window, data_quality_flag
"""
FINANCE_TYPES_QUERY = f"""
    select finance_placement_type, cla_count
    from marts.fct_cla_finance_placement_types
    where la_code = '{LA_MAIN}' and period_end = date '{MAR}'
"""
WORKERS_QUERY = f"""
    select count(*), sum(numerator), sum(denominator), max(case when grain_key = 'UNALLOCATED' then value end),
           min(value), max(value)
    from marts.fct_placement_indicators
    where la_code = '{LA_MAIN}' and kpi_id = 'b10b_cl_eet_18_21' and grain = 'worker' and period_end = date '{MAR}'
"""
RAW_ID_QUERY = """
    select count(*) from marts.fct_placement_kpi_members where length(child_key) <> 32
    union all
    select count(*) from marts.fct_cla_placements where placement_postcode_district like '% %'
"""


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
    # The hand-worked unit tests of the rules ran inside this build and passed.
    assert {name: unit_tests.get(name) for name in UNIT_TESTS} == dict.fromkeys(UNIT_TESTS, "pass")


def _number(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _check(fetch: Callable[[str], list[tuple]]) -> None:
    indicators = {tuple(row[:4]): (row[4], row[5], _number(row[6])) for row in fetch(INDICATORS_QUERY)}
    assert {key: indicators.get(key) for key in EXPECTED} == EXPECTED
    categories = {tuple(row[:3]): (row[3], row[4], _number(row[5])) for row in fetch(CATEGORIES_QUERY)}
    assert categories == EXPECTED_CATEGORIES
    assert set(fetch(REPAIRS_QUERY)) == EXPECTED_REPAIRS
    flags = {tuple(row[:2]): int(row[2]) for row in fetch(FLAGS_QUERY)}
    assert flags == {("month", None): 1, ("ytd", "timing_unverified"): 1}
    assert {row[0]: row[1] for row in fetch(FINANCE_TYPES_QUERY)} == EXPECTED_FINANCE_TYPES
    # b10b by personal adviser: PA1 1/3, PA2 1/1, UNALLOCATED 0/1 (worker keys are pseudonyms, so only the set).
    rows, numerator, denominator, unallocated, lowest, highest = fetch(WORKERS_QUERY)[0]
    assert (rows, numerator, denominator) == (3, 2, 5)
    assert (_number(unallocated), _number(lowest), _number(highest)) == (D("0.0"), D("0.0"), D("100.0"))
    # Placements (non-temporary episodes): P01 3 (3), P02 2 (3: RNE L), P03 2 (3: the U4 bridged over hospital),
    # P04 2 (2), P05 1 (1), P06 2 (2), P07 2 (2), P08 1 (1), P09 1 (1), P10 1 (1), P11 2 (2), P12 2 (2), P13 1 (1: the
    # duplicate dropped), P14 1 (1), P15 3 (3) -> 26 placements of 28 episodes; at most 3 for a child.
    count, episodes, highest = fetch(PLACEMENTS_QUERY)[0]
    assert (int(count), int(episodes), int(highest)) == (26, 28, 3)
    # Pseudonymous keys only; postcode districts only.
    assert [row[0] for row in fetch(RAW_ID_QUERY)] == [0, 0]


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_placements")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_placements_on_duckdb(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        _check(lambda query: connection.execute(query).fetchall())


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_test") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_placements_on_postgres(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    load_landing_to_postgres(landing / "landing", dsn)
    _build(landing, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def fetch(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        _check(fetch)
