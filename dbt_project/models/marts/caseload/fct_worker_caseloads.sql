-- Caseload per worker on every snapshot date (kpi-catalogue §1.1 b21, §1.3 t_avg_caseload_*, §2.5 B9;
-- docs/marts/caseload.md): one row per (la_code, period_end, measure_window, snapshot_date, worker) holding at
-- least one ALLOCATED_SW case on the date, for the month ends ('month_end') and the weekly Compliance Report dates
-- ('weekly') of int_snapshot_dates_listed. Team, service and worker facts as int_caseload_workers_on_dates.
--   fte       the worker's FTE on the date for the b21f variant: the HR assignment when HR is linked (see
--             int_caseload_workers_hr_matched), else the case system's prof_full_time_equivalency (input contract
--             §2.2 "fallback for b21f"), else 1 (fte_source says which).
--   is_asye   an ASYE on the date (the b21x variant leaves them out): the case-system role ASYE, or an HR
--             assignment flagged asye whose programme was not completed by the date.
--   targets   the service target is the register row (ref_kpi_targets) of the service's t_avg_caseload_* KPI
--             (seeds/ref_caseload_service_kpis) in force on the date, an organisation's own row first; the
--             organisation target is b21_avg_caseload_frontline_sw's. A worker is above target when the caseload is
--             strictly greater (the target is the most a worker should hold; direction L): applicable_target
--             is the service target, else (a service without one) the organisation target.
with

workers as (
    select * from {{ ref('int_caseload_workers_on_dates') }}
),

hr as (
    select * from {{ ref('int_caseload_workers_hr_matched') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
),

service_kpis as (
    select * from {{ ref('ref_caseload_service_kpis') }}
),

organisation_dates as (
    select distinct
        la_code,
        snapshot_date
    from workers
),

targets_in_force as (
    -- Each caseload target KPI's target per organisation and date: the organisation's own row first, then the
    -- latest valid_from.
    select ranked.*
    from (
        select
            organisation_dates.la_code,
            organisation_dates.snapshot_date,
            register.kpi_id,
            register.target,
            row_number() over (
                partition by organisation_dates.la_code, organisation_dates.snapshot_date, register.kpi_id
                order by case when register.grain_key is null then 1 else 0 end, register.valid_from desc
            ) as preference
        from organisation_dates
        inner join register
            on
                register.grain = 'company'
                and (register.grain_key is null or organisation_dates.la_code = register.grain_key)
                and organisation_dates.snapshot_date >= register.valid_from
                and (register.valid_to is null or organisation_dates.snapshot_date <= register.valid_to)
        where
            register.kpi_id = 'b21_avg_caseload_frontline_sw'
            or register.kpi_id in (select service_kpis.kpi_id from service_kpis)
    ) as ranked
    where ranked.preference = 1
),

enriched as (
    select
        workers.*,
        hr.hr_fte,
        hr.is_hr_asye,
        coalesce(hr.hr_match_status, 'not_in_hr') as hr_match_status,
        coalesce(hr.hr_fte, workers.case_system_fte, 1) as fte,
        case
            when hr.hr_fte is not null then 'hr'
            when workers.case_system_fte is not null then 'case_system'
            else 'default_1'
        end as fte_source,
        workers.is_asye_role or coalesce(hr.is_hr_asye, false) as is_asye,
        service_targets.target as service_target,
        organisation_targets.target as organisation_target
    from workers
    left join hr
        on
            workers.la_code = hr.la_code
            and workers.snapshot_date = hr.snapshot_date
            and workers.worker_id = hr.worker_id
    left join service_kpis
        on workers.service_code = service_kpis.service_code
    left join targets_in_force as service_targets
        on
            workers.la_code = service_targets.la_code
            and workers.snapshot_date = service_targets.snapshot_date
            and service_kpis.kpi_id = service_targets.kpi_id
    left join targets_in_force as organisation_targets
        on
            workers.la_code = organisation_targets.la_code
            and workers.snapshot_date = organisation_targets.snapshot_date
            and organisation_targets.kpi_id = 'b21_avg_caseload_frontline_sw'
),

final as (
    select
        cast(enriched.la_code as varchar) as la_code,
        cast(snapshot_dates.period_end as date) as period_end,
        cast(snapshot_dates.measure_window as varchar) as measure_window,
        cast(enriched.snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('enriched.la_code', 'enriched.worker_id') }} as varchar) as worker_key,
        cast(enriched.case_count as integer) as case_count,
        cast(enriched.team_id as varchar) as team_id,
        cast(enriched.team_count as integer) as team_count,
        cast(enriched.home_team_id as varchar) as home_team_id,
        cast(enriched.service_code as varchar) as service_code,
        cast(enriched.role_code as varchar) as role_code,
        cast(enriched.is_in_case_system as boolean) as is_in_case_system,
        cast(enriched.is_qualified_sw as boolean) as is_qualified_sw,
        cast(enriched.is_case_holding as boolean) as is_case_holding,
        cast(enriched.is_frontline_social_worker as boolean) as is_frontline_social_worker,
        cast(enriched.is_asye as boolean) as is_asye,
        cast(enriched.is_agency_worker as boolean) as is_agency_worker,
        cast(enriched.fte as numeric(4, 2)) as fte,
        cast(enriched.fte_source as varchar) as fte_source,
        cast(enriched.hr_match_status as varchar) as hr_match_status,
        cast(enriched.service_target as numeric(18, 1)) as service_target,
        cast(enriched.organisation_target as numeric(18, 1)) as organisation_target,
        cast(
            coalesce(enriched.service_target, enriched.organisation_target) as numeric(18, 1)
        ) as applicable_target,
        cast(
            coalesce(enriched.case_count > coalesce(enriched.service_target, enriched.organisation_target), false)
            as boolean
        ) as is_above_target,
        cast(
            coalesce(enriched.case_count > enriched.organisation_target, false) as boolean
        ) as is_above_organisation_target
    from enriched
    inner join snapshot_dates
        on enriched.snapshot_date = snapshot_dates.snapshot_date
)

select * from final
