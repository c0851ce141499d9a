"""Local tables (input contract §3): columns, integrity with the SSD files, and calibration (kpi-catalogue §4.3,
§5.3 era B)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import pairwise

from extract.csv_families import REGISTRY
from synth.cin.calendar import add_working_days

CONTRACT = {
    "local_case_supervision": "supervision_id person_id referral_id supervision_date supervisor_worker_id "
    "case_worker_id supervision_type",
    "local_staff_supervision": "supervision_id worker_id person_id supervision_date supervisor_worker_id "
    "supervision_kind shared_date quality_rating rated_by_role",
    "local_audits": "audit_id person_id audit_date audit_type audit_status theme auditor_worker_id grade "
    "moderated_grade supervision_file_grade case_worker_id team_id",
    "local_peps": "pep_id person_id pep_date pep_status term academic_year school_urn year_group",
    "local_visits": "visit_id person_id visit_date visit_context statutory child_seen seen_alone worker_id",
    "local_strategy_discussions": "strategy_id person_id referral_id strategy_date police_present health_present "
    "education_present sw_present outcome",
}


def test_every_local_table_has_exactly_the_contract_columns(organisation):
    paths = [entry["path"] for entry in organisation.entries["2026-10"] if entry["path"].startswith("local/")]
    assert paths == [f"local/{table}.csv" for table in sorted(CONTRACT)]
    for table, columns in CONTRACT.items():
        header, rows = organisation.read("local", table)
        assert header == columns.split(), table
        assert set(header) == set(REGISTRY.find(table).names), table  # the extract registry agrees
        assert rows, table
        assert max(row[next(c for c in header if c.endswith("_date"))] for row in rows) <= "2026-10-31", table


def test_workers_and_people_exist_in_the_ssd_files(organisation):
    _, professionals = organisation.read("ssd", "ssd_professionals")
    _, people = organisation.read("ssd", "ssd_person")
    workers = {row["prof_professional_id"] for row in professionals}
    person_ids = {row["pers_person_id"] for row in people}
    _, case = organisation.read("local", "local_case_supervision")
    assert {row["supervisor_worker_id"] for row in case} | {row["case_worker_id"] for row in case} <= workers
    assert {row["person_id"] for row in case} <= person_ids
    _, audits = organisation.read("local", "local_audits")
    assert {row["case_worker_id"] for row in audits} <= workers and {row["person_id"] for row in audits} <= person_ids


def test_case_supervision_in_the_last_month_matches_the_seed_rates(organisation):
    """b19 37.5 % (band 30-60 %) and p_mgmt_oversight_last_month 32.9 %: share of cases allocated for a month or
    more on 31 Oct 2026 with a record in October."""
    day, month_start = date(2026, 10, 31).toordinal(), "2026-10-01"
    cases = {
        (row.child_id, row.worker_id)
        for row in organisation.casework.involvements
        if row.role == "ALLOCATED_SW" and row.worker_id and row.start <= day - 31 and (row.end is None or row.end > day)
    }
    _, rows = organisation.read("local", "local_case_supervision")
    done = Counter()
    for kind in ("CASE_SUP", "MO"):
        done[kind] = len({
            (row["person_id"], row["case_worker_id"]) for row in rows
            if row["supervision_type"] == kind and row["supervision_date"] >= month_start
        } & cases)  # fmt: skip
    assert 0.33 <= done["CASE_SUP"] / len(cases) <= 0.5
    assert 0.27 <= done["MO"] / len(cases) <= 0.42


def test_audit_grades_follow_era_b(organisation):
    _, audits = organisation.read("local", "local_audits")
    assert Counter(row["audit_type"] for row in audits)["CORE"] == 13 * 36 + 13  # 13 a month, Oct 2023-Oct 2026
    grades = Counter(row["grade"] for row in audits)
    assert abs(grades["RI"] / len(audits) - 0.655) < 0.05 and abs(grades["G"] / len(audits) - 0.24) < 0.05


def test_peps_cover_school_age_children_looked_after(organisation):
    _, peps = organisation.read("local", "local_peps")
    assert {row["year_group"] for row in peps} <= {"R", *(f"Y{n}" for n in range(1, 12))}
    assert {row["term"] for row in peps} == {"AUT", "SPR", "SUM"}
    assert Counter(row["pep_status"] for row in peps)["COMPLETE"] / len(peps) > 0.85


def test_pathway_visits_by_the_personal_adviser_every_8_weeks(organisation):
    """local_visits holds the PA visits to care leavers (ASSESS visits are in ssd_cin_visits by default). With a
    late share of 0.15 (VisitParams.pathway_late_share), 85 % of gaps are within 8 weeks (56 days)."""
    _, rows = organisation.read("local", "local_visits")
    assert {row["visit_context"] for row in rows} == {"PATHWAY"} and len({row["visit_id"] for row in rows}) == len(rows)
    advisers: dict[str, list] = {}
    for involvement in organisation.casework.involvements:
        if involvement.role == "PA":
            advisers.setdefault(involvement.child_id, []).append(involvement)
    by_child: dict[str, list[int]] = {}
    for row in rows:
        day = date.fromisoformat(row["visit_date"]).toordinal()
        pa = [r for r in advisers.get(row["person_id"], []) if r.start <= day and (r.end is None or r.end > day)]
        assert row["worker_id"] == (pa[0].worker_id if pa else "")
        by_child.setdefault(row["person_id"], []).append(day)
    gaps = [later - earlier for days in by_child.values() for earlier, later in pairwise(days)]
    assert len(gaps) > 500 and 0.8 <= sum(gap <= 56 for gap in gaps) / len(gaps) <= 0.9


def test_strategy_discussions_start_the_enquiries(organisation):
    """Every enquiry that started well inside the window names a discussion (outcome S47) held on or up to 3
    working days before its start. Working Together compliance (police, health and social care present):
    0.92 x 0.74 x 0.99 = 0.67 expected (synth.ssd.strategy.PRESENT)."""
    _, discussions = organisation.read("local", "local_strategy_discussions")
    by_id = {row["strategy_id"]: row for row in discussions}
    assert len(by_id) == len(discussions)
    _, enquiries = organisation.read("ssd", "ssd_s47_enquiry")
    checked = 0
    for enquiry in enquiries:
        start = date.fromisoformat(enquiry["s47e_s47_start_date"]).toordinal()
        if enquiry["s47e_s47_start_date"] < "2023-11-01":
            continue  # the discussion may be dated before the window (2023-10-01)
        found = by_id[enquiry["local_strategy_id"]]
        assert (found["person_id"], found["referral_id"], found["outcome"]) == (
            enquiry["s47e_person_id"], enquiry["s47e_referral_id"], "S47",
        )  # fmt: skip
        held = date.fromisoformat(found["strategy_date"]).toordinal()
        assert add_working_days(start, -3) <= held <= start
        checked += 1
    assert checked > 1000
    compliant = [row["police_present"] == row["health_present"] == row["sw_present"] == "Y" for row in discussions]
    assert 0.62 <= sum(compliant) / len(compliant) <= 0.72
    assert 0.1 <= Counter(row["outcome"] for row in discussions)["NO_S47"] / len(discussions) <= 0.3
