-- cs_worker (input contract §2.2, §7): the case-system workers per ssd_professionals snapshot, with the flags the
-- caseload and workforce measures need. Documented defaults when an extension flag is blank:
--   qualified_sw  <- the worker has a Social Work England number (SW + digits);
--   case_holding  <- the role is a case-holding social-work role (SW, ASYE, SSW).
-- is_frontline_social_worker is the b21 population (kpi-catalogue §1.1 and §2.5 B9): qualified and case holding,
-- ASYEs included, managers (ATM, TM, SM), PAs, IROs and CP chairs excluded.
-- The HR enrichment of §7 (qualified, fte from hr_employee) belongs to the HR models, not here.
with

professionals as (
    select * from {{ ref('stg_ssd__professionals') }}
),

flagged as (
    select
        *,
        coalesce(
            is_qualified_sw,
            coalesce(upper(swe_registration_number) like 'SW%', false)
        ) as qualified_sw_or_default,
        coalesce(
            is_case_holding,
            coalesce(role_code in ('SW', 'ASYE', 'SSW'), false)
        ) as case_holding_or_default
    from professionals
),

final as (
    select
        la_code,
        snapshot_date,
        is_latest_snapshot,
        worker_id,
        hr_person_id,
        staff_id,
        role_code,
        qualified_sw_or_default as is_qualified_sw,
        is_qualified_sw is null as is_qualified_sw_defaulted,
        case_holding_or_default as is_case_holding,
        is_case_holding is null as is_case_holding_defaulted,
        qualified_sw_or_default
        and case_holding_or_default
        and coalesce(role_code not in ('ATM', 'TM', 'SM', 'PA', 'IRO', 'CP_CHAIR'), true) as is_frontline_social_worker,
        team_id,
        fte,
        coalesce(is_agency_worker, false) as is_agency_worker,
        start_date,
        end_date,
        (start_date is null or start_date <= snapshot_date)
        and (end_date is null or end_date > snapshot_date) as is_active_on_snapshot_date,
        load_id
    from flagged
)

select * from final
