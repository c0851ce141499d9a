"""The finance marts (fct_fin_pnl_lines, fct_placement_demand, fct_finance_indicators, fct_finance_kpi_members) and
the finance reconciliations, built over `landing_finance.py` on DuckDB and on PostgreSQL: the same hand-worked
figures on both. Period end 2025-05-31, financial year 2025-26 (365 days); previous month 2025-04-30.

E06000039 P&L, year to date at 31 May (ledger lines of April and May 2025; COMMITMENT L12 and balance-sheet L11 left
    out; L24 is 2024-25's):
    SBC income -100,000 x 2 = -200,000; grant -5,000 x 2 = -10,000 -> total income -210,000.
    Pay 40,000 + 6,000 agency + 41,000 = 87,000; placements 3,300 + 15,000 + 1,800 + 900 + 3,410 + 17,100 + 600 + 930
    = 43,040; support (care leaver) 2,657.14; legal 2,500 + 3,200 - 200 (reversal) = 5,500; overheads 4,000 + 4,100
    = 8,100 -> total expenditure 146,297.14; (surplus)/deficit -63,702.86 (-63.7 in £000). April: -105,000 + 73,500
    = -31,500.
    Budget 2025-26 (annual lines phased 1/12 a month; legal 2,000 in April + 4,000 in May + 30,000 annual): full year
    income -1,260,000, expenditure 480,000 + 60,000 + 267,900 + 31,200 + 36,000 + 48,000 + 336,900 = 1,260,000, net 0
    (the budget balances). Legal year to date 2,000 + 4,000 + 30,000 x 2/12 = 11,000; placements 267,900 / 6 = 44,650.
    Forecast made in May (the latest by 31 May): expenditure 1,128,800, net -131,200 -> b25 Yes (1); made in April
    (in force on 30 April): transformation 500,000, net +68,800 -> b25 No (0). Legal forecast 40,000 (40.0).
Demand-led table (commitments known at 31 May; FTE = days / 364, cost = rate x days / 7):
    EXT_IFA C1 (rate 700 -> 770 on 1 April, open, no expected end): 365 days x 770 = 281,050 -> 40,150.00, FTE
        1.0027, rate 770; budget 1 FTE at 750 = 39,000: variance 1,150 = volume (365/364 - 1) x 750 x 52 = 107.14 +
        rate 20 x 365/364 x 52 = 1,042.86.
    EXT_RES C2 (3,500 to 15 May: 45 days; 4,200 from 16 May to the expected end 1 October: 138 days): 183 days,
        157,500 + 579,600 = 737,100 -> 105,300.00, FTE 0.5027, rate 737,100 / 183 = 4,027.87; budget 1 FTE at 4,000 =
        208,000: variance -102,700 = volume (183/364 - 1) x 208,000 = -103,428.57 + rate 5,100 x 52 / 364 = 728.57.
    INHOUSE_FOSTER C3 (ended 11 May): 40 days x 420 -> 2,400.00. SGO C4 (open): 365 x 210 -> 10,950.00; budget
        1 x 200 x 52 = 10,400 against a delivered 10,500: identity gap -100; variance 450 = 28.57 + 521.43 - 100.
    Placements total: 953 days -> FTE 2.6181 (2.6), 1,111,600 / 7 = 158,800.00 (158.8), rate 1,166.42 (1,166); budget
        267,900; variance -109,100 = -40.72 % (-40.7, L target 0 -> ON_TARGET). Cost per child year to date:
        43,040 / 4 children = 10,760 (April: 21,000 / 4 = 5,250).
    Care leavers C5 (from 1 May, expected end 1 January 2026): 245 days x 600 -> 21,000.00 (21.0).
Reconciliations at 31 May: the May ledger of each placement cost centre equals the commitments (M33B 3,410, M28B
    17,100, M32B 600, M63B 930, M40B 2,657.14); looked-after children from the episodes in paid placements A1 (U4
    PR4), A2 (K2 PR4) = 2 (A3 placed with parents, A4 placed for adoption: no cost) against C1, C2 funded on 31 May
    = 2. The broken landing (M28B ledger 15,000; X1-X3 fostered externally without commitments) fails both.
E09000001 delivered a ledger, a budget and its map only: b25, the forecasts and the placement figures are NO_DATA
    (source_absent), legal fees year to date 1,234.56 -> 1.2.
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
from tests.dbt.landing_finance import AS_OF, LA_MAIN, LA_SMALL, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

D = Decimal
MODELS = [
    "fct_finance_indicators",
    "fct_finance_kpi_members",
    "int_fin_placement_costs_reconciled",
    "int_fin_cla_counts_reconciled",
    "stg_fin__trial_balance_lines",  # so the trial-balance gate (a singular test) is selected too
    "fct_fin_pnl_cost_centres",
]
SELECTION = ["--select", *(f"+{model}" for model in MODELS), "--indirect-selection", "cautious"]
UNIT_TESTS = {
    "commitment_days_across_rate_changes_and_the_year_boundary",
    "demand_variance_split_into_volume_and_rate",
    "pnl_reproduces_the_s0_budget_identities",
    "budget_lines_follow_the_finance_window_and_the_revised_version",
    "demand_led_table_reproduces_the_s0_sections_and_total",
}
RECONCILIATION_TESTS = {
    "expression_is_true_int_fin_placement_costs_reconciled_not_is_as_of_period_or_abs_difference_gbp_tolerance_gbp",
    "expression_is_true_int_fin_cla_counts_reconciled_not_is_as_of_period_or_abs_difference_tolerance",
}
IDENTITY_TESTS = (
    "assert_pnl_totals_equal_their_lines",
    "assert_budget_balances",
    "assert_ledger_agrees_with_trial_balance",
    "assert_pnl_cost_centres_add_up_to_the_lines",
)
MAY, APR = "2025-05-31", "2025-04-30"

# pnl_line: (actual month, actual YTD, budget YTD, budget full year, forecast full year) for E06000039 on 31 May.
EXPECTED_PNL = {
    "TOTAL_INCOME": (D("-105000.00"), D("-210000.00"), D("-210000.00"), D("-1260000.00"), D("-1260000.00")),
    "PAY": (D("41000.00"), D("87000.00"), D("90000.00"), D("540000.00"), D("560000.00")),
    "PLACEMENTS": (D("22040.00"), D("43040.00"), D("44650.00"), D("267900.00"), D("158800.00")),
    "SUPPORT_CYP": (D("2657.14"), D("2657.14"), D("5200.00"), D("31200.00"), D("21000.00")),
    "LEGAL": (D("3000.00"), D("5500.00"), D("11000.00"), D("36000.00"), D("40000.00")),
    "TOTAL_EXPENDITURE": (D("72797.14"), D("146297.14"), D("215000.00"), D("1260000.00"), D("1128800.00")),
    "NET_POSITION": (D("-32202.86"), D("-63702.86"), D("5000.00"), D("0.00"), D("-131200.00")),
}
# The P&L by cost centre for E06000039 on 31 May, (cost centre, line): (actual month, actual YTD, budget YTD, budget
# full year, forecast). Budget YTD = the annual line x 2/12 (CLEG01 also its monthly lines 2,000 + 4,000): M28B
# 208,000 / 6 = 34,666.67, M32B 10,400 / 6 = 1,733.33, M33B 6,500, M63B 1,750 (the four add up to the Placements
# line's 44,650), CTRN01 336,900 / 6 = 56,150 with no actual; CPAY01 = salaries + agency (40,000 + 6,000 +
# 41,000; budget 540,000 / 6); CLEG01 3,200 - 200 in May, the COMMITMENT L12 and 2024-25's L24 left out; CCOR01's
# balance-sheet line L11 is not a P&L line.
EXPECTED_PNL_COST_CENTRES = {
    ("CINC01", "SBC_INCOME"): (D("-100000.00"), D("-200000.00"), D("-200000.00"), D("-1200000.00"), D("-1200000.00")),
    ("CINC01", "GRANT_INCOME"): (D("-5000.00"), D("-10000.00"), D("-10000.00"), D("-60000.00"), D("-60000.00")),
    ("CPAY01", "PAY"): (D("41000.00"), D("87000.00"), D("90000.00"), D("540000.00"), D("560000.00")),
    ("M28B", "PLACEMENTS"): (D("17100.00"), D("32100.00"), D("34666.67"), D("208000.00"), D("105300.00")),
    ("M32B", "PLACEMENTS"): (D("600.00"), D("2400.00"), D("1733.33"), D("10400.00"), D("2400.00")),
    ("M33B", "PLACEMENTS"): (D("3410.00"), D("6710.00"), D("6500.00"), D("39000.00"), D("40150.00")),
    ("M63B", "PLACEMENTS"): (D("930.00"), D("1830.00"), D("1750.00"), D("10500.00"), D("10950.00")),
    ("M40B", "SUPPORT_CYP"): (D("2657.14"), D("2657.14"), D("5200.00"), D("31200.00"), D("21000.00")),
    ("CLEG01", "LEGAL"): (D("3000.00"), D("5500.00"), D("11000.00"), D("36000.00"), D("40000.00")),
    ("CCOR01", "OVERHEADS"): (D("4100.00"), D("8100.00"), D("8000.00"), D("48000.00"), D("49000.00")),
    ("CTRN01", "TRANSFORMATION"): (D("0.00"), D("0.00"), D("56150.00"), D("336900.00"), D("300000.00")),
}
# row_key: (forecast FTE, rate, total, budget total, variance total, volume, rate variance, identity gap).
EXPECTED_DEMAND = {
    "EXT_IFA": (D("1.0027"), D("770.00"), D("40150.00"), D("39000.00"), D("1150.00"), D("107.14"), D("1042.86"),
                D("0.00")),
    "EXT_RES": (D("0.5027"), D("4027.87"), D("105300.00"), D("208000.00"), D("-102700.00"), D("-103428.57"),
                D("728.57"), D("0.00")),
    "INHOUSE_FOSTER": (D("0.1099"), D("420.00"), D("2400.00"), D("10400.00"), D("-8000.00"), D("-8114.29"),
                       D("114.29"), D("0.00")),
    "SGO": (D("1.0027"), D("210.00"), D("10950.00"), D("10500.00"), D("450.00"), D("28.57"), D("521.43"),
            D("-100.00")),
    "CARE_LEAVER": (D("0.6731"), D("600.00"), D("21000.00"), D("31200.00"), D("-10200.00"), D("-10200.00"),
                    D("0.00"), D("0.00")),
    "PLACEMENTS_TOTAL": (D("2.6181"), D("1166.42"), D("158800.00"), D("267900.00"), D("-109100.00"),
                         D("-111407.14"), D("2407.14"), D("-100.00")),
}  # fmt: skip
# (la_code, kpi_id, period_end): company value (None = NO_DATA) and data_quality_flag.
EXPECTED_INDICATORS = {
    (LA_MAIN, "b25_forecast_within_budget", MAY): (D("1.00"), None),
    (LA_MAIN, "b25_forecast_within_budget", APR): (D("0.00"), None),
    (LA_MAIN, "f_net_position_forecast", MAY): (D("-131.20"), None),
    (LA_MAIN, "f_net_position_forecast", APR): (D("68.80"), None),
    (LA_MAIN, "f_net_position_variance", MAY): (D("-131.20"), None),
    (LA_MAIN, "f_net_position_ytd", MAY): (D("-63.70"), None),
    (LA_MAIN, "f_net_position_ytd", APR): (D("-31.50"), None),
    (LA_MAIN, "f_legal_fees_ytd", MAY): (D("5.50"), None),
    (LA_MAIN, "f_legal_fees_forecast", MAY): (D("40.00"), None),
    (LA_MAIN, "f_plc_fte_forecast", MAY): (D("2.60"), None),
    (LA_MAIN, "f_plc_avg_weekly_rate", MAY): (D("1166.00"), None),
    (LA_MAIN, "f_plc_cost_forecast", MAY): (D("158.80"), None),
    (LA_MAIN, "f_plc_variance_pct", MAY): (D("-40.70"), None),
    (LA_MAIN, "f_care_leaver_cost_forecast", MAY): (D("21.00"), None),
    (LA_MAIN, "s_unit_cost_per_child_ytd", MAY): (D("10760.00"), None),
    (LA_MAIN, "s_unit_cost_per_child_ytd", APR): (D("5250.00"), None),
    (LA_SMALL, "f_legal_fees_ytd", MAY): (D("1.20"), None),
    (LA_SMALL, "b25_forecast_within_budget", MAY): (None, "source_absent:fin_forecast"),
    (LA_SMALL, "f_plc_variance_pct", MAY): (
        None,
        "source_absent:fin_placement_budget,source_absent:fin_placement_commitment",
    ),
}
# Cost per child funded by placement type, year to date at 31 May (cost = rate x days / 7, one child each): EXT_IFA
# C1 61 days x 770 = 6,710; EXT_RES C2 45 x 3,500 + 16 x 4,200 = 32,100; INHOUSE_FOSTER C3 40 x 420 = 2,400; SGO C4
# 61 x 210 = 1,830; CARE_LEAVER C5 31 x 600 = 2,657.142.. -> 2,657 (precision 0). grain_key: (numerator, denominator,
# value).
EXPECTED_COST_PER_CHILD = {
    "EXT_IFA": (D("6710.00"), D("1.00"), D("6710.00")),
    "EXT_RES": (D("32100.00"), D("1.00"), D("32100.00")),
    "INHOUSE_FOSTER": (D("2400.00"), D("1.00"), D("2400.00")),
    "SGO": (D("1830.00"), D("1.00"), D("1830.00")),
    "CARE_LEAVER": (D("2657.14"), D("1.00"), D("2657.00")),
}
# cost centre: (commitments, ledger) in May.
EXPECTED_COSTS = {
    "M33B": (D("3410.00"), D("3410.00")),
    "M28B": (D("17100.00"), D("17100.00")),
    "M32B": (D("600.00"), D("600.00")),
    "M63B": (D("930.00"), D("930.00")),
    "M40B": (D("2657.14"), D("2657.14")),
}

PNL_QUERY = f"""
    select pnl_line, actual_month_gbp, actual_ytd_gbp, budget_ytd_gbp, budget_full_year_gbp, forecast_full_year_gbp
    from marts.fct_fin_pnl_lines where la_code = '{LA_MAIN}' and period_end = date '{MAY}'
"""
PNL_COST_CENTRES_QUERY = f"""
    select cost_centre, pnl_line, actual_month_gbp, actual_ytd_gbp, budget_ytd_gbp, budget_full_year_gbp,
           forecast_full_year_gbp
    from marts.fct_fin_pnl_cost_centres where la_code = '{LA_MAIN}' and period_end = date '{MAY}'
"""
DEMAND_QUERY = f"""
    select row_key, forecast_fte, forecast_weekly_rate_gbp, forecast_total_gbp, budget_total_gbp, variance_total_gbp,
           volume_variance_gbp, rate_variance_gbp, budget_identity_gap_gbp
    from marts.fct_placement_demand where la_code = '{LA_MAIN}' and period_end = date '{MAY}'
"""
INDICATORS_QUERY = """
    select la_code, kpi_id, cast(period_end as varchar), value, data_quality_flag
    from marts.fct_finance_indicators where grain = 'company'
"""
COSTS_QUERY = f"""
    select cost_centre, commitment_cost_gbp, ledger_actual_gbp
    from intermediate.int_fin_placement_costs_reconciled where period_end = date '{MAY}'
"""
COUNTS_QUERY = f"""
    select cast(period_end as varchar), episode_children, commitment_children
    from intermediate.int_fin_cla_counts_reconciled where la_code = '{LA_MAIN}' and period_end >= date '{APR}'
"""
COST_PER_CHILD_QUERY = f"""
    select grain_key, numerator, denominator, value
    from marts.fct_finance_indicators
    where la_code = '{LA_MAIN}' and kpi_id = 's_unit_cost_per_child_ytd' and grain = 'placement_type'
        and period_end = date '{MAY}'
"""
MEMBERS_QUERY = f"""
    select kpi_id, count(*), sum(placement_days), sum(cost_gbp)
    from marts.fct_finance_kpi_members where period_end = date '{MAY}'
    group by kpi_id
"""


def _build(root: Path, target: str, extra_env: dict[str, str], succeeds: bool = True) -> dict[str, tuple[str, int]]:
    """Build the finance models; returns {node name: (status, failures)} of the run."""
    result = run_dbt(
        ["build", *SELECTION],
        as_of=AS_OF,
        target=target,
        target_path=root / f"dbt_target_{target}",
        env_overrides={"CSC_LANDING_DIR": str(root / "landing"), **extra_env},
    )
    assert result.success is succeeds, "\n".join(result.failures) or result.log_tail
    results = json.loads((root / f"dbt_target_{target}" / "run_results.json").read_text())["results"]
    # Data tests are test.<project>.<name>.<hash>; models, seeds and unit tests end with their name.
    return {
        r["unique_id"].split(".")[2 if r["unique_id"].startswith("test.") else -1]: (
            r["status"],
            r.get("failures") or 0,
        )
        for r in results
    }


def _check(fetch: Callable[[str], list[tuple]], statuses: dict[str, tuple[str, int]]) -> None:
    # The hand-worked unit tests ran inside this build and passed; the reconciliations and identities hold.
    assert {name: statuses.get(name, ("missing", 0))[0] for name in UNIT_TESTS} == dict.fromkeys(UNIT_TESTS, "pass")
    for name in (*RECONCILIATION_TESTS, *IDENTITY_TESTS):
        assert statuses.get(name) == ("pass", 0), (name, statuses.get(name))
    pnl = {row[0]: tuple(row[1:]) for row in fetch(PNL_QUERY)}
    assert {key: pnl.get(key) for key in EXPECTED_PNL} == EXPECTED_PNL
    by_cost_centre = {tuple(row[:2]): tuple(row[2:]) for row in fetch(PNL_COST_CENTRES_QUERY)}
    assert by_cost_centre == EXPECTED_PNL_COST_CENTRES
    demand = {row[0]: tuple(row[1:]) for row in fetch(DEMAND_QUERY)}
    assert {key: demand.get(key) for key in EXPECTED_DEMAND} == EXPECTED_DEMAND
    indicators = {tuple(row[:3]): tuple(row[3:]) for row in fetch(INDICATORS_QUERY)}
    assert {key: indicators.get(key) for key in EXPECTED_INDICATORS} == EXPECTED_INDICATORS
    per_child = {row[0]: tuple(D(str(value)) for value in row[1:]) for row in fetch(COST_PER_CHILD_QUERY)}
    assert per_child == EXPECTED_COST_PER_CHILD
    costs = {row[0]: tuple(row[1:]) for row in fetch(COSTS_QUERY)}
    assert costs == EXPECTED_COSTS
    assert sorted(fetch(COUNTS_QUERY)) == [(APR, 3, 3), (MAY, 2, 2)]
    # The commitments behind the company figures: 4 on the Placements line (953 days, £158,800), 1 care leaver.
    members = {row[0]: (int(row[1]), int(row[2]), D(row[3])) for row in fetch(MEMBERS_QUERY)}
    assert members["f_plc_fte_forecast"] == (4, 953, D("158800.00"))
    assert members["f_care_leaver_cost_forecast"] == (1, 245, D("21000.00"))
    assert members["s_unit_cost_per_child_ytd"] == (4, 61 + 61 + 40 + 61, D("43040.00"))


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_finance")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_finance_on_duckdb(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    statuses = _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        _check(lambda query: connection.execute(query).fetchall(), statuses)


@pytest.mark.xdist_group("dbt_duckdb")
def test_reconciliations_fail_on_a_broken_landing(tmp_path: Path) -> None:
    """The ledger of M28B £2,100 short of the commitments (tolerance 5 % of £15,000 = £750), three looked-after
    children without a commitment (5 against 2, tolerance 2) and an April trial balance £1,000.01 off the ledger:
    the two reconciliations warn (the default severity of X8 and gate 2), the trial-balance gate (X7, blocking)
    fails the build, every other test passes."""
    write_landing(tmp_path / "landing", broken=True)
    statuses = _build(tmp_path, "duckdb", {"CSC_WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb")}, succeeds=False)
    assert {name: statuses.get(name) for name in RECONCILIATION_TESTS} == dict.fromkeys(
        RECONCILIATION_TESTS, ("warn", 1)
    )
    assert statuses["assert_ledger_agrees_with_trial_balance"] == ("fail", 1)
    failing = {name for name, (status, _) in statuses.items() if status not in ("pass", "success")}
    assert failing == RECONCILIATION_TESTS | {"assert_ledger_agrees_with_trial_balance"}


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_finance") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_finance_on_postgres_gives_the_same_figures(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["fin_ledger"] == 12 + 24 + 1 and loaded["fin_placement_commitment"] == 5 + 8
    assert loaded["fin_trial_balance"] == 11
    statuses = _build(landing, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def fetch(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        _check(fetch, statuses)
