"""The optional SSD and local tables of the input contract (§2.3-§2.5, §3) in the registry: for each, a good file lands
every row, and a bad row in an otherwise good file is found with the rule and field its contract layout implies."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract.csv_families import REGISTRY
from tests.extract.builders import run
from tests.extract.family_builders import deliver_to, issues, landed

Q, W = "_quarantine/rows", "_warnings"
# table -> (header, good row template with {n}, a bad row, where its finding goes, field, rule). The delivery's
# as-at date is 2025-10-31 (no manifest: the end of the reporting month).
CASES = {
    # Transcribed in this change (they were F02 until now).
    "ssd_permanence": (
        "perm_table_id,perm_person_id,perm_placed_for_adoption_date,perm_permanence_order_type",
        "PM{n},C{n},2025-06-01,ADOPTION",
        "PM900,C900,2025-12-01,ADOPTION",  # placed after the as-at date
        Q,
        "perm_placed_for_adoption_date",
        "R06",
    ),
    "ssd_pre_proceedings": (
        "prep_table_id,prep_person_id,prep_pre_pro_decision_date,prep_legal_gateway_outcome,prep_care_proc_court_hearings",
        "PP{n},C{n},2025-05-01,B,2",
        "PP900,C900,2025-05-01,B,two",
        Q,
        "prep_care_proc_court_hearings",
        "R01",
    ),
    "local_audit_domains": (
        "audit_id,domain_ref,domain,grade",
        "A{n},4,ASSESSMENT,G",
        "A900,4,ASSESSMENT,",
        Q,
        "grade",
        "R04",
    ),
    "local_care_proceedings": (
        "proceedings_id,person_id,issue_date,final_order_date,final_outcome",
        "P{n},C{n},2025-01-10,2025-07-01,SGO",
        "P900,C900,2025-07-10,2025-07-01,SGO",  # final order before the issue
        Q,
        "final_order_date",
        "R05",
    ),
    "local_yj_cohort": (
        "yj_person_ref,cohort_period,index_date,index_type,as_at",
        "Y{n},2024-Q3,2024-08-01,CAUTION,2025-10-31",
        "Y900,2024-Q3,,CAUTION,2025-10-31",
        Q,
        "index_date",
        "R04",
    ),
    "local_education_attainment": (
        "person_id,academic_year,key_stage,eligible_cohort,att8_score",
        "C{n},2024-25,KS4,Y,45.5",
        "C900,2024-25,KS4,Y,45.55",  # dec(4,1)
        Q,
        "att8_score",
        "R01",
    ),
    "local_attendance": (
        "person_id,academic_year,term,possible_sessions,attended_sessions",
        "C{n},2024-25,AUT,140,130",
        "C900,2024-25,AUT,140,150",  # attended more than possible
        Q,
        "possible_sessions",
        "R05",
    ),
    "local_survey_responses": (
        "response_id,survey_id,respondent_type,response_date,question_id,score",
        "R{n},S1,CLA,2025-09-01,Q1,4.5",
        "R900,S1,CLA,2025-09-01,Q1,6.0",  # a 1-5 scale
        Q,
        "score",
        "R01",
    ),
    "local_family_network_meetings": (
        "meeting_id,family_id,meeting_date,meeting_type",
        "M{n},F{n},2025-09-01,FGC",
        "M900,F900,2025-09-31,FGC",
        Q,
        "meeting_date",
        "R01",
    ),
    "local_clinical_involvements": (
        "involvement_id,person_id,start_date,end_date,outcome",
        "I{n},C{n},2025-01-01,2025-06-01,RETURN_HOME",
        "I900,C900,2025-06-01,2025-01-01,RETURN_HOME",
        Q,
        "end_date",
        "R05",
    ),
    "local_placement_requests": (
        "request_id,person_id,request_date,placement_type_sought,emergency",
        "Q{n},C{n},2025-09-01,K2,Y",
        "Q900,C900,2025-09-01,K2,maybe",
        Q,
        "emergency",
        "R01",
    ),
    "local_supporting_families_claims": (
        "claim_id,family_id,claim_date,claim_status",
        "CL{n},F{n},2025-09-01,SUCCESSFUL",
        "CL900,F900,2025-09-01,PAID",  # not a contract code, and not a key code: nulled, row kept
        W,
        "claim_status",
        "W05",
    ),
    "local_improvement_actions": (
        "action_ref,status_date,status",
        "ACT{n},2025-09-01,AMBER",
        "ACT900,2025-11-05,AMBER",
        Q,
        "status_date",
        "R06",
    ),
    # Already in the registry; checked here as the synthetic generator starts to write them.
    "local_visits": (
        "visit_id,person_id,visit_date,visit_context,seen_alone",
        "V{n},C{n},2025-09-01,PATHWAY,NA",
        "V900,C900,2025-09-01,PATHWAY,maybe",
        Q,
        "seen_alone",
        "R01",
    ),
    "local_strategy_discussions": (
        "strategy_id,person_id,strategy_date,police_present,outcome",
        "SD{n},C{n},2025-09-01,Y,S47",
        "SD900,C900,,Y,S47",
        Q,
        "strategy_date",
        "R04",
    ),
    "ssd_cin_assessments": (
        "cina_assessment_id,cina_person_id,cina_assessment_start_date,cina_assessment_auth_date,local_assessment_type",
        "AS{n},C{n},2025-08-01,2025-09-01,CF",
        "AS900,C900,2025-09-01,2025-08-01,CF",
        Q,
        "cina_assessment_auth_date",
        "R05",
    ),
    "ssd_cp_reviews": (
        "cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_participation",
        "RV{n},C{n},CP{n},2025-12-01,PN1",  # a due date may be in the future
        "RV900,C900,,2025-12-01,PN1",
        Q,
        "cppr_cp_plan_id",
        "R04",
    ),
    "ssd_cla_reviews": (
        "clar_cla_review_id,local_person_id,clar_cla_review_date,clar_cla_review_cancelled",
        "CR{n},C{n},2025-09-01,N",
        "CR900,C900,2025-11-30,N",
        Q,
        "clar_cla_review_date",
        "R06",
    ),
    "ssd_cin_episodes": (
        "cine_referral_id,cine_person_id,cine_referral_date,cine_close_reason",
        "RF{n},C{n},2025-05-01,RC1",
        "RF900,C900,01/05/2025,RC1",
        Q,
        "cine_referral_date",
        "R01",
    ),
    "ssd_cin_plans": (
        "cinp_cin_plan_id,cinp_person_id,cinp_cin_plan_start_date,local_step_down_to",
        "PL{n},C{n},2025-05-01,EH",
        "PL900,,2025-05-01,EH",
        Q,
        "cinp_person_id",
        "R04",
    ),
    "ssd_s47_enquiry": (
        "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date,s47e_s47_nfa",
        "S{n},C{n},2025-05-01,N",
        "S900,C900,2025-05-01,perhaps",
        Q,
        "s47e_s47_nfa",
        "R01",
    ),
    "ssd_cp_plans": (
        "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,local_number_of_previous_cpp",
        "CP{n},C{n},2025-05-01,0",
        "CP900,C900,2025-05-01,-1",
        Q,
        "local_number_of_previous_cpp",
        "R01",
    ),
}


# table -> the finding's message: each names the column, the value where it is not personal, and the rule broken.
MESSAGES = {
    "local_attendance": "possible_sessions is less than attended_sessions",
    "local_audit_domains": "grade is required but blank",
    "local_care_proceedings": "final_order_date is before issue_date",
    "local_clinical_involvements": "end_date is before start_date",
    "local_education_attainment": "att8_score '45.55' does not fit dec(4,1)",
    "local_family_network_meetings": "meeting_date '2025-09-31' is not a real date",
    "local_improvement_actions": "status_date '2025-11-05' is after the as-at date 2025-10-31",
    "local_placement_requests": "emergency 'maybe' is not a boolean (Y/N, 1/0, true/false, yes/no)",
    "local_strategy_discussions": "strategy_date is required but blank",
    "local_supporting_families_claims": "claim_status 'PAID' is not a valid code: nulled",
    "local_survey_responses": "score '6.0' is outside 1-5",
    "local_visits": "seen_alone 'maybe' is not Y, N or NA",
    "local_yj_cohort": "index_date is required but blank",
    "ssd_cin_assessments": "cina_assessment_auth_date is before cina_assessment_start_date",
    "ssd_cin_episodes": "cine_referral_date '01/05/2025' is not a YYYY-MM-DD date",
    "ssd_cin_plans": "cinp_person_id is required but blank",
    "ssd_cla_reviews": "clar_cla_review_date '2025-11-30' is after the as-at date 2025-10-31",
    "ssd_cp_plans": "local_number_of_previous_cpp '-1' is outside 0-99",
    "ssd_cp_reviews": "cppr_cp_plan_id is required but blank",
    "ssd_permanence": "perm_placed_for_adoption_date '2025-12-01' is after the as-at date 2025-10-31",
    "ssd_pre_proceedings": "prep_care_proc_court_hearings 'two' is not a whole number",
    "ssd_s47_enquiry": "s47e_s47_nfa 'perhaps' is not a boolean (Y/N, 1/0, true/false, yes/no)",
}


def _deliver(root: Path, table: str, rows: list[str]) -> Path:
    header = CASES[table][0]
    return deliver_to(root / "inbound", table.split("_", 1)[0], f"{table}.csv", "\n".join([header, *rows]) + "\n")


@pytest.mark.parametrize("table", sorted(CASES))
def test_a_good_file_lands_every_row(tmp_path: Path, table: str) -> None:
    _header, good, *_ = CASES[table]
    outcome = run(tmp_path, _deliver(tmp_path, table, [good.format(n=n) for n in (1, 2, 3)]))
    assert (outcome.table_name, outcome.outcome, outcome.rows_landed, outcome.message) == (table, "landed", 3, None)
    spec = REGISTRY.find(table)
    assert len(landed(tmp_path, outcome, spec.family, spec.folder)) == 3


@pytest.mark.parametrize("table", sorted(CASES))
def test_a_bad_row_is_found_with_its_rule(tmp_path: Path, table: str) -> None:
    """60 good rows (lines 2-61) and the bad row (line 62): one bad row in 61 is 1.6 %, under F07's 2 %."""
    _header, good, bad, folder, field, rule = CASES[table]
    outcome = run(tmp_path, _deliver(tmp_path, table, [*(good.format(n=n) for n in range(1, 61)), bad]))
    assert outcome.outcome == "landed"
    assert issues(tmp_path, folder, outcome) == [(62, field, rule)]
    assert issues(tmp_path, W if folder == Q else Q, outcome) == []  # and nothing else was found
    [finding] = pq.read_table(tmp_path / "landing" / folder / f"{outcome.load_id}.parquet").to_pylist()
    assert finding["message"] == MESSAGES[table]
    kept = 61 if folder == W else 60
    assert (outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (61, kept, 61 - kept)


def test_every_table_of_sections_2_to_5_is_known() -> None:
    """The contract's tables (§2 SSD, §3 local, §4 HR and finance, §5 reference), counted by section: every one is
    in the registry, so none is F02 any more."""
    names = {spec.name for spec in REGISTRY.tables}
    by_family = {
        family: len([n for n in names if n.startswith(f"{family}_")]) for family in ("ssd", "local", "hr", "fin", "ref")
    }
    # Counted in the contract: §2 has 30 ssd_* tables, §3 22 local_*, §4.1 7 hr_*, §4.2 9 fin_*, §5 10 ref_*.
    assert by_family == {"ssd": 30, "local": 22, "hr": 7, "fin": 9, "ref": 10}
    assert set(CASES) <= names


def test_a_numeric_ordering_is_worded_as_such(tmp_path: Path) -> None:
    outcome = run(tmp_path, _deliver(tmp_path, "local_attendance", ["C1,2024-25,AUT,140,150"]))
    path = tmp_path / "landing" / Q / f"{outcome.load_id}.parquet"
    assert pq.read_table(path)["message"].to_pylist() == ["possible_sessions is less than attended_sessions"]
