"""Finance exports (input contract §4.2-4.3): columns, codes, commitments derived from the simulated placements,
ledger = commitments, and the kpi-catalogue §5.5 identities."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

import pytest

from synth.calendar import month_end
from synth.finance import finance_type, write_finance_exports
from synth.finance.chart import SUBJECTIVES
from synth.params import SynthParams
from synth.population import simulate_population
from synth.settings_pool import build_settings

LA, SEED, AS_OF = "E06000039", 42, date(2026, 10, 31)
CONTRACT = {
    "fin_ledger": "ledger_line_id fy period fin_period cost_centre subjective_code amount_gbp line_type supplier_id "
    "description child_id",
    "fin_trial_balance": "fy period cost_centre subjective_code ytd_amount_gbp",
    "fin_budget": "fy budget_version cost_centre subjective_code period budget_gbp",
    "fin_forecast": "fy as_of_period cost_centre subjective_code forecast_full_year_gbp",
    "fin_placement_budget": "fy finance_placement_type budget_fte budget_weekly_rate_gbp budget_total_gbp",
    "fin_placement_commitment": "commitment_id rate_effective_from rate_effective_to child_id provider_id "
    "finance_placement_type cost_centre weekly_rate_gbp start_date end_date expected_end_date health_contribution_pct "
    "education_contribution_pct uasc_flag framework status cla_decom placement_id",
    "fin_provider": "provider_id urn provider_name provider_type inhouse postcode registered_places ofsted_grade "
    "ofsted_date",
    "fin_savings_tracker": "fy saving_id description required_gbp delivered_gbp as_of_period",
    "fin_balance_sheet": "as_at_date line amount_gbp",
}
TYPES = set(
    [
        "EXT_RES",
        "EXT_MB",
        "INHOUSE_RES",
        "INHOUSE_SHORT_BREAK",
        "SECURE_REMAND",
        "UASC_16_18_SI",
        "UASC_U16",
        "SI_U18",
        "SI_18PLUS",
        "EXT_IFA",
        "INHOUSE_FOSTER",
        "INHOUSE_FF",
        "ADOPT_ALLOW",
        "SGO",
        "RO",
        "CARE_LEAVER",
        "STAYING_PUT",
        "OTHER",
    ]
)
PROVIDER_TYPES = set(
    [
        "IFA",
        "CHILDRENS_HOME",
        "SECURE",
        "SUPPORTED_ACCOM",
        "SEMI_INDEPENDENT",
        "RESIDENTIAL_SCHOOL",
        "PARENT_AND_CHILD",
        "INHOUSE_FOSTER",
        "INHOUSE_RES",
        "OTHER_LA",
        "OTHER",
    ]
)


def read(folder, table):
    with open(folder / "fin" / f"{table}.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def children():
    return simulate_population(SEED, LA, date(2009, 4, 1), AS_OF, SynthParams(), build_settings(SEED, LA))


@pytest.fixture(scope="module")
def out(tmp_path_factory, children):
    root = tmp_path_factory.mktemp("fin")
    manifest = write_finance_exports(root, LA, AS_OF, 2, SEED, children)
    return root / LA, manifest


def test_every_finance_table_has_exactly_the_contract_columns(out):
    folder, manifest = out
    assert sorted(manifest) == ["2026-09", "2026-10"]
    for table, columns in CONTRACT.items():
        header, rows = read(folder / "2026-10", table)
        assert header == columns.split(), table
        assert len(rows) == next(e["rows"] for e in manifest["2026-10"] if e["table"] == table)


def test_finance_types_follow_the_contract_derivation():
    assert finance_type("U4", "PR1", "C2") == "INHOUSE_FOSTER"
    assert finance_type("U3", "PR1", "C1") == "INHOUSE_FF"
    assert finance_type("U6", "PR4", "V2") == "EXT_IFA"
    assert finance_type("U3", "PR2", "C1") == "EXT_IFA"
    assert finance_type("K2", "PR4", "C2") == "EXT_RES"
    assert finance_type("K2", "PR1", "C2") == "INHOUSE_RES"
    assert finance_type("K2", "PR1", "V3") == "INHOUSE_SHORT_BREAK"
    assert finance_type("K1", "PR2", "C2") == finance_type("U6", "PR4", "J1") == "SECURE_REMAND"
    assert finance_type("R3", "PR5", "C2") == "EXT_MB"
    assert finance_type("K3", "PR4", "V2") == "SI_U18"
    assert finance_type("K3", "PR4", "V2", uasc=True, age=17.0) == "UASC_16_18_SI"
    assert finance_type("P1", "PR0", "C2") is None and finance_type("A6", "PR1", "E1") is None


def test_codes_and_periods_are_valid(out):
    folder = out[0] / "2026-10"
    commitments = read(folder, "fin_placement_commitment")[1]
    assert {c["finance_placement_type"] for c in commitments} <= TYPES
    assert {c["status"] for c in commitments} <= {"ACTIVE", "ENDED", "CANCELLED"}
    assert {c["framework"] for c in commitments} <= {"", "ON", "OFF", "SPOT"}
    providers = read(folder, "fin_provider")[1]
    assert {p["provider_type"] for p in providers} <= PROVIDER_TYPES
    assert {p["ofsted_grade"] for p in providers} <= {"", "O", "G", "RI", "I", "NOT_INSPECTED"}
    individual = [p for p in providers if p["provider_type"] in ("INHOUSE_FOSTER",) or p["provider_id"][:2] == "AL"]
    assert individual and all(not p["provider_name"] and not p["postcode"] for p in individual)
    assert {c["provider_id"] for c in commitments} <= {p["provider_id"] for p in providers}
    ledger = read(folder, "fin_ledger")[1]
    assert {line["line_type"] for line in ledger} == {"ACTUAL"}
    assert {line["subjective_code"] for line in ledger} <= set(SUBJECTIVES)
    assert {line["fy"] for line in ledger} == {"2025-26", "2026-27"}  # current and previous financial year
    for line in ledger:
        year, month = int(line["period"][:4]), int(line["period"][5:])
        start = year if month >= 4 else year - 1
        assert line["fy"] == f"{start}-{(start + 1) % 100:02d}" and int(line["fin_period"]) == (month - 4) % 12 + 1
        assert line["period"] <= "2026-10"


def test_commitments_lie_within_the_simulated_placements(out, children):
    episodes = {child.child_id: child.episodes for child in children}
    rows = read(out[0] / "2026-10", "fin_placement_commitment")[1]
    linked = [c for c in rows if c["cla_decom"]]
    assert linked
    for c in linked:
        assert c["start_date"] == c["cla_decom"]
        start = date.fromisoformat(c["start_date"]).toordinal()
        first = next(e for e in episodes[c["child_id"]] if e.decom == start)
        assert finance_type(first.place, first.provider, first.ls) in (c["finance_placement_type"], "SI_U18")
        if c["end_date"]:
            end = date.fromisoformat(c["end_date"]).toordinal()
            assert any(e.dec == end for e in episodes[c["child_id"]])  # ends when an episode ends
        assert c["rate_effective_from"] >= c["start_date"]
        assert not c["rate_effective_to"] or c["rate_effective_from"] <= c["rate_effective_to"]
    for c in rows:
        assert not c["end_date"] or c["start_date"] < c["end_date"] <= AS_OF.isoformat()
        assert (c["status"] == "ACTIVE") == (not c["end_date"]) or c["status"] == "CANCELLED"


def _months_of(first: date, until: date):
    year, month = first.year, first.month
    while (year, month) <= (until.year, until.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def test_placement_ledger_lines_equal_the_commitments_month_by_month(out):
    folder = out[0] / "2026-10"
    expected: dict[tuple[str, str], float] = defaultdict(float)
    count = 0
    for c in read(folder, "fin_placement_commitment")[1]:
        if c["status"] == "CANCELLED":
            continue
        since = date.fromisoformat(c["rate_effective_from"])
        until = min(
            date.fromisoformat(c["rate_effective_to"]).toordinal() + 1 if c["rate_effective_to"] else 10**7,
            date.fromisoformat(c["end_date"]).toordinal() if c["end_date"] else AS_OF.toordinal() + 1,
        )
        for year, month in _months_of(since, AS_OF):
            first, after = date(year, month, 1).toordinal(), month_end(year, month).toordinal() + 1
            days = min(until, after) - max(since.toordinal(), first)
            if days > 0 and first >= date(2025, 4, 1).toordinal():
                expected[(c["cost_centre"], f"{year}-{month:02d}")] += round(float(c["weekly_rate_gbp"]) * days / 7, 2)
                count += 1
    actual: dict[tuple[str, str], float] = defaultdict(float)
    for line in read(folder, "fin_ledger")[1]:
        if line["child_id"]:
            actual[(line["cost_centre"], line["period"])] += float(line["amount_gbp"])
    assert count > 5000 and set(actual) == set(expected)
    assert all(abs(actual[key] - expected[key]) < 0.01 for key in expected)


def test_the_finance_identities_hold(out):
    folder = out[0] / "2026-10"
    group = {code: grp for code, (_, grp) in SUBJECTIVES.items()}
    budget = read(folder, "fin_budget")[1]
    placement_budget = read(folder, "fin_placement_budget")[1]
    for fy in ("2025-26", "2026-27"):
        lines = [b for b in budget if b["fy"] == fy]
        assert abs(sum(float(b["budget_gbp"]) for b in lines)) < 0.01  # (surplus)/deficit 0
        placements = sum(float(b["budget_gbp"]) for b in lines if group[b["subjective_code"]] == "PLACEMENTS")
        demand_led = [p for p in placement_budget if p["fy"] == fy]
        leavers = {"CARE_LEAVER", "STAYING_PUT", "SI_18PLUS"}
        assert (
            abs(
                placements
                - sum(float(p["budget_total_gbp"]) for p in demand_led if p["finance_placement_type"] not in leavers)
            )
            < 1
        )
        support = sum(float(b["budget_gbp"]) for b in lines if b["subjective_code"] == "E4000")
        assert (
            abs(
                support
                - sum(float(p["budget_total_gbp"]) for p in demand_led if p["finance_placement_type"] in leavers)
            )
            < 1
        )
        for p in demand_led:  # Total = FTE x rate x 52
            assert (
                abs(float(p["budget_fte"]) * float(p["budget_weekly_rate_gbp"]) * 52 - float(p["budget_total_gbp"]))
                < 0.01
            )
    ledger = read(folder, "fin_ledger")[1]
    ytd: dict[tuple[str, str], float] = defaultdict(float)
    for line in ledger:
        if line["fy"] == "2026-27":
            ytd[(line["cost_centre"], line["subjective_code"])] += float(line["amount_gbp"])
    balance = {(r["cost_centre"], r["subjective_code"]): float(r["ytd_amount_gbp"])
               for r in read(folder, "fin_trial_balance")[1] if r["period"] == "2026-10"}  # fmt: skip
    assert set(balance) == set(ytd) and all(abs(balance[key] - ytd[key]) < 1 for key in ytd)  # X7, ±£1k
    forecasts = read(folder, "fin_forecast")[1]
    march = {(f["cost_centre"], f["subjective_code"]): float(f["forecast_full_year_gbp"])
             for f in forecasts if f["as_of_period"] == "2026-03"}  # fmt: skip
    outturn: dict[tuple[str, str], float] = defaultdict(float)
    for line in ledger:
        if line["fy"] == "2025-26":
            outturn[(line["cost_centre"], line["subjective_code"])] += float(line["amount_gbp"])
    assert all(abs(march.get(key, 0.0) - value) < 1 for key, value in outturn.items())  # year-end forecast = outturn
    latest = [f for f in forecasts if f["as_of_period"] == "2026-10"]
    assert sum(float(f["forecast_full_year_gbp"]) for f in latest) <= 0  # b25: forecasting within budget


def test_commitment_cost_is_fte_times_rate_times_52(out):
    by_type: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    first, after = date(2025, 4, 1).toordinal(), date(2026, 4, 1).toordinal()
    for c in read(out[0] / "2026-10", "fin_placement_commitment")[1]:
        if c["status"] == "CANCELLED":
            continue
        since = date.fromisoformat(c["rate_effective_from"]).toordinal()
        until = date.fromisoformat(c["rate_effective_to"]).toordinal() + 1 if c["rate_effective_to"] else after
        until = min(until, date.fromisoformat(c["end_date"]).toordinal() if c["end_date"] else after)
        days = max(0, min(until, after) - max(since, first))
        by_type[c["finance_placement_type"]][0] += days
        by_type[c["finance_placement_type"]][1] += float(c["weekly_rate_gbp"]) * days
    for days, rate_days in by_type.values():
        if days:
            fte, average_rate = days / 364, rate_days / days
            assert abs(fte * average_rate * 52 - rate_days / 7) < 0.01
    # kpi-catalogue §4.4 rates, uplifted 5 % a year from 2024-25: FTE-weighted mean rate of external fostering.
    ifa_days, ifa_rate_days = by_type["EXT_IFA"]
    assert ifa_days / 364 > 50 and abs(ifa_rate_days / ifa_days / (1084 * 1.05) - 1) < 0.1


def test_the_exports_are_deterministic(tmp_path, out, children):
    assert write_finance_exports(tmp_path, LA, AS_OF, 2, SEED, children) == out[1]
