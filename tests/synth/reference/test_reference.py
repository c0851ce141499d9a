"""Reference files (input contract §5): LA profile, ONSPD coverage of every generated postcode, bank holidays,
chart-of-accounts maps and the recommended tables."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from synth.finance import write_finance_exports
from synth.params import SynthParams
from synth.population import simulate_population
from synth.reference import centroid, dfe_la_number, england_and_wales, gov_uk_json, write_reference_exports
from synth.reference.postcodes import distance_miles
from synth.settings_pool import build_settings
from synth.workforce import build_workforce

LA, SEED, AS_OF = "E06000039", 42, date(2026, 10, 31)
CONTRACT = {
    "ref_la_profile": "la_code la_name dfe_la_number office_postcode organisation_name source_preference "
    "first_reporting_month",
    "ref_onspd": "pcds oseast1m osnrth1m oslaua oscty ctry doterm",
    "ref_bank_holidays": "date title division",
    "ref_subjective_map": "subjective_code description subjective_group",
    "ref_cost_centre_map": "cost_centre description finance_placement_type service_code valid_from valid_to",
    "ref_provider_ofsted": "urn provider_type registration_status la_code setting_postcode registered_places "
    "inspection_date overall_effectiveness snapshot_date",
    "ref_school_ofsted": "urn school_phase inspection_date overall_effectiveness snapshot_date",
    "ref_population": "year age sex population",
    "ref_population_ethnicity": "ethnic_group population_u18 source",
    "ref_local_code_map": "table_name column_name local_value contract_value valid_from valid_to",
}
GROUPS = set(
    [
        "INCOME_SBC",
        "INCOME_SBC_OTHER",
        "INCOME_DFE",
        "INCOME_GRANT",
        "INCOME_OTHER",
        "PAY",
        "AGENCY",
        "PLACEMENTS",
        "SUPPORT_CYP",
        "LEGAL",
        "OVERHEADS",
        "TRANSFORMATION",
        "BALANCE_SHEET",
    ]
)


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("ref")
    return root / LA, write_reference_exports(root, LA, AS_OF, months=1, seed=SEED)


def test_every_reference_table_has_exactly_the_contract_columns(out):
    folder, manifest = out
    assert [entry["path"] for entry in manifest["ref"]] == [f"{table}.csv" for table in CONTRACT]
    for table, columns in CONTRACT.items():
        header, rows = read(folder / "ref" / f"{table}.csv")
        assert header == columns.split(), table
        assert len(rows) == next(e["rows"] for e in manifest["ref"] if e["table"] == table)


def test_the_dfe_la_number_is_871_for_slough_and_matches_the_upns_elsewhere(out):
    profile = read(out[0] / "ref" / "ref_la_profile.csv")[1]
    assert profile == [
        {"la_code": LA, "la_name": "Slough", "dfe_la_number": "871", "office_postcode": "SL1 2EL",
         "organisation_name": "Slough Children First", "source_preference": "", "first_reporting_month": "2026-10"}
    ]  # fmt: skip
    assert dfe_la_number("E08000025") == "853"  # 800 + sha256("E08000025") mod 200
    children = simulate_population(1, "E08000025", date(2020, 4, 1), date(2021, 3, 31), SynthParams(),
                                   build_settings(1, "E08000025"))  # fmt: skip
    upns = [child.upn for child in children if not child.upn.startswith("UN")]
    assert upns and all(upn[1:4] == "853" for upn in upns)


def test_every_postcode_in_the_data_is_in_ref_onspd(out, tmp_path):
    onspd = {row["pcds"]: row for row in read(out[0] / "ref" / "ref_onspd.csv")[1]}
    children = simulate_population(SEED, LA, date(2009, 4, 1), AS_OF, SynthParams(), build_settings(SEED, LA))
    used = {e.home_post for c in children for e in c.episodes} | {e.pl_post for c in children for e in c.episodes}
    write_finance_exports(tmp_path, LA, AS_OF, 1, SEED, children)
    used |= {p["postcode"] for p in read(tmp_path / LA / "2026-10" / "fin" / "fin_provider.csv")[1]}
    used |= {p["setting_postcode"] for p in read(out[0] / "ref" / "ref_provider_ofsted.csv")[1]}
    used |= {"SL1 2EL"}
    used.discard("")
    assert used <= set(onspd)
    assert all(onspd[p]["oslaua"] == LA for p in onspd if p.split()[0] in ("SL1", "SL2", "SL3"))
    assert {row["ctry"] for row in onspd.values()} == {"E92000001"}
    # ONS centroids: Slough office to Birmingham B1 1TT is 87.3 miles, to Windsor SL4 3AX 2.1 miles (by hand).
    office = centroid("SL1 2EL", LA)
    assert distance_miles(office, centroid("B1 1TT", LA)) == 87.3
    assert distance_miles(office, centroid("SL4 3AX", LA)) == 2.1
    assert centroid("SL1 2EL", "E06000040").lad == "E06000040"  # the home area takes the organisation's code


def test_bank_holidays_follow_gov_uk(out):
    days = [h.day.isoformat() for h in england_and_wales(2022, 2022)]
    assert days == [
        "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
        "2022-09-19", "2022-12-26", "2022-12-27",
    ]  # fmt: skip
    assert [h.day.isoformat() for h in england_and_wales(2026, 2026)] == [
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
    ]  # fmt: skip
    assert [h.day for h in england_and_wales(2020, 2020)][3] == date(2020, 5, 8)
    rows = read(out[0] / "ref" / "ref_bank_holidays.csv")[1]
    assert rows[0]["date"] <= "2015-01-01" and rows[-1]["date"] >= "2027-10-31"  # to as_at_date + 1 year
    assert {row["division"] for row in rows} == {"england-and-wales"}
    events = json.loads(gov_uk_json(2023, 2023))["england-and-wales"]["events"]
    assert {"title", "date", "notes", "bunting"} == set(events[0]) and len(events) == 9


def test_the_account_maps_cover_every_code_used(out, tmp_path):
    folder = out[0] / "ref"
    subjectives = read(folder / "ref_subjective_map.csv")[1]
    assert {row["subjective_group"] for row in subjectives} <= GROUPS
    cost_centres = {row["cost_centre"]: row for row in read(folder / "ref_cost_centre_map.csv")[1]}
    for code in ("M28B", "M33B", "M32B", "M82B", "M63B", "G77L", "G77T", "M35B"):
        assert cost_centres[code]["finance_placement_type"]
    assert cost_centres["M33B"]["finance_placement_type"] == "EXT_IFA"
    children = simulate_population(SEED, LA, date(2012, 4, 1), AS_OF, SynthParams(), build_settings(SEED, LA))
    write_finance_exports(tmp_path, LA, AS_OF, 1, SEED, children)
    fin = tmp_path / LA / "2026-10" / "fin"
    used = {r["cost_centre"] for r in read(fin / "fin_ledger.csv")[1]} | {
        r["cost_centre"] for r in read(fin / "fin_budget.csv")[1]
    }
    assert used <= set(cost_centres)
    assert {r["subjective_code"] for r in read(fin / "fin_budget.csv")[1]} <= {
        r["subjective_code"] for r in subjectives
    }
    assert {post.cost_centre for post in build_workforce(SEED, LA, AS_OF).posts} <= set(cost_centres)


def test_the_reference_files_are_deterministic(out, tmp_path):
    assert write_reference_exports(tmp_path, LA, AS_OF, months=1, seed=SEED) == out[1]
