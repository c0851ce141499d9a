"""The casework compliance marts (fct_contact_decisions b01, fct_cla_review_timeliness b17/b17v,
fct_cla_review_participation b18, fct_case_supervision b19) and fct_compliance_source_columns_delivered, built over
`landing_compliance_casework.py` on DuckDB and on PostgreSQL: the same hand-worked figures on both.

Period end 2025-04-30 (as_of); bank holidays Good Friday 18 and Easter Monday 21 April 2025; BST (UTC+1) from 30 March.

E06000039, by hand from the fixture's rows:
b01 (in time <=> working_days_between(received, decided) <= 1; London dates): April: CT1 Fri 4 -> Mon 7 (1 WD), CT2
    Thu 17 -> Tue 22 (Fri 18, Mon 21 holidays: 1 WD), CT3 same day, CT8 received 23:30 UTC on 31 Mar = 00:30 BST on
    1 Apr (April's), decided that day: in time; CT4 Wed 9 -> Fri 11 (2 WD): late; CT5 received Tue 29, undecided,
    its last in-time day Wed 30 = the period end has passed: overdue; CT6 received on the period end: not yet due;
    CT7 DUPLICATE: excluded -> 4 / 6 (month = YTD, April being the first month of the year). Rolling (2024-05-01..):
    + CT9 (Fri 28 Mar -> Mon 31 Mar: in) and CT11 (Wed 1 May 2024, the window's first day -> Fri 3 May: late); CT10
    (30 Apr 2024) is outside -> 5 / 8. March: CT9 -> 1 / 1. By service (April): CT1 front-door team TFD (R&A), CT4's
    child allocated to W1/TSF (S&FS), the others R&A by default -> RA 4 / 5, SFS 0 / 1.
b01v (the referral-only variant, §2.5 B1: decision outcome REF_CSC only; an undecided contact has no outcome yet):
    April CT1, CT8 in time, CT4 late (CT5, CT6 undecided, CT2 NFA, CT3 advice, CT7 duplicate: not listed) -> 2 / 3
    (month = YTD); rolling + CT9 (in; CT11 is NFA) -> 3 / 4; March CT9 -> 1 / 1. E09000001's contacts are
    undecided -> no b01v members (0 / 0).
b17 (reg. 33: 1st review by start + 20 WD, 2nd by 1st + 3 months, then + 6 months; per period of care):
    L1 (from Mon 5 Aug 2024): 31 Aug (due Tue 3 Sep), 29 Nov (due 30 Nov), 28 Apr 2025 (due 29 May): all in time.
    L2 period 1 (2 Apr - 30 Sep 2024): 26 Apr (due Tue 30 Apr: in); its 2nd, due 26 Jul, never held while in care:
    overdue. L2 period 2 (from Mon 6 Jan 2025, the sequence restarts): 10 Feb (due Mon 3 Feb): late. L3 (from Mon 3
    Mar 2025): due Mon 31 Mar, not held: overdue. L4 (from Mon 24 Feb): due Mon 24 Mar, held Tue 1 Apr: overdue at
    31 Mar, late in April. L5's review falls in a short break (V4): excluded. L6 (from Tue 1 Oct 2024): 28 Oct (due
    29 Oct), 27 Jan (due 28 Jan), 16 Apr (due 27 Jul): in time.
    April month = YTD: L1, L6 in, L4 late -> 2 / 3. Rolling: L1 x3, L6 x3 in; L2 (overdue, late), L3, L4 -> 6 / 10.
    March month: L3, L4 overdue -> 0 / 2. YTD to 31 Mar (2024-04-01..): L1 x2, L2's 26 Apr, L6 x2 in; L2 overdue and
    late, L3, L4 overdue -> 5 / 9.
b17v (children looked after on 30 Apr for 20 WD or more; all reviews of the 12 months in time): L1, L6 yes; L2
    (overdue, late), L3 (overdue), L4 (late) no -> 2 / 5.
b18 (PN1-PN7; PN1-PN6 participate, PN4 included): April: L1 PN7 no, L4 PN5, L6 PN6 yes, L5 excluded -> 2 / 3.
    Rolling: L1 PN1, PN4 (yes), PN7; L4; L6 PN1, PN3, PN6; L2's PN0 excluded -> 6 / 7. By team (April): L6 moved
    from TCLA/W1 to TCWD/W2 on 15 Apr, reviewed 16 Apr -> TCWD 1 / 1.
b19 (allocated to a case-holding worker for a calendar month or more; CASE_SUP in the calendar month): 30 Apr: A04
    (W1/TSF since Jan, supervised 10 Apr) in; B1 (since 31 Mar: 31 Mar + 1 month = 30 Apr) not supervised: overdue;
    B3 (since 2024) has only an MO record: overdue; L6 changed worker on 15 Apr, B2's worker is a team manager:
    excluded -> 1 / 3 (TSF 1 / 2, TCWD 0 / 1). 31 Mar: A04 (31 Mar), L6 (5 Mar, then W1/TCLA) in; B3 overdue; B1
    (allocated that day) excluded -> 2 / 3.

E09000001 (no decision times delivered, only MO recorded): b01 April G1 overdue, G2 received on the period end not
    yet due -> 0 / 1, and the column is flagged absent (b01 NO_DATA once the framework reads the flag); b19 counts
    MO: Z1 (MO 10 Apr) in, Z2 overdue -> 1 / 2, flagged case_sup absent ('mo_proxy').
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_compliance_casework import AS_OF, LA_GAPS, LA_MAIN, write_landing
from tests.pg_databases import throwaway_database

pytestmark = [pytest.mark.dbt]

MEMBERS_MODELS = [
    "fct_contact_decisions",
    "fct_cla_review_timeliness",
    "fct_cla_review_participation",
    "fct_case_supervision",
]
MODELS = [*MEMBERS_MODELS, "fct_compliance_source_columns_delivered"]
SELECTION = ["--select", *(f"+{model}" for model in MODELS), "--indirect-selection", "cautious"]
UNIT_TESTS = {
    "contacts_are_decided_within_1_working_day",
    "contacts_on_window_edges_and_front_door_teams",
    "cla_reviews_follow_the_regulation_33_sequence",
    "cla_reviews_on_the_rolling_window_edges_and_per_child",
    "review_participation_counts_pn1_to_pn6_of_pn1_to_pn7",
    "review_participation_without_pn4",
    "children_supervised_in_the_month_once_allocated_a_month",
    "case_supervision_falls_back_to_management_oversight",
    "source_columns_absent_from_a_delivery",
    "contacts_that_became_referrals_form_the_b01v_variant",
    "cla_first_reviews_counted_from_day_1",
    "review_participation_on_rolling_and_ytd_window_edges",
}
APR, MAR = "2025-04-30", "2025-03-31"
B01, B01V, B17, B17V, B18, B19 = (
    "b01_contact_decision_1wd",
    "b01v_referral_decision_1wd",
    "b17_cla_reviews_in_time",
    "b17v_cla_children_reviews_in_time",
    "b18_cla_review_participation",
    "b19_case_supervision_monthly",
)
# p_mgmt_oversight_last_month (kpi-catalogue §1.2): the children of case-holding workers on the month end (no
# one-month rule), numerator an MO record in the calendar month. E06000039 on 31 March: A04, L6 (W1), B1 (allocated
# that day), B3; B2's W3 is a team manager -> excluded; no MO record in March -> 0 / 4. On 30 April the same four
# (L6 now W2/TCWD): B3's MO of 20 April -> 1 / 4; by team TSF (A04, B3) 1 / 2, TCWD (L6, B1) 0 / 2. E09000001: Z1's
# MO of 10 April -> 1 / 2 (Z1, Z2).
MO = "p_mgmt_oversight_last_month"

# (la_code, kpi_id, period_end, measure_window): (numerator, denominator).
EXPECTED = {
    (LA_MAIN, B01, APR, "month"): (4, 6),
    (LA_MAIN, B01, APR, "ytd"): (4, 6),
    (LA_MAIN, B01, APR, "rolling_12m"): (5, 8),
    (LA_MAIN, B01, MAR, "month"): (1, 1),
    (LA_MAIN, B01V, APR, "month"): (2, 3),
    (LA_MAIN, B01V, APR, "ytd"): (2, 3),
    (LA_MAIN, B01V, APR, "rolling_12m"): (3, 4),
    (LA_MAIN, B01V, MAR, "month"): (1, 1),
    (LA_MAIN, B17, APR, "month"): (2, 3),
    (LA_MAIN, B17, APR, "ytd"): (2, 3),
    (LA_MAIN, B17, APR, "rolling_12m"): (6, 10),
    (LA_MAIN, B17, MAR, "month"): (0, 2),
    (LA_MAIN, B17, MAR, "ytd"): (5, 9),
    (LA_MAIN, B17V, APR, "month_end"): (2, 5),
    (LA_MAIN, B18, APR, "month"): (2, 3),
    (LA_MAIN, B18, APR, "rolling_12m"): (6, 7),
    (LA_MAIN, B19, APR, "month_end"): (1, 3),
    (LA_MAIN, B19, MAR, "month_end"): (2, 3),
    (LA_GAPS, B01, APR, "month"): (0, 1),
    (LA_GAPS, B19, APR, "month_end"): (1, 2),
    (LA_MAIN, MO, APR, "month_end"): (1, 4),
    (LA_MAIN, MO, MAR, "month_end"): (0, 4),
    (LA_GAPS, MO, APR, "month_end"): (1, 2),
}
# (kpi_id, grain, key): (numerator, denominator) for E06000039's April month (b01, b18) or 30 April (b19).
EXPECTED_GRAINS = {
    (B01, "service", "RA"): (4, 5),
    (B01, "service", "SFS"): (0, 1),
    (B18, "team", "TCWD"): (1, 1),
    (B19, "team", "TSF"): (1, 2),
    (B19, "team", "TCWD"): (0, 1),
    (MO, "team", "TSF"): (1, 2),
    (MO, "team", "TCWD"): (0, 2),
}
# (la_code, pseudo-table): delivery_status on 30 April.
EXPECTED_COLUMNS = {
    (LA_MAIN, "ssd_contacts.local_decision_datetime"): "landed",
    (LA_MAIN, "local_case_supervision.case_sup"): "landed",
    (LA_GAPS, "ssd_contacts.local_decision_datetime"): "absent",
    (LA_GAPS, "local_case_supervision.case_sup"): "absent",
}

UNION = " union all ".join(f"select * from marts.{model}" for model in MEMBERS_MODELS)
COUNTS_QUERY = f"""
    select la_code, kpi_id, cast(period_end as varchar), measure_window,
           sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from ({UNION}) as members
    where period_end in (date '{APR}', date '{MAR}')
    group by la_code, kpi_id, period_end, measure_window
"""
GRAINS_QUERY = f"""
    select kpi_id, 'service', service_code,
           sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from ({UNION}) as members
    where la_code = '{LA_MAIN}' and period_end = date '{APR}' and measure_window in ('month', 'month_end')
        and in_denominator
    group by kpi_id, service_code
    union all
    select kpi_id, 'team', coalesce(team_id, 'UNALLOCATED'),
           sum(case when in_numerator then 1 else 0 end), sum(case when in_denominator then 1 else 0 end)
    from ({UNION}) as members
    where la_code = '{LA_MAIN}' and period_end = date '{APR}' and measure_window in ('month', 'month_end')
        and in_denominator
    group by kpi_id, team_id
"""
COLUMNS_QUERY = f"""
    select la_code, table_name, delivery_status
    from marts.fct_compliance_source_columns_delivered
    where period_end = date '{APR}'
"""
# Every analyst-facing key is a pseudonym (32 hex digits), never a case-system id.
RAW_ID_QUERY = f"""
    select count(*) from ({UNION}) as members
    where length(child_key) <> 32 or length(item_key) <> 32 or length(coalesce(worker_key, child_key)) <> 32
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
    # The hand-worked unit tests of every KPI ran inside this build and passed.
    assert {name: unit_tests.get(name) for name in UNIT_TESTS} == dict.fromkeys(UNIT_TESTS, "pass")


def _check(fetch: Callable[[str], list[tuple]]) -> None:
    counts = {tuple(row[:4]): (int(row[4]), int(row[5])) for row in fetch(COUNTS_QUERY)}
    assert {key: counts.get(key) for key in EXPECTED} == EXPECTED
    assert (LA_GAPS, B01V, APR, "month") not in counts  # no decided contact, so no referral yet
    grains = {tuple(row[:3]): (int(row[3]), int(row[4])) for row in fetch(GRAINS_QUERY)}
    assert {key: grains.get(key) for key in EXPECTED_GRAINS} == EXPECTED_GRAINS
    # b01's April month has no other service: CT1's front-door team is R&A's.
    assert sorted(key[2] for key in grains if key[:2] == (B01, "service")) == ["RA", "SFS"]
    assert {(row[0], row[1]): row[2] for row in fetch(COLUMNS_QUERY)} == EXPECTED_COLUMNS
    assert fetch(RAW_ID_QUERY)[0][0] == 0


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dbt_compliance_casework")
    write_landing(root / "landing")
    return root


@pytest.mark.xdist_group("dbt_duckdb")
def test_compliance_casework_on_duckdb(landing: Path) -> None:
    warehouse = landing / "warehouse.duckdb"
    _build(landing, "duckdb", {"CSC_WAREHOUSE_PATH": str(warehouse)})
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        _check(lambda query: connection.execute(query).fetchall())


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    with throwaway_database("csc_compliance_casework") as name:
        yield name


@pytest.mark.postgres
@pytest.mark.xdist_group("dbt_postgres")
def test_compliance_casework_on_postgres_gives_the_same_figures(landing: Path, postgres_database: str) -> None:
    import psycopg2

    dsn = make_dsn(postgres_dsn_from_env(), dbname=postgres_database)
    loaded = load_landing_to_postgres(landing / "landing", dsn)
    assert loaded["ssd_contacts"] == 11 + 2 and loaded["ssda903_reviews"] == 10
    _build(landing, "postgres", {"CSC_PG_DATABASE": postgres_database})
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def fetch(query: str) -> list[tuple]:
            cursor.execute(query)
            return cursor.fetchall()

        _check(fetch)
