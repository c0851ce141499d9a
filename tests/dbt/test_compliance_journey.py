"""The compliance marts on the statutory child's journey (fct_rereferrals, fct_assessment_timeliness,
fct_icpc_timeliness, fct_repeat_cp_plans, fct_plans_open_duration), built over `landing_compliance_journey.py` on
DuckDB and on PostgreSQL: the same hand-worked figures on both, and the catalogue §5.2 Compliance Report of
29-Nov-21 reproduced from a constructed dataset.

Period end 2021-11-30: month 2021-11-01..30, YTD from 2021-04-01, rolling (2020-11-30, 2021-11-30] =
2020-12-01..2021-11-30; snapshots on Mon 29 Nov (weekly CR date) and Tue 30 Nov (month end). 45 working days are 9
weeks of weekdays plus one per bank holiday inside (2021: 31 May, 30 Aug; 27-28 Dec, 3 Jan 2022); 15 are 3 weeks.

E06000039, by hand from the fixture's rows:
b02 re-referrals, look-back [d - 12 months, d): M01 2021-11-15 after 2020-11-15 (exactly 12 months: in) -> re;
    M02 2021-11-15 after 2020-11-14 -> not; M03 2021-11-22 after its NFA referral of 2021-06-01 -> re.
    Nov 2/3. YTD adds M03's first, M04, M05 (earlier referrals 2017, 2019), M07, M08, M09, M10: 2/10.
    Rolling adds M06 (2021-01-11): 2/11. Every other referral is before 2020-12-01.
b03 (start -> authorisation <= start + 45 WD): A05 Mon 6 Sep -> due Mon 8 Nov, authorised 9 Nov: late; A08 Mon
    4 Oct -> due 6 Dec, authorised 26 Nov: in; A09 typed OTHER (SSD): excluded -> Nov 1/2. A04 Tue 11 May -> Tue
    13 Jul + 31 May = Wed 14 Jul, authorised 14 Jul: in; A07 (pre-birth, M07 unborn) Mon 23 Aug -> Mon 25 Oct + 30
    Aug = Tue 26 Oct, authorised 26 Oct: in -> YTD 3/4. A06 Tue 12 Jan -> Tue 16 Mar, authorised 16 Mar: in ->
    rolling 4/5.
b03v (referral -> authorisation): A04 from Mon 10 May -> Tue 13 Jul: late; A06 from Mon 11 Jan -> Mon 15 Mar: late;
    the others were referred the day they started -> Nov 1/2, YTD 2/4, rolling 2/5.
t_assess_open_in_time: open A01 (from 16 Nov), A03 (22 Nov), A10 (Mon 27 Sep -> due Mon 29 Nov). 29 Nov: 3/3 (A10
    on its due date is in time), all R&A (A10 allocated to TRA/W1, the others fall back to R&A). 30 Nov: A10 overdue
    and allocated to TSFS since 30 Nov -> 2/3; RA 2/2, SFS 0/1.
b05 (ICPC <= S47 start + 15 WD): S05 Mon 18 Oct -> due Mon 8 Nov, ICPC 8 Nov: in; S08 Mon 11 Oct -> due Mon 1 Nov,
    ICPC 2 Nov: late; S09 transfer-in (SSD conference on the census ICPC date): excluded -> Nov 1/2. S04 Mon 23 Aug
    -> Mon 13 Sep + 30 Aug = Tue 14 Sep, ICPC 14 Sep: in -> YTD and rolling 2/3.
b05v (from the last strategy discussion): S05 Wed 20 Oct -> Wed 10 Nov: in; S08 Thu 14 Oct -> Thu 4 Nov: in; S04
    has none: excluded -> 2/2 in every window.
b06 (an earlier plan ended in [start - 24 months, start)): P05 2021-11-08 after M05's plan ended 2019-11-08 (exactly
    24 months): repeat; P08 first; P11 other-LA (SSD): excluded -> Nov 1/2. P04 2021-09-14 after a plan ended
    2019-09-13 (a day too early): not -> YTD 1/3. b06b: P05 second, P08 first -> Nov 1/2; P04 second -> YTD 2/3.
Open CP plans (own): P04, P05, P08 (2021), P12 (2019-11-30), P13 (2020-06-01); P11 other-LA. 30 Nov: P12 reaches
    24 months -> 1-2y P13 only 1/5; 2y+ children M12 -> 1 (of 5), under S&FS (allocation I3); 12m+ P12, P13 -> 2.
    29 Nov: 1-2y P12, P13 2/5; 2y+ 0; 12m+ 2.
Open CIN plans: N14 (2020-11-30), N15 (2019-06-01), N16 (2021-07-01); N17 ended 29 Nov (closed on 29 Nov). 30 Nov:
    N14 reaches 12 months -> 2/3; 29 Nov: N15 only -> 1/3.

E09000001: the §5.2 counts of 29-Nov-21 (R&A 295/299, S&FS 16/25, CLA&SS 12/24 = CLA 7/14 + CWD 5/10 rolled up,
    company 323/348 = 92.816 -> 92.8%), from assessments attributed through their own team (no allocations).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from pipeline.settings import DBT_PROJECT_DIR
from tests.dbt.landing_compliance_journey import CR_DATE, LA_CR, LA_MAIN, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

AS_OF = date(2021, 11, 30)
MEMBERS_MODELS = [
    "fct_rereferrals",
    "fct_assessment_timeliness",
    "fct_icpc_timeliness",
    "fct_repeat_cp_plans",
    "fct_plans_open_duration",
    "fct_strategy_discussions",
]
SELECTION = ["--select", *(f"+{model}" for model in MEMBERS_MODELS), "--indirect-selection", "cautious"]
UNIT_TESTS = {
    "rereferrals_look_back_12_calendar_months_inclusive",
    "rereferrals_clamp_the_look_back_at_a_leap_day",
    "assessment_flows_count_45_working_days_from_day_0",
    "open_assessments_are_in_time_until_their_45th_working_day",
    "assessments_on_the_rolling_window_edge_counted_from_day_1",
    "icpcs_count_15_working_days_from_day_0",
    "icpcs_on_the_rolling_window_edge_and_counted_from_day_1",
    "repeat_plans_look_back_24_calendar_months_to_an_ended_plan",
    "repeat_plans_clamp_the_look_back_at_a_leap_day",
    "plans_open_12_and_24_calendar_months",
    "plans_open_durations_clamp_at_month_ends",
    "cp_plan_durations_follow_a_child_moving_team",
    "strategy_discussions_need_police_health_and_social_care",
}
NOV_29, NOV_30 = "2021-11-29", "2021-11-30"

# (kpi_id, measure_window, snapshot_date): (numerator, denominator) for E06000039 at period end 2021-11-30.
EXPECTED = {
    ("b02_rereferral_12m", "month", NOV_30): (2, 3),
    ("b02_rereferral_12m", "ytd", NOV_30): (2, 10),
    ("b02_rereferral_12m", "rolling_12m", NOV_30): (2, 11),
    ("b03_assess_45wd", "month", NOV_30): (1, 2),
    ("b03_assess_45wd", "ytd", NOV_30): (3, 4),
    ("b03_assess_45wd", "rolling_12m", NOV_30): (4, 5),
    ("b03v_assess_45wd_from_referral", "month", NOV_30): (1, 2),
    ("b03v_assess_45wd_from_referral", "ytd", NOV_30): (2, 4),
    ("b03v_assess_45wd_from_referral", "rolling_12m", NOV_30): (2, 5),
    ("t_assess_open_in_time", "weekly", NOV_29): (3, 3),
    ("t_assess_open_in_time", "month_end", NOV_30): (2, 3),
    ("b05_icpc_15wd", "month", NOV_30): (1, 2),
    ("b05_icpc_15wd", "ytd", NOV_30): (2, 3),
    ("b05_icpc_15wd", "rolling_12m", NOV_30): (2, 3),
    ("b05v_icpc_15wd_strategy", "month", NOV_30): (2, 2),
    ("b05v_icpc_15wd_strategy", "ytd", NOV_30): (2, 2),
    ("b05v_icpc_15wd_strategy", "rolling_12m", NOV_30): (2, 2),
    ("b06_cpp_repeat_2y", "month", NOV_30): (1, 2),
    ("b06_cpp_repeat_2y", "ytd", NOV_30): (1, 3),
    ("b06_cpp_repeat_2y", "rolling_12m", NOV_30): (1, 3),
    ("b06b_cpp_second_or_subsequent", "month", NOV_30): (1, 2),
    ("b06b_cpp_second_or_subsequent", "ytd", NOV_30): (2, 3),
    ("b06b_cpp_second_or_subsequent", "rolling_12m", NOV_30): (2, 3),
    ("t_cin_plans_open_1y_plus", "weekly", NOV_29): (1, 3),
    ("t_cin_plans_open_1y_plus", "month_end", NOV_30): (2, 3),
    ("t_cp_plans_open_1_2y", "weekly", NOV_29): (2, 5),
    ("t_cp_plans_open_1_2y", "month_end", NOV_30): (1, 5),
    ("t_cp_plans_open_2y_plus", "weekly", NOV_29): (0, 5),
    ("t_cp_plans_open_2y_plus", "month_end", NOV_30): (1, 5),
    ("t_cp_plans_open_12m_plus", "weekly", NOV_29): (2, 5),
    ("t_cp_plans_open_12m_plus", "month_end", NOV_30): (2, 5),
    # p_strategy_wt_compliant: ST5 (20 Oct; police, health, social care) compliant, ST8 (14 Oct; no health) not;
    # both in October -> no November member, YTD and rolling 1 / 2.
    ("p_strategy_wt_compliant", "ytd", NOV_30): (1, 2),
    ("p_strategy_wt_compliant", "rolling_12m", NOV_30): (1, 2),
}
# (kpi_id, snapshot_date, service_code): (numerator, denominator) - attribution on the snapshot date.
EXPECTED_BY_SERVICE = {
    ("t_assess_open_in_time", NOV_29, "RA"): (3, 3),
    ("t_assess_open_in_time", NOV_30, "RA"): (2, 2),
    ("t_assess_open_in_time", NOV_30, "SFS"): (0, 1),
    ("t_cp_plans_open_2y_plus", NOV_30, "SFS"): (1, 1),
}
# Catalogue §5.2, 29-Nov-21: service -> (in time, open, percent as published).
EXPECTED_CR = {
    "RA": (295, 299, Decimal("98.7")),
    "SFS": (16, 25, Decimal("64.0")),
    "CLASS": (12, 24, Decimal("50.0")),
}
EXPECTED_CR_COMPANY = (323, 348, Decimal("92.8"))

UNION = " union all ".join(f"select * from marts.{model}" for model in MEMBERS_MODELS)
COUNTS_QUERY = f"""
    select kpi_id, measure_window, cast(snapshot_date as varchar),
           sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from ({UNION}) as members
    where la_code = '{LA_MAIN}' and period_end = date '2021-11-30' and snapshot_date >= date '2021-11-29'
    group by kpi_id, measure_window, snapshot_date
"""
SERVICE_QUERY = f"""
    select kpi_id, cast(snapshot_date as varchar), service_code,
           sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from ({UNION}) as members
    where la_code = '{LA_MAIN}' and kpi_id in ('t_assess_open_in_time', 't_cp_plans_open_2y_plus')
        and period_end = date '2021-11-30' and snapshot_date >= date '2021-11-29' and in_denominator
    group by kpi_id, snapshot_date, service_code
"""
CR_QUERY = f"""
    select service_code, sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from marts.fct_assessment_timeliness
    where la_code = '{LA_CR}' and kpi_id = 't_assess_open_in_time' and measure_window = 'weekly'
        and snapshot_date = date '{CR_DATE.isoformat()}'
    group by service_code
"""
# Every analyst-facing key is a pseudonym (32 hex digits), never a case-system id.
RAW_ID_QUERY = f"select count(*) from ({UNION}) as members where length(child_key) <> 32 or child_key like 'M%'"


def _percent(numerator: int, denominator: int) -> Decimal:
    """100 x n / d rounded half-up to 1 decimal (macro percent_half_up)."""
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
    # The hand-worked unit tests of every KPI ran inside this build and passed.
    assert {name: unit_tests.get(name) for name in UNIT_TESTS} == dict.fromkeys(UNIT_TESTS, "pass")


def _check(fetch: Callable[[str], list[tuple]]) -> None:
    counts = {tuple(row[:3]): (int(row[3]), int(row[4])) for row in fetch(COUNTS_QUERY)}
    assert counts == EXPECTED
    by_service = {tuple(row[:3]): (int(row[3]), int(row[4])) for row in fetch(SERVICE_QUERY)}
    assert {key: by_service.get(key) for key in EXPECTED_BY_SERVICE} == EXPECTED_BY_SERVICE
    # On 29 Nov every open assessment is R&A's (A10 still with TRA): no other service.
    assert sorted(key for key in by_service if key[:2] == ("t_assess_open_in_time", NOV_29)) == [
        ("t_assess_open_in_time", NOV_29, "RA")
    ]
    cr = {row[0]: (int(row[1]), int(row[2])) for row in fetch(CR_QUERY)}
    assert {service: (*cr[service], _percent(*cr[service])) for service in cr} == EXPECTED_CR
    in_time, total = sum(n for n, _ in cr.values()), sum(d for _, d in cr.values())
    assert (in_time, total, _percent(in_time, total)) == EXPECTED_CR_COMPANY
    assert fetch(RAW_ID_QUERY)[0][0] == 0


def test_unit_test_calendar_matches_the_seed() -> None:
    """The calendar slice the unit tests use lists exactly the seed's bank holidays of 2024 and 2025."""
    fixture = (DBT_PROJECT_DIR / "tests" / "fixtures" / "compliance_journey_calendar.sql").read_text()
    listed = set(re.findall(r"cast\('(\d{4}-\d{2}-\d{2})' as date\)", fixture))
    with (DBT_PROJECT_DIR / "seeds" / "ref_bank_holidays.csv").open(encoding="utf-8") as seed:
        holidays = {row["date"] for row in csv.DictReader(seed) if row["date"][:4] in ("2024", "2025")}
    # The first cast is the series start, 2024-01-01, itself New Year's Day; the others are the holiday list.
    assert listed == holidays


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_compliance_journey")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_compliance_journey_on_duckdb(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        _check(lambda query: connection.execute(query).fetchall())


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_compliance_journey") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_compliance_journey_on_postgres_gives_the_same_figures(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["cin_episode"] == 22 and loaded["ssd_cin_assessments"] == 1 + 348 + 4 * 3
    _build(landing, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def fetch(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        _check(fetch)
