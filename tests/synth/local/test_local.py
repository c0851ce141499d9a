"""Local tables (input contract §3): columns, integrity with the SSD files, and calibration (kpi-catalogue §4.3,
§5.3 era B)."""

from __future__ import annotations

from collections import Counter
from datetime import date

CONTRACT = {
    "local_case_supervision": "supervision_id person_id referral_id supervision_date supervisor_worker_id "
    "case_worker_id supervision_type",
    "local_staff_supervision": "supervision_id worker_id person_id supervision_date supervisor_worker_id "
    "supervision_kind shared_date quality_rating rated_by_role",
    "local_audits": "audit_id person_id audit_date audit_type audit_status theme auditor_worker_id grade "
    "moderated_grade supervision_file_grade case_worker_id team_id",
    "local_peps": "pep_id person_id pep_date pep_status term academic_year school_urn year_group",
}


def test_every_local_table_has_exactly_the_contract_columns(organisation):
    paths = [entry["path"] for entry in organisation.entries["2026-10"] if entry["path"].startswith("local/")]
    assert paths == [f"local/{table}.csv" for table in sorted(CONTRACT)]
    for table, columns in CONTRACT.items():
        header, rows = organisation.read("local", table)
        assert header == columns.split(), table
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
