"""The table registry of the generic CSV families, transcribed from the input contract (§2 SSD, §3 local, §4 HR and
finance, §5 reference). Syntax: `extract.csv_families.spec`. Every mandatory table of §9.1 is here, then the
recommended (§9.2) ones, then the optional ones: every table of §2-§5 (the SSD tables §2.1 names as not read in v1 are
W02 and not landed); any other name is rejected F02.

Every table MAY also carry `la_code` (§0.2, §3): it is checked against the folder (F06) and not landed as data (the
load metadata holds it). Prohibited columns (§11.2) are listed per table where the contract names them; any unknown
column whose name looks like a name, NI or NHS number, date of birth, address, pay, bank or free-text note is dropped
with W10 as well (`extract.csv_families.reader`).
"""

from __future__ import annotations

from decimal import Decimal

from extract.csv_families.overlap_cap import OverlapCap
from extract.csv_families.spec import Registry, table

_VISIT_EXT = """
local_statutory bool Y
local_worker_id id Y
"""

SSD = (
    table(
        "ssd_person",
        "M",
        "pers_person_id",
        """
        pers_person_id id:20 N
        pers_sex code Y M,F,U
        pers_gender code Y ~
        pers_ethnicity code Y @ETHNIC
        pers_dob date C
        pers_expected_dob date Y future
        pers_death_date date Y
        pers_upn_unknown code Y @UPN_UNKNOWN
        pers_is_mother bool Y
        pers_nationality str:64 Y
        pers_send_flag bool Y
        """,
        prohibited=("pers_forename", "pers_surname", "pers_common_child_id", "pers_legacy_id"),
        at_least_one=(("pers_dob", "pers_expected_dob"),),
        not_both=(("pers_dob", "pers_expected_dob"),),
    ),
    table(
        "ssd_disability",
        "O",
        "disa_person_id disa_disability_code",
        """
        disa_person_id id N
        disa_disability_code code N @DISABILITY
        disa_table_id id Y
        """,
    ),
    table(
        "ssd_immigration_status",
        "R",
        "immi_person_id immi_immigration_status_start_date",
        """
        immi_person_id id N
        immi_immigration_status code N ~
        immi_immigration_status_start_date date Y
        immi_immigration_status_end_date date Y
        """,
        orderings=(("immi_immigration_status_start_date", "immi_immigration_status_end_date"),),
    ),
    table(
        "ssd_address",
        "R",
        "addr_person_id addr_address_type addr_address_start_date",
        """
        addr_person_id id N
        addr_address_type code N ~
        addr_address_start_date date Y
        addr_address_end_date date Y
        addr_address_postcode postcode N
        """,
        prohibited=("addr_address_json",),
        orderings=(("addr_address_start_date", "addr_address_end_date"),),
    ),
    table(
        "ssd_department",
        "M",
        "dept_team_id",
        """
        dept_team_id id N
        dept_team_name str:100 N
        dept_team_parent_id id Y
        dept_team_parent_name str:100 Y
        local_service_code code Y ~
        local_front_door bool Y
        local_cost_centre str:16 Y
        local_valid_from date Y future
        local_valid_to date Y future
        """,
        orderings=(("local_valid_from", "local_valid_to"),),
    ),
    table(
        "ssd_professionals",
        "M",
        "prof_professional_id",
        """
        prof_professional_id id N
        prof_staff_id id Y
        prof_social_worker_registration_no str:12 Y
        prof_professional_job_title str:100 Y
        prof_professional_department str:100 Y
        prof_full_time_equivalency dec:4.2 Y range=0..1.5
        prof_agency_worker_flag bool Y
        prof_professional_caseload int Y
        local_role_code code Y ~
        local_qualified_sw bool Y
        local_case_holding bool Y
        local_team_id id Y
        local_hr_person_id id Y
        local_start_date date Y
        local_end_date date Y future
        """,
        prohibited=("prof_professional_name",),
        orderings=(("local_start_date", "local_end_date"),),
    ),
    table(
        "ssd_involvements",
        "M",
        "invo_involvements_id",
        """
        invo_involvements_id id N
        invo_person_id id N
        invo_professional_id id C
        invo_professional_role_id code N ~
        invo_professional_team id N
        invo_involvement_start_date date N
        invo_involvement_end_date date Y
        invo_worker_change_reason code Y @SW_REASON
        invo_referral_id id Y
        """,
        orderings=(("invo_involvement_start_date", "invo_involvement_end_date"),),
    ),
    table(
        "ssd_contacts",
        "M",
        "cont_contact_id",
        """
        cont_contact_id id N
        cont_person_id id N
        cont_contact_date datetime N
        cont_contact_source_code code Y @REFERRAL_SOURCE
        cont_contact_source_desc str:100 Y
        cont_contact_outcome_json json Y
        local_decision_datetime datetime Y
        local_decision_outcome code Y REF_CSC,EARLY_HELP,INFO_ADVICE,NFA,ALREADY_OPEN,DUPLICATE
        local_team_id id Y
        local_stepped_up_from_eh bool Y
        local_referral_id id Y
        """,
        orderings=(("cont_contact_date", "local_decision_datetime"),),
    ),
    table(
        "ssd_cin_episodes",
        "O",
        "cine_referral_id",
        """
        cine_referral_id id N
        cine_person_id id N
        cine_referral_date date N
        cine_cin_primary_need_code code Y @PRIMARY_NEED
        cine_referral_source_code code Y @REFERRAL_SOURCE
        cine_referral_nfa bool Y
        cine_referral_outcome_json json Y
        cine_close_reason code Y @CLOSURE_REASON
        cine_close_date date Y
        cine_referral_team id Y
        cine_referral_worker_id id Y
        """,
        orderings=(("cine_referral_date", "cine_close_date"),),
    ),
    table(
        "ssd_cin_assessments",
        "O",
        "cina_assessment_id",
        """
        cina_assessment_id id N
        cina_person_id id N
        cina_referral_id id Y
        cina_assessment_start_date date N
        cina_assessment_child_seen bool Y
        cina_assessment_auth_date date Y
        cina_assessment_outcome_json json Y
        cina_assessment_outcome_nfa bool Y
        cina_assessment_team id Y
        cina_assessment_worker_id id Y
        local_assessment_type code Y CF,PREBIRTH,OTHER
        local_internal_review_date date Y
        """,
        orderings=(("cina_assessment_start_date", "cina_assessment_auth_date"),),
    ),
    table(
        "ssd_assessment_factors",
        "O",
        "cinf_table_id",
        """
        cinf_table_id id N
        cinf_assessment_id id N
        cinf_assessment_factors_json json N array
        """,
    ),
    table(
        "ssd_cin_plans",
        "O",
        "cinp_cin_plan_id",
        """
        cinp_cin_plan_id id N
        cinp_referral_id id Y
        cinp_person_id id N
        cinp_cin_plan_start_date date N
        cinp_cin_plan_end_date date Y
        cinp_cin_plan_team id Y
        cinp_cin_plan_worker_id id Y
        local_step_down_to code Y EH,COMMUNITY,NONE
        """,
        orderings=(("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),),
    ),
    table(
        "ssd_s47_enquiry",
        "O",
        "s47e_s47_enquiry_id",
        """
        s47e_s47_enquiry_id id N
        s47e_referral_id id Y
        s47e_person_id id N
        s47e_s47_start_date date N
        s47e_s47_end_date date Y
        s47e_s47_nfa bool Y
        s47e_s47_outcome_json json Y
        s47e_s47_completed_by_team id Y
        s47e_s47_completed_by_worker_id id Y
        local_strategy_id id Y
        """,
        orderings=(("s47e_s47_start_date", "s47e_s47_end_date"),),
    ),
    table(
        "ssd_initial_cp_conference",
        "R",
        "icpc_icpc_id",
        """
        icpc_icpc_id id N
        icpc_s47_enquiry_id id Y
        icpc_person_id id N
        icpc_referral_id id Y
        icpc_cp_plan_id id Y
        icpc_icpc_transfer_in bool Y
        icpc_icpc_target_date date Y future
        icpc_icpc_date date Y
        icpc_icpc_outcome_cp_flag bool Y
        icpc_icpc_outcome_json json Y
        icpc_icpc_team id Y
        icpc_icpc_worker_id id Y
        """,
    ),
    table(
        "ssd_cp_plans",
        "O",
        "cppl_cp_plan_id",
        """
        cppl_cp_plan_id id N
        cppl_referral_id id Y
        cppl_icpc_id id Y
        cppl_person_id id N
        cppl_cp_plan_start_date date N
        cppl_cp_plan_end_date date Y
        cppl_cp_plan_initial_category code Y ~
        cppl_cp_plan_latest_category code Y ~
        cppl_cp_plan_ola bool Y
        local_end_reason code Y STEP_DOWN_CIN,STEP_DOWN_EH,CLA,CLOSED,TRANSFER
        local_number_of_previous_cpp int Y range=0..99
        """,
        orderings=(("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),),
    ),
    table(
        "ssd_cp_reviews",
        "O",
        "cppr_cp_review_id",
        """
        cppr_cp_review_id id N
        cppr_person_id id N
        cppr_cp_plan_id id N
        cppr_cp_review_due date Y future
        cppr_cp_review_date date Y
        cppr_cp_review_meeting_id id Y
        cppr_cp_review_outcome_continue_cp bool Y
        cppr_cp_review_quorate bool Y
        cppr_cp_review_participation code Y @PN
        """,
    ),
    table(
        "ssd_cin_visits",
        "M",
        "cinv_cin_visit_id",
        """
        cinv_cin_visit_id id N
        cinv_person_id id N
        cinv_cin_visit_date date N
        cinv_cin_visit_seen bool Y
        cinv_cin_visit_seen_alone yn_na Y
        cinv_cin_visit_bedroom bool Y
        local_visit_context code Y CIN,ASSESS
        """
        + _VISIT_EXT,
    ),
    table(
        "ssd_cp_visits",
        "M",
        "cppv_cp_visit_id",
        """
        cppv_cp_visit_id id N
        cppv_person_id id N
        cppv_cp_plan_id id Y
        cppv_cp_visit_date date N
        cppv_cp_visit_seen bool Y
        cppv_cp_visit_seen_alone yn_na Y
        cppv_cp_visit_bedroom bool Y
        """
        + _VISIT_EXT,
    ),
    table(
        "ssd_cla_visits",
        "M",
        "clav_cla_visit_id",
        """
        clav_cla_visit_id id N
        clav_cla_id id Y
        clav_person_id id N
        clav_cla_visit_date date N
        clav_cla_visit_seen bool Y
        clav_cla_visit_seen_alone yn_na Y
        """
        + _VISIT_EXT,
    ),
    table(
        "ssd_cla_episodes",
        "O",
        "clae_cla_episode_id",
        """
        clae_cla_episode_id id N
        clae_person_id id N
        clae_cla_episode_start_date date N
        clae_cla_episode_start_reason code Y @RNE
        clae_cla_primary_need_code code Y N1,N2,N3,N4,N5,N6,N7,N8
        clae_cla_episode_ceased_date date Y
        clae_cla_episode_ceased_reason code Y @REC
        clae_cla_id id Y
        clae_referral_id id Y
        clae_cla_placement_id id Y
        clae_entered_care_date date Y
        clae_cla_last_iro_contact_date date Y
        """,
        orderings=(("clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),),
    ),
    table(
        "ssd_cla_placement",
        "R",
        "clap_cla_placement_id",
        """
        clap_cla_placement_id id N
        clap_person_id id N
        clap_cla_id id Y
        clap_cla_placement_start_date date N
        clap_cla_placement_end_date date Y
        clap_cla_placement_type code Y @PLACE
        clap_cla_placement_urn str Y
        clap_cla_placement_distance dec:5.1 Y
        clap_cla_placement_provider code Y @PLACE_PROVIDER
        clap_cla_placement_postcode postcode Y
        clap_cla_placement_change_reason code Y ~
        local_provider_id id Y
        local_carer_id id Y
        local_long_term_match bool Y
        """,
        orderings=(("clap_cla_placement_start_date", "clap_cla_placement_end_date"),),
    ),
    table(
        "ssd_legal_status",
        "O",
        "lega_legal_status_id",
        """
        lega_legal_status_id id N
        lega_person_id id N
        lega_legal_status code N ~
        lega_legal_status_start_date date N
        lega_legal_status_end_date date Y
        """,
        orderings=(("lega_legal_status_start_date", "lega_legal_status_end_date"),),
    ),
    table(
        "ssd_cla_reviews",
        "O",
        "clar_cla_review_id",
        """
        clar_cla_review_id id N
        clar_cla_id id Y
        local_person_id id N
        clar_cla_review_due_date date Y future
        clar_cla_review_date date Y
        clar_cla_review_cancelled bool Y
        clar_cla_review_participation code Y @PN
        """,
    ),
    table(
        "ssd_cla_health",
        "R",
        "clah_health_check_id",
        """
        clah_health_check_id id N
        clah_person_id id N
        clah_health_check_type code N ~
        clah_health_check_date date N
        clah_health_check_status code Y PLANNED,REFUSED,CANCELLED,COMPLETED
        """,
    ),
    table(
        "ssd_sdq_scores",
        "O",
        "csdq_table_id",
        """
        csdq_table_id id N
        csdq_person_id id N
        csdq_sdq_completed_date date N
        csdq_sdq_score int C range=0..40
        csdq_sdq_reason code C @SDQ_REASON
        """,
        at_least_one=(("csdq_sdq_score", "csdq_sdq_reason"),),
        not_both=(("csdq_sdq_score", "csdq_sdq_reason"),),
    ),
    table(
        "ssd_missing",
        "R",
        "miss_table_id",
        """
        miss_table_id id N
        miss_person_id id N
        miss_missing_episode_start_date datetime N
        miss_missing_episode_type code N ~
        miss_missing_episode_end_date datetime Y
        miss_missing_rhi_offered yn_na Y
        miss_missing_rhi_accepted yn_na Y
        local_rhi_offered_date datetime Y
        local_rhi_completed_date datetime Y
        """,
        orderings=(("miss_missing_episode_start_date", "miss_missing_episode_end_date"),),
    ),
    table(
        "ssd_care_leavers",
        "M",
        "clea_person_id",
        """
        clea_table_id id Y
        clea_person_id id N
        clea_care_leaver_eligibility code N ~
        clea_care_leaver_in_touch code Y @IN_TOUCH
        clea_care_leaver_latest_contact date Y
        clea_care_leaver_accommodation code Y @CL_ACCOM
        clea_care_leaver_accom_suitable code Y 1,2
        clea_care_leaver_activity code Y @ACTIV
        clea_pathway_plan_review_date date Y
        clea_care_leaver_allocated_team id Y
        clea_care_leaver_worker_id id Y
        clea_care_leaver_personal_advisor id Y
        local_staying_put bool Y
        local_apprenticeship bool Y
        """,
    ),
    table(
        "ssd_early_help_episodes",
        "R",
        "earl_episode_id",
        """
        earl_episode_id id N
        earl_person_id id N
        earl_episode_start_date date N
        earl_episode_end_date date Y
        earl_episode_reason str Y
        earl_episode_end_reason code Y ~
        earl_episode_organisation str Y
        earl_episode_worker_id id Y
        local_assessment_date date Y
        local_plan_start_date date Y
        """,
        orderings=(("earl_episode_start_date", "earl_episode_end_date"),),
    ),
    table(
        "ssd_permanence",
        "O",
        "perm_table_id",
        """
        perm_table_id id N
        perm_person_id id N
        perm_cla_id id Y
        perm_adm_decision_date date Y
        perm_ffa_cp_decision_date date Y
        perm_placement_order_date date Y
        perm_matched_date date Y
        perm_placed_for_adoption_date date Y
        perm_decision_reversed_date date Y
        perm_permanence_order_date date Y
        perm_placed_ffa_cp_date date Y
        perm_placed_foster_carer_date date Y
        perm_permanence_order_type code Y ADOPTION,SGO,CAO
        perm_decision_reversed_reason code Y RD1,RD2,RD3,RD4
        perm_adopted_by_carer_flag bool Y
        perm_part_of_sibling_group bool Y
        perm_siblings_placed_together int Y
        perm_siblings_placed_apart int Y
        perm_placement_provider_urn str Y
        perm_adoption_worker_id id Y
        perm_adopter_sex code Y ~
        perm_adopter_legal_status code Y ~
        perm_number_of_adopters str Y
        """,
    ),
    table(
        "ssd_pre_proceedings",
        "O",
        "prep_table_id",
        """
        prep_table_id id N
        prep_person_id id N
        prep_pre_pro_decision_date date Y
        prep_initial_pre_pro_meeting_date date Y
        prep_pre_pro_outcome code Y ~
        prep_agree_stepdown_issue_date date Y
        prep_cp_plans_referral_period int Y
        prep_legal_gateway_outcome code Y A,B,C,D
        prep_prev_pre_proc_child int Y
        prep_prev_care_proc_child int Y
        prep_pre_pro_letter_date date Y
        prep_care_pro_letter_date date Y
        prep_pre_pro_meetings_num int Y
        prep_pre_pro_parents_legal_rep code Y ~
        prep_parents_legal_rep_point_of_issue code Y ~
        prep_care_proc_court_hearings int Y
        prep_care_proc_short_notice code Y ~
        prep_proc_short_notice_reason code Y ~
        prep_la_inital_plan_approved code Y ~
        prep_la_initial_care_plan code Y A,B,C,D,E,F,G,H
        prep_la_final_plan_approved code Y ~
        prep_la_final_care_plan code Y A,B,C,D,E,F,G,H
        """,
        prohibited=("prep_court_reference", "prep_plo_family_id"),
    ),
)

LOCAL = (
    table(
        "local_case_supervision",
        "R",
        "supervision_id",
        """
        supervision_id id N
        person_id id N
        referral_id id Y
        supervision_date date N
        supervisor_worker_id id N
        case_worker_id id Y
        supervision_type code N CASE_SUP,MO,MIDWAY_REVIEW,OTHER
        """,
    ),
    table(
        "local_staff_supervision",
        "R",
        "supervision_id",
        """
        supervision_id id N
        worker_id id Y
        person_id id Y
        supervision_date date N
        supervisor_worker_id id Y
        supervision_kind code N PERSONAL,GROUP,REFLECTIVE
        shared_date date Y
        quality_rating code Y OUTSTANDING,GOOD,RI,INADEQUATE
        rated_by_role code Y PIM,TM,OTHER
        """,
        at_least_one=(("worker_id", "person_id"),),
        orderings=(("supervision_date", "shared_date"),),
    ),
    table(
        "local_audits",
        "R",
        "audit_id",
        """
        audit_id id N
        person_id id Y
        audit_date date N
        audit_type code N CORE,MODERATED,THEMATIC,MULTI_AGENCY,DIP_SAMPLE,PRE_BIRTH
        audit_status code Y COMPLETE,ABORTED
        theme str:100 Y
        auditor_worker_id id Y
        grade code Y @GRADE
        moderated_grade code Y @GRADE
        supervision_file_grade code Y @GRADE
        case_worker_id id Y
        team_id id Y
        """,
    ),
    table(
        "local_peps",
        "R",
        "pep_id",
        """
        pep_id id N
        person_id id N
        pep_date date N
        pep_status code N DRAFT,COMPLETE,QA_APPROVED
        term code Y AUT,SPR,SUM
        academic_year fy Y
        school_urn str:8 Y
        year_group code Y @YEAR_GROUP
        """,
    ),
    table(
        "local_strategy_discussions",
        "O",
        "strategy_id",
        """
        strategy_id id N
        person_id id N
        referral_id id Y
        strategy_date date N
        police_present bool Y
        health_present bool Y
        education_present bool Y
        sw_present bool Y
        outcome code Y S47,NO_S47
        """,
    ),
    table(
        "local_visits",
        "O",
        "visit_id",
        """
        visit_id id N
        person_id id N
        visit_date date N
        visit_context code N ASSESS,PATHWAY,PF,EH,OTHER
        statutory bool Y
        child_seen bool Y
        seen_alone yn_na Y
        worker_id id Y
        """,
    ),
    table(
        "local_care_leaver_contacts",
        "O",
        "person_id contact_date",
        """
        person_id id N
        contact_date date N
        in_touch code N @IN_TOUCH
        activity code Y @ACTIV
        accommodation code Y @ACCOM
        staying_put bool Y
        apprenticeship bool Y
        pa_worker_id id Y
        """,
    ),
    table(
        "local_pathway_plans",
        "O",
        "person_id plan_date",
        """
        person_id id N
        plan_date date N
        plan_type code N INITIAL,REVIEW
        """,
    ),
    table(
        "local_forms",
        "O",
        "form_id",
        """
        form_id id N
        person_id id N
        referral_id id Y
        form_type code N CE_TOOL,NEGLECT_TOOL,GCP2,PREBIRTH,OTHER
        completed_date date Y
        """,
    ),
    table(
        "local_foster_carers",
        "O",
        "carer_id",
        """
        carer_id id N
        carer_type code N MAINSTREAM,CONNECTED
        approval_date date N
        deregistration_date date Y
        approved_places int Y range=0..99
        """,
        orderings=(("approval_date", "deregistration_date"),),
    ),
    table(
        "local_private_fostering",
        "O",
        "pf_id",
        """
        pf_id id N
        person_id id N
        notification_date date N
        start_date date Y
        end_date date Y
        """,
        orderings=(("start_date", "end_date"),),
    ),
    table(
        "local_audit_domains",
        "O",
        "audit_id domain_ref",
        """
        audit_id id N
        domain_ref str:8 N
        domain code N ASSESSMENT,PLANS,COORDINATION,REVIEWS,CHILD_CENTRED,OUTCOMES,MGMT_OVERSIGHT,OVERALL,OTHER
        grade code N @GRADE
        """,
    ),
    table(
        "local_care_proceedings",
        "O",
        "proceedings_id",
        """
        proceedings_id id N
        person_id id N
        plo_start_date date Y
        issue_date date N
        final_order_date date Y
        final_outcome code Y @PROCEEDINGS_OUTCOME
        order_type code Y S31_CARE,S31_SUPERVISION,PLACEMENT,OTHER
        """,
        orderings=(("issue_date", "final_order_date"),),
    ),
    table(
        "local_yj_cohort",
        "O",
        "yj_person_ref cohort_period",
        """
        yj_person_ref id N
        person_id id Y
        cohort_period str N
        index_date date N
        index_type code Y CAUTION,CONVICTION,CUSTODY_RELEASE
        reoffence_date date Y
        suitable_accommodation bool Y
        as_at date N
        """,
    ),
    table(
        "local_education_attainment",
        "O",
        "person_id academic_year",
        """
        person_id id N
        academic_year fy N
        key_stage code N KS2,KS4
        eligible_cohort bool N
        ks2_rwm_expected bool Y
        att8_score dec:4.1 Y
        p8_score dec:4.2 Y
        """,
    ),
    table(
        "local_attendance",
        "O",
        "person_id academic_year term",
        """
        person_id id N
        academic_year fy N
        term code N AUT,SPR,SUM
        possible_sessions int N
        attended_sessions int N
        """,
        orderings=(("attended_sessions", "possible_sessions"),),
    ),
    table(
        "local_survey_responses",
        "O",
        "response_id question_id",
        """
        response_id id N
        survey_id id N
        respondent_type code N CLA,CHILD,FAMILY,STAFF,CARER
        person_id id Y
        worker_id id Y
        response_date date N
        question_id str:32 N
        score dec:4.1 Y range=1..5
        positive bool Y
        """,
    ),
    table(
        "local_family_network_meetings",
        "O",
        "meeting_id",
        """
        meeting_id id N
        person_id id Y
        family_id id Y
        meeting_date date N
        team_id id Y
        meeting_type code Y FGC,FNM,OTHER
        """,
    ),
    table(
        "local_clinical_involvements",
        "O",
        "involvement_id",
        """
        involvement_id id N
        person_id id N
        start_date date N
        end_date date Y
        outcome code Y RESILIENCE,RETURN_HOME,BREAKDOWN_PREVENTED,OTHER
        """,
        orderings=(("start_date", "end_date"),),
    ),
    table(
        "local_placement_requests",
        "O",
        "request_id",
        """
        request_id id N
        person_id id N
        request_date date N
        placement_type_sought code Y @PLACE
        emergency bool N
        resulting_decom date Y
        """,
    ),
    table(
        "local_supporting_families_claims",
        "O",
        "claim_id",
        """
        claim_id id N
        family_id id N
        claim_date date N
        claim_status code N SUBMITTED,SUCCESSFUL,REJECTED
        """,
    ),
    table(
        "local_improvement_actions",
        "O",
        "action_ref status_date",
        """
        action_ref str:16 N
        priority str:16 Y
        status_date date N
        status code N @ACTION_STATUS
        """,
    ),
)

HR = (
    table(
        "hr_post",
        "M",
        "post_id funded_from",
        """
        post_id id N
        funded_from date N future
        funded_to date Y future
        cost_centre str:16 N
        team_id id Y
        job_title str:100 Y
        job_family code N @JOB_FAMILY
        frontline_case_holding bool N
        grade str:16 Y
        budgeted_fte dec:4.2 N range=0..2
        """,
        orderings=(("funded_from", "funded_to"),),
    ),
    table(
        "hr_employee",
        "M",
        "person_id post_id start_date",
        """
        person_id id N
        worker_id id Y
        post_id id N
        contract_type code N @CONTRACT_TYPE
        fte dec:4.2 N range=0..1.5
        start_date date N
        end_date date Y future
        employment_start_date date N
        qualified_sw bool Y
        asye bool Y
        asye_completion_date date Y
        overseas_recruit bool Y
        """,
        orderings=(("start_date", "end_date"),),
        overlap_cap=OverlapCap("person_id", "start_date", "end_date", "fte", "contract_type", "PERM", Decimal("1.5")),
    ),
    table(
        "hr_agency_assignment",
        "M",
        "agency_assignment_id",
        """
        agency_assignment_id id N
        agency_worker_ref id N
        person_id id Y
        worker_id id Y
        agency_name str:100 Y
        post_id id Y
        cost_centre str:16 N
        team_id id Y
        role code N @JOB_FAMILY
        fte dec:4.2 N
        start_date date N
        end_date date Y future
        charge_rate_hourly dec:8.2 Y
        managed_team bool Y
        """,
        orderings=(("start_date", "end_date"),),
    ),
    table(
        "hr_leaver",
        "M",
        "person_id leave_date",
        """
        person_id id N
        leave_date date N
        post_id id Y
        contract_type code N @CONTRACT_TYPE
        reason code N RESIGNATION,RETIREMENT,DISMISSAL,END_FTC,REDUNDANCY,DEATH,TUPE,OTHER
        voluntary bool N
        exit_interview_done bool Y
        """,
    ),
    table(
        "hr_absence",
        "M",
        "absence_id",
        """
        absence_id id N
        person_id id N
        start_date date N
        end_date date Y
        absence_type code N SICKNESS,OTHER
        working_days_lost dec:6.2 Y
        fte_at_time dec:4.2 Y
        long_term bool Y
        """,
        orderings=(("start_date", "end_date"),),
    ),
    table(
        "hr_appraisal",
        "O",
        "person_id appraisal_date",
        """
        person_id id N
        appraisal_date date N
        valid_until date N future
        """,
    ),
    table(
        "hr_training",
        "O",
        "person_id course_code completed_date",
        """
        person_id id N
        course_code str:32 N
        completed_date date N
        """,
    ),
)

FIN = (
    table(
        "fin_ledger",
        "M",
        "ledger_line_id",
        """
        ledger_line_id id N
        fy fy N
        period month N
        fin_period int Y range=1..13
        cost_centre str:16 N
        subjective_code str:16 N
        amount_gbp gbp N
        line_type code N ACTUAL,ACCRUAL,COMMITMENT,REVERSAL
        supplier_id id Y
        description str:200 Y
        child_id id Y
        """,
        within_fy=(("period", "fy"),),
    ),
    table(
        "fin_trial_balance",
        "R",
        "fy period cost_centre subjective_code",
        """
        fy fy N
        period month N
        cost_centre str:16 N
        subjective_code str:16 N
        ytd_amount_gbp gbp N
        """,
    ),
    table(
        "fin_budget",
        "M",
        "fy budget_version cost_centre subjective_code period",
        """
        fy fy N
        budget_version code N ORIGINAL,REVISED
        cost_centre str:16 N
        subjective_code str:16 N
        period month Y
        budget_gbp gbp N
        """,
    ),
    table(
        "fin_forecast",
        "M",
        "fy as_of_period cost_centre subjective_code",
        """
        fy fy N
        as_of_period month N
        cost_centre str:16 N
        subjective_code str:16 N
        forecast_full_year_gbp gbp N
        """,
    ),
    table(
        "fin_placement_budget",
        "R",
        "fy finance_placement_type",
        """
        fy fy N
        finance_placement_type code N @FIN_PLACEMENT_TYPE key
        budget_fte dec:8.2 N
        budget_weekly_rate_gbp gbp N
        budget_total_gbp gbp N
        """,
    ),
    table(
        "fin_placement_commitment",
        "R",
        "commitment_id rate_effective_from",
        """
        commitment_id id N
        rate_effective_from date N
        rate_effective_to date Y future
        child_id id N
        provider_id id N
        finance_placement_type code N @FIN_PLACEMENT_TYPE key
        cost_centre str:16 N
        weekly_rate_gbp gbp N range=0..99999999
        start_date date N
        end_date date Y
        expected_end_date date Y future
        health_contribution_pct dec:5.2 Y range=0..100
        education_contribution_pct dec:5.2 Y range=0..100
        uasc_flag bool Y
        framework code Y ON,OFF,SPOT
        status code N ACTIVE,ENDED,CANCELLED
        cla_decom date Y
        placement_id id Y
        """,
        orderings=(("start_date", "end_date"), ("rate_effective_from", "rate_effective_to")),
    ),
    table(
        "fin_provider",
        "R",
        "provider_id",
        """
        provider_id id N
        urn str:8 Y
        provider_name str:100 Y
        provider_type code N @PROVIDER_TYPE
        inhouse bool N
        postcode postcode Y
        registered_places int Y range=0..999
        ofsted_grade code Y O,G,RI,I,NOT_INSPECTED
        ofsted_date date Y
        """,
    ),
    table(
        "fin_savings_tracker",
        "O",
        "fy saving_id as_of_period",
        """
        fy fy N
        saving_id id N
        description str:200 Y
        required_gbp gbp N
        delivered_gbp gbp N
        as_of_period month N
        """,
    ),
    table(
        "fin_balance_sheet",
        "O",
        "as_at_date line",
        """
        as_at_date date N
        line code N DEBTORS,CASH,CREDITORS_LT1Y,CREDITORS_GT1Y,RESERVES
        amount_gbp gbp N
        """,
    ),
)

REF = (
    table(
        "ref_la_profile",
        "M",
        "la_code",
        """
        la_name str N
        dfe_la_number str:3 N
        office_postcode postcode N
        organisation_name str Y
        source_preference json Y
        first_reporting_month month Y
        """,
    ),
    table(
        "ref_onspd",
        "M",
        "pcds",
        """
        pcds postcode N
        oseast1m int Y
        osnrth1m int Y
        oslaua str:9 Y
        oscty str:9 Y
        ctry str:9 Y
        doterm str:6 Y
        """,
    ),
    table(
        "ref_bank_holidays",
        "M",
        "date",
        """
        date date N future
        title str Y
        division code Y england-and-wales,scotland,northern-ireland
        """,
    ),
    table(
        "ref_provider_ofsted",
        "R",
        "urn inspection_date",
        """
        urn str:8 N
        provider_type str Y
        registration_status code Y ACTIVE,CLOSED,SUSPENDED
        provider_la_code str:9 Y
        setting_postcode postcode Y
        registered_places int Y
        inspection_date date N
        overall_effectiveness code N 1,2,3,4,NI
        snapshot_date date N
        """,
        la_code_as="provider_la_code",  # the setting's LA, not the delivering one: no F06 check
    ),
    table(
        "ref_school_ofsted",
        "R",
        "urn inspection_date",
        """
        urn str:8 N
        school_phase str Y
        inspection_date date N
        overall_effectiveness code Y 1,2,3,4
        snapshot_date date N
        """,
    ),
    table(
        "ref_population",
        "R",
        "year age sex",
        """
        year int N range=1990..2100
        age int N range=0..17
        sex code Y M,F,T
        population int N range=0..100000000
        """,
    ),
    table(
        "ref_population_ethnicity",
        "O",
        "ethnic_group",
        """
        ethnic_group code N ~
        population_u18 int N range=0..100000000
        source str Y
        """,
    ),
    table(
        "ref_local_code_map",
        "R",
        "table_name column_name local_value",
        """
        table_name str N
        column_name str N
        local_value str N
        contract_value code N ~
        valid_from date Y future
        valid_to date Y future
        """,
    ),
    table(
        "ref_cost_centre_map",
        "M",
        "cost_centre",
        """
        cost_centre str:16 N
        description str Y
        finance_placement_type code Y @FIN_PLACEMENT_TYPE
        service_code code Y @SERVICE
        valid_from date Y future
        valid_to date Y future
        """,
    ),
    table(
        "ref_subjective_map",
        "M",
        "subjective_code",
        """
        subjective_code str:16 N
        description str Y
        subjective_group code N @SUBJECTIVE_GROUP
        """,
    ),
)

# §2.1: SSD tables the contract lets an LA deliver but v1 does not read (W02, not landed).
_SSD_IGNORED = (
    "ssd_send",
    "ssd_sen_need",
    "ssd_voice_of_child",
    "ssd_linked_identifiers",
    "ssd_family",
    "ssd_mother",
    "ssd_cla_immunisations",
    "ssd_cla_substance_misuse",
    "ssd_cla_convictions",
    "ssd_cla_care_plan",
    "ssd_cla_previous_permanence",
    "ssd_s251_finance",
    "ssd_version_log",
    "ssd_api_data_staging",
)

REGISTRY = Registry(
    tables=SSD + LOCAL + HR + FIN + REF,
    ignored=dict.fromkeys((*_SSD_IGNORED, "ssd_ehcp_"), "is not read in v1 (input contract §2.1)"),
)
