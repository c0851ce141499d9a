-- How caseloads are spread, against the targets (kpi-catalogue §1.1 b21, §1.3 t_avg_caseload_*, §2.5 B9;
-- docs/marts/caseload.md): one row per (la_code, period_end, measure_window, snapshot_date, grain, grain_key) for
-- the company, each service and each team holding cases on a month end or weekly CR date, over the frontline
-- social workers of fct_worker_caseloads (qualified, case holding, ASYEs included, managers excluded).
--   average_caseload      cases / workers, half-up to 1 decimal (exact), = b21 / t_avg_caseload_* at that grain.
--   target                the grain's target: the organisation target (b21) for the company, the service's
--                         target (its t_avg_caseload_* register row) for a service and its teams; null when the
--                         service has none.
--   workers_above_target  workers whose caseload is strictly above their own applicable target (their service's,
--                         else the organisation's; fct_worker_caseloads.is_above_target), and
--   workers_above_organisation_target  strictly above the organisation's b21 target; both also as % of workers.
with

worker_caseloads as (
    select * from {{ ref('fct_worker_caseloads') }}
    where is_frontline_social_worker
),

graded as (
    select
        la_code,
        period_end,
        measure_window,
        snapshot_date,
        cast('company' as varchar) as grain,
        la_code as grain_key,
        organisation_target as grain_target,
        case_count,
        is_above_target,
        is_above_organisation_target
    from worker_caseloads
    union all
    select
        la_code,
        period_end,
        measure_window,
        snapshot_date,
        cast('service' as varchar) as grain,
        service_code as grain_key,
        service_target as grain_target,
        case_count,
        is_above_target,
        is_above_organisation_target
    from worker_caseloads
    union all
    select
        la_code,
        period_end,
        measure_window,
        snapshot_date,
        cast('team' as varchar) as grain,
        team_id as grain_key,
        service_target as grain_target,
        case_count,
        is_above_target,
        is_above_organisation_target
    from worker_caseloads
),

aggregated as (
    select
        la_code,
        period_end,
        measure_window,
        snapshot_date,
        grain,
        grain_key,
        -- A team's workers share its service, so its target is one value; max() only picks it.
        max(grain_target) as target,
        count(*) as worker_count,
        sum(case_count) as case_count,
        max(case_count) as max_caseload,
        min(case_count) as min_caseload,
        count(case when is_above_target then 1 end) as workers_above_target,
        count(case when is_above_organisation_target then 1 end) as workers_above_organisation_target
    from graded
    group by la_code, period_end, measure_window, snapshot_date, grain, grain_key
),

averaged as (
    -- round_half_up(cases / workers, 1) = floor((2 x 10 x cases + workers) / (2 x workers)) / 10, exactly.
    select
        *,
        {{ integer_divide('2 * 10 * cast(case_count as bigint) + worker_count', '2 * worker_count') }}
            as average_tenths
    from aggregated
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast(grain as varchar) as grain,
        cast(grain_key as varchar) as grain_key,
        cast(worker_count as integer) as worker_count,
        cast(case_count as integer) as case_count,
        cast(cast(average_tenths as numeric(38, 1)) / 10 as numeric(18, 1)) as average_caseload,
        cast(target as numeric(18, 1)) as target,
        cast(min_caseload as integer) as min_caseload,
        cast(max_caseload as integer) as max_caseload,
        cast(workers_above_target as integer) as workers_above_target,
        {{ percent_half_up('workers_above_target', 'worker_count', 1) }} as workers_above_target_pct,
        cast(workers_above_organisation_target as integer) as workers_above_organisation_target,
        {{ percent_half_up('workers_above_organisation_target', 'worker_count', 1) }}
            as workers_above_organisation_target_pct
    from averaged
)

select * from final
