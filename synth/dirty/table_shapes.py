"""What the dirt needs to know of each SSD, local, HR and finance table the generator writes, written from the input
contract (§0.5, §2, §3, §4, §11.2).

Deliberately not read from `extract.csv_families.registry`, for the reason `synth.dirty.shapes` gives for the 903: the
truth file is an independent statement of what the contract says must be caught. Only the columns a defect needs are
listed; a column missing from a shape is never touched (except by the null-literal and misnamed-column kinds, which
take any nullable column the shape does not reserve).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableShape:
    name: str
    pk: tuple[str, ...]
    required: tuple[str, ...]  # N columns: absent from the header -> F03, blank -> R04
    dates: tuple[str, ...] = ()  # YYYY-MM-DD: other forms and impossible dates -> R01, after as_at -> R06
    datetimes: tuple[str, ...] = ()  # YYYY-MM-DDTHH:MM: other forms -> R01, a bare date -> W04
    future_ok: tuple[str, ...] = ()  # dates exempt from R06 (§0.5: expected, due, target and end-of-validity dates)
    amounts: tuple[str, ...] = ()  # gbp and dec(p,s): a £, thousands separators or brackets -> R01
    key_codes: tuple[tuple[str, str], ...] = ()  # (★ key code column, a code in no list) -> R02
    codes: tuple[str, ...] = ()  # nullable columns with a contract list (not mapped): unknown -> W05, nulled
    postcodes: tuple[str, ...] = ()  # not a postcode -> W05, nulled
    orderings: tuple[tuple[str, str], ...] = ()  # (start, end): end before start -> R05
    conflict: str | None = None  # a non-key column free of table rules: a copy with another row's value -> R03
    conditional: tuple[str, ...] = ()  # C, N* and "at least one of" columns: never blanked, nulled or renamed
    prohibited: str | None = None  # a §11.2 column to add (W10); None: the family's (`PROHIBITED`)
    fy_period: tuple[str, str] | None = None  # (fy, period): a period outside the fy -> R05 (§4.2)
    perm_cap: bool = False  # hr_employee: a person's overlapping PERM assignments over 1.5 FTE -> R05, later row (§4.1)


# §11.2 names a few prohibited columns per table; elsewhere the family's kind of personal data stands in: a child's
# surname (SSD, local), a worker's NI number (HR), an individual carer's surname (finance).
PROHIBITED = {"ssd": "child_surname", "local": "child_surname", "hr": "ni_number", "fin": "carer_surname"}

_VISITS = {"conflict": "local_worker_id"}

SHAPES: tuple[TableShape, ...] = (
    # §2.2
    TableShape(
        "ssd_person",
        pk=("pers_person_id",),
        required=("pers_person_id",),
        dates=("pers_dob", "pers_expected_dob", "pers_death_date"),
        future_ok=("pers_expected_dob",),
        codes=("pers_sex", "pers_ethnicity", "pers_upn_unknown"),
        conflict="pers_sex",
        conditional=("pers_dob", "pers_expected_dob"),
        prohibited="pers_forename",
    ),
    TableShape(
        "ssd_immigration_status",
        pk=("immi_person_id", "immi_immigration_status_start_date"),
        required=("immi_person_id", "immi_immigration_status"),
        dates=("immi_immigration_status_start_date", "immi_immigration_status_end_date"),
        orderings=(("immi_immigration_status_start_date", "immi_immigration_status_end_date"),),
        conflict="immi_immigration_status",
    ),
    TableShape(
        "ssd_address",
        pk=("addr_person_id", "addr_address_type", "addr_address_start_date"),
        required=("addr_person_id", "addr_address_type", "addr_address_postcode"),
        dates=("addr_address_start_date", "addr_address_end_date"),
        postcodes=("addr_address_postcode",),
        orderings=(("addr_address_start_date", "addr_address_end_date"),),
        conflict="addr_address_postcode",
        prohibited="addr_address_json",
    ),
    TableShape(
        "ssd_department",
        pk=("dept_team_id",),
        required=("dept_team_id", "dept_team_name"),
        dates=("local_valid_from", "local_valid_to"),
        future_ok=("local_valid_from", "local_valid_to"),  # a restructure's team validity is known ahead
        orderings=(("local_valid_from", "local_valid_to"),),
        conflict="dept_team_parent_name",
        conditional=("local_service_code",),
    ),
    TableShape(
        "ssd_professionals",
        pk=("prof_professional_id",),
        required=("prof_professional_id",),
        dates=("local_start_date", "local_end_date"),
        future_ok=("local_end_date",),  # a leaving date already agreed
        amounts=("prof_full_time_equivalency",),
        orderings=(("local_start_date", "local_end_date"),),
        conflict="prof_professional_job_title",
        conditional=("local_role_code",),
        prohibited="prof_professional_name",
    ),
    TableShape(
        "ssd_involvements",
        pk=("invo_involvements_id",),
        required=(
            *("invo_involvements_id", "invo_person_id", "invo_professional_role_id", "invo_professional_team"),
            "invo_involvement_start_date",
        ),
        dates=("invo_involvement_start_date", "invo_involvement_end_date"),
        codes=("invo_worker_change_reason",),
        orderings=(("invo_involvement_start_date", "invo_involvement_end_date"),),
        conflict="invo_professional_team",
        conditional=("invo_professional_id",),
    ),
    # §2.3
    TableShape(
        "ssd_contacts",
        pk=("cont_contact_id",),
        required=("cont_contact_id", "cont_person_id", "cont_contact_date"),
        datetimes=("cont_contact_date", "local_decision_datetime"),
        codes=("cont_contact_source_code", "local_decision_outcome"),
        orderings=(("cont_contact_date", "local_decision_datetime"),),
        conflict="local_decision_outcome",
    ),
    TableShape(
        "ssd_cin_episodes",
        pk=("cine_referral_id",),
        required=("cine_referral_id", "cine_person_id", "cine_referral_date"),
        dates=("cine_referral_date", "cine_close_date"),
        codes=("cine_cin_primary_need_code", "cine_referral_source_code", "cine_close_reason"),
        orderings=(("cine_referral_date", "cine_close_date"),),
        conflict="cine_referral_team",
    ),
    TableShape(
        "ssd_cin_assessments",
        pk=("cina_assessment_id",),
        required=("cina_assessment_id", "cina_person_id", "cina_assessment_start_date"),
        dates=("cina_assessment_start_date", "cina_assessment_auth_date", "local_internal_review_date"),
        codes=("local_assessment_type",),
        orderings=(("cina_assessment_start_date", "cina_assessment_auth_date"),),
        conflict="cina_assessment_team",
    ),
    TableShape(
        "ssd_cin_plans",
        pk=("cinp_cin_plan_id",),
        required=("cinp_cin_plan_id", "cinp_person_id", "cinp_cin_plan_start_date"),
        dates=("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
        codes=("local_step_down_to",),
        orderings=(("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),),
        conflict="cinp_cin_plan_team",
    ),
    TableShape(
        "ssd_s47_enquiry",
        pk=("s47e_s47_enquiry_id",),
        required=("s47e_s47_enquiry_id", "s47e_person_id", "s47e_s47_start_date"),
        dates=("s47e_s47_start_date", "s47e_s47_end_date"),
        orderings=(("s47e_s47_start_date", "s47e_s47_end_date"),),
        conflict="s47e_s47_completed_by_team",
    ),
    TableShape(
        "ssd_initial_cp_conference",
        pk=("icpc_icpc_id",),
        required=("icpc_icpc_id", "icpc_person_id"),
        dates=("icpc_icpc_target_date", "icpc_icpc_date"),
        future_ok=("icpc_icpc_target_date",),
        conflict="icpc_icpc_team",
    ),
    TableShape(
        "ssd_cp_plans",
        pk=("cppl_cp_plan_id",),
        required=("cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date"),
        dates=("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
        codes=("local_end_reason",),
        orderings=(("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),),
        conflict="local_end_reason",
    ),
    TableShape(
        "ssd_cp_reviews",
        pk=("cppr_cp_review_id",),
        required=("cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id"),
        dates=("cppr_cp_review_due", "cppr_cp_review_date"),
        future_ok=("cppr_cp_review_due",),
        codes=("cppr_cp_review_participation",),
        conflict="cppr_cp_review_participation",
    ),
    TableShape(
        "ssd_cin_visits",
        pk=("cinv_cin_visit_id",),
        required=("cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date"),
        dates=("cinv_cin_visit_date",),
        codes=("local_visit_context",),
        **_VISITS,
    ),
    TableShape(
        "ssd_cp_visits",
        pk=("cppv_cp_visit_id",),
        required=("cppv_cp_visit_id", "cppv_person_id", "cppv_cp_visit_date"),
        dates=("cppv_cp_visit_date",),
        **_VISITS,
    ),
    TableShape(
        "ssd_cla_visits",
        pk=("clav_cla_visit_id",),
        required=("clav_cla_visit_id", "clav_person_id", "clav_cla_visit_date"),
        dates=("clav_cla_visit_date",),
        **_VISITS,
    ),
    # §2.4
    TableShape(
        "ssd_cla_placement",
        pk=("clap_cla_placement_id",),
        required=("clap_cla_placement_id", "clap_person_id", "clap_cla_placement_start_date"),
        dates=("clap_cla_placement_start_date", "clap_cla_placement_end_date"),
        amounts=("clap_cla_placement_distance",),
        codes=("clap_cla_placement_type", "clap_cla_placement_provider"),
        postcodes=("clap_cla_placement_postcode",),
        orderings=(("clap_cla_placement_start_date", "clap_cla_placement_end_date"),),
        conflict="clap_cla_placement_urn",
    ),
    TableShape(
        "ssd_cla_episodes",
        pk=("clae_cla_episode_id",),
        required=("clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date"),
        dates=("clae_cla_episode_start_date", "clae_cla_episode_ceased_date", "clae_entered_care_date"),
        codes=("clae_cla_episode_start_reason", "clae_cla_primary_need_code", "clae_cla_episode_ceased_reason"),
        orderings=(("clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),),
    ),
    TableShape(
        "ssd_cla_reviews",
        pk=("clar_cla_review_id",),
        required=("clar_cla_review_id", "local_person_id"),
        dates=("clar_cla_review_due_date", "clar_cla_review_date"),
        future_ok=("clar_cla_review_due_date",),
        codes=("clar_cla_review_participation",),
        conflict="clar_cla_review_participation",
    ),
    TableShape(
        "ssd_cla_health",
        pk=("clah_health_check_id",),
        required=("clah_health_check_id", "clah_person_id", "clah_health_check_type", "clah_health_check_date"),
        dates=("clah_health_check_date",),
        codes=("clah_health_check_status",),
        conflict="clah_health_check_status",
    ),
    TableShape(
        "ssd_missing",
        pk=("miss_table_id",),
        required=("miss_table_id", "miss_person_id", "miss_missing_episode_start_date", "miss_missing_episode_type"),
        datetimes=(
            *("miss_missing_episode_start_date", "miss_missing_episode_end_date"),
            *("local_rhi_offered_date", "local_rhi_completed_date"),
        ),
        orderings=(("miss_missing_episode_start_date", "miss_missing_episode_end_date"),),
        conflict="miss_missing_rhi_accepted",
    ),
    TableShape(
        "ssd_care_leavers",
        pk=("clea_person_id",),
        required=("clea_person_id", "clea_care_leaver_eligibility"),
        dates=("clea_care_leaver_latest_contact", "clea_pathway_plan_review_date"),
        codes=(
            *("clea_care_leaver_in_touch", "clea_care_leaver_accommodation", "clea_care_leaver_accom_suitable"),
            "clea_care_leaver_activity",
        ),
        conflict="clea_care_leaver_in_touch",
    ),
    # §2.5
    TableShape(
        "ssd_early_help_episodes",
        pk=("earl_episode_id",),
        required=("earl_episode_id", "earl_person_id", "earl_episode_start_date"),
        dates=("earl_episode_start_date", "earl_episode_end_date", "local_assessment_date", "local_plan_start_date"),
        orderings=(("earl_episode_start_date", "earl_episode_end_date"),),
        conflict="earl_episode_organisation",
    ),
    # §3
    TableShape(
        "local_case_supervision",
        pk=("supervision_id",),
        required=("supervision_id", "person_id", "supervision_date", "supervisor_worker_id", "supervision_type"),
        dates=("supervision_date",),
        conflict="supervision_type",
    ),
    TableShape(
        "local_staff_supervision",
        pk=("supervision_id",),
        required=("supervision_id", "supervision_date", "supervision_kind"),
        dates=("supervision_date", "shared_date"),
        codes=("quality_rating", "rated_by_role"),
        orderings=(("supervision_date", "shared_date"),),
        conflict="quality_rating",
        conditional=("worker_id", "person_id"),  # at least one of them (R04)
    ),
    TableShape(
        "local_strategy_discussions",
        pk=("strategy_id",),
        required=("strategy_id", "person_id", "strategy_date"),
        dates=("strategy_date",),
        codes=("outcome",),
        conflict="outcome",
    ),
    TableShape(
        "local_visits",
        pk=("visit_id",),
        required=("visit_id", "person_id", "visit_date", "visit_context"),
        dates=("visit_date",),
        conflict="worker_id",
    ),
    TableShape(
        "local_audits",
        pk=("audit_id",),
        required=("audit_id", "audit_date", "audit_type"),
        dates=("audit_date",),
        codes=("audit_status", "grade", "moderated_grade", "supervision_file_grade"),
        conflict="grade",
    ),
    TableShape(
        "local_peps",
        pk=("pep_id",),
        required=("pep_id", "person_id", "pep_date", "pep_status"),
        dates=("pep_date",),
        codes=("term", "year_group"),
        conflict="pep_status",
    ),
    # §4.1
    TableShape(
        "hr_post",
        pk=("post_id", "funded_from"),
        required=("post_id", "funded_from", "cost_centre", "job_family", "frontline_case_holding", "budgeted_fte"),
        dates=("funded_from", "funded_to"),
        future_ok=("funded_from", "funded_to"),  # budget periods
        amounts=("budgeted_fte",),
        orderings=(("funded_from", "funded_to"),),
        conflict="grade",
    ),
    TableShape(
        "hr_employee",
        pk=("person_id", "post_id", "start_date"),
        required=("person_id", "post_id", "contract_type", "fte", "start_date", "employment_start_date"),
        dates=("start_date", "end_date", "employment_start_date", "asye_completion_date"),
        future_ok=("end_date",),  # a fixed-term assignment's agreed end
        amounts=("fte",),
        orderings=(("start_date", "end_date"),),
        conflict="contract_type",
        perm_cap=True,
    ),
    TableShape(
        "hr_agency_assignment",
        pk=("agency_assignment_id",),
        required=("agency_assignment_id", "agency_worker_ref", "cost_centre", "role", "fte", "start_date"),
        dates=("start_date", "end_date"),
        future_ok=("end_date",),  # the booked end of the assignment
        amounts=("fte", "charge_rate_hourly"),
        orderings=(("start_date", "end_date"),),
        conflict="agency_name",
    ),
    TableShape(
        "hr_leaver",
        pk=("person_id", "leave_date"),
        required=("person_id", "leave_date", "contract_type", "reason", "voluntary"),
        dates=("leave_date",),
        conflict="reason",
    ),
    TableShape(
        "hr_absence",
        pk=("absence_id",),
        required=("absence_id", "person_id", "start_date", "absence_type"),
        dates=("start_date", "end_date"),
        amounts=("working_days_lost", "fte_at_time"),
        orderings=(("start_date", "end_date"),),
        conflict="working_days_lost",
    ),
    TableShape(
        "hr_appraisal",
        pk=("person_id", "appraisal_date"),
        required=("person_id", "appraisal_date", "valid_until"),
        dates=("appraisal_date", "valid_until"),
        future_ok=("valid_until",),
        conflict="valid_until",
    ),
    TableShape(
        "hr_training",
        pk=("person_id", "course_code", "completed_date"),  # every column is in the key: no conflicting copy
        required=("person_id", "course_code", "completed_date"),
        dates=("completed_date",),
    ),
    # §4.2
    TableShape(
        "fin_ledger",
        pk=("ledger_line_id",),
        required=("ledger_line_id", "fy", "period", "cost_centre", "subjective_code", "amount_gbp", "line_type"),
        amounts=("amount_gbp",),
        conflict="amount_gbp",
        fy_period=("fy", "period"),
    ),
    TableShape(
        "fin_trial_balance",
        pk=("fy", "period", "cost_centre", "subjective_code"),
        required=("fy", "period", "cost_centre", "subjective_code", "ytd_amount_gbp"),
        amounts=("ytd_amount_gbp",),
        conflict="ytd_amount_gbp",
    ),
    TableShape(
        "fin_budget",
        pk=("fy", "budget_version", "cost_centre", "subjective_code", "period"),
        required=("fy", "budget_version", "cost_centre", "subjective_code", "budget_gbp"),
        amounts=("budget_gbp",),
        conflict="budget_gbp",
    ),
    TableShape(
        "fin_forecast",
        pk=("fy", "as_of_period", "cost_centre", "subjective_code"),
        required=("fy", "as_of_period", "cost_centre", "subjective_code", "forecast_full_year_gbp"),
        amounts=("forecast_full_year_gbp",),
        conflict="forecast_full_year_gbp",
    ),
    TableShape(
        "fin_placement_budget",
        pk=("fy", "finance_placement_type"),
        required=("fy", "finance_placement_type", "budget_fte", "budget_weekly_rate_gbp", "budget_total_gbp"),
        amounts=("budget_fte", "budget_weekly_rate_gbp", "budget_total_gbp"),
        key_codes=(("finance_placement_type", "HOTEL"),),
        conflict="budget_total_gbp",
    ),
    TableShape(
        "fin_placement_commitment",
        pk=("commitment_id", "rate_effective_from"),
        required=(
            *("commitment_id", "rate_effective_from", "child_id", "provider_id", "finance_placement_type"),
            *("cost_centre", "weekly_rate_gbp", "start_date", "status"),
        ),
        # rate_effective_to is left out of the future dates: the contract does not exempt it (§0.5), extract does.
        dates=("rate_effective_from", "start_date", "end_date", "expected_end_date", "cla_decom"),
        future_ok=("expected_end_date",),
        amounts=("weekly_rate_gbp", "health_contribution_pct", "education_contribution_pct"),
        key_codes=(("finance_placement_type", "HOTEL"),),
        codes=("framework",),
        orderings=(("start_date", "end_date"), ("rate_effective_from", "rate_effective_to")),
        conflict="weekly_rate_gbp",
    ),
    TableShape(
        "fin_provider",
        pk=("provider_id",),
        required=("provider_id", "provider_type", "inhouse"),
        dates=("ofsted_date",),
        codes=("ofsted_grade",),
        postcodes=("postcode",),
        conflict="ofsted_grade",
    ),
    TableShape(
        "fin_savings_tracker",
        pk=("fy", "saving_id", "as_of_period"),
        required=("fy", "saving_id", "required_gbp", "delivered_gbp", "as_of_period"),
        amounts=("required_gbp", "delivered_gbp"),
        conflict="delivered_gbp",
    ),
    TableShape(
        "fin_balance_sheet",
        pk=("as_at_date", "line"),
        required=("as_at_date", "line", "amount_gbp"),
        dates=("as_at_date",),
        amounts=("amount_gbp",),
        conflict="amount_gbp",
    ),
)
_BY_NAME = {shape.name: shape for shape in SHAPES}


def table_shape(file_name: str) -> TableShape | None:
    """The shape of the table a file name names (§0.2: `[<la_code>_]<table>[_<YYYYMMDD>].csv`), else None."""
    stem = file_name.lower().removesuffix(".csv")
    if stem == file_name.lower():
        return None
    parts = stem.split("_")
    if parts and len(parts[0]) == 9 and parts[0][0] == "e" and parts[0][1:].isdigit():
        parts = parts[1:]
    if parts and len(parts[-1]) == 8 and parts[-1].isdigit():
        parts = parts[:-1]
    return _BY_NAME.get("_".join(parts))
