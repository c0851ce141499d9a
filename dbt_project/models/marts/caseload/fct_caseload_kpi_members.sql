-- Every item behind every caseload indicator (docs/marts/caseload.md), in the common members shape of
-- fct_compliance_kpi_members plus two columns for ratio indicators: worker_fte and denominator_basis.
--   Average caseloads (b21_avg_caseload_frontline_sw, its FTE variant b21f_avg_caseload_frontline_fte, its
--   ASYE-excluded variant b21x_avg_caseload_excl_asye, and the service averages t_avg_caseload_ra / _sfs / _cla
--   restricted to the service of seeds/ref_caseload_service_kpis): one row per case, i.e. per (child, worker)
--   ALLOCATED_SW allocation open on the snapshot date (int_caseload_allocations_on_dates), on every month end and
--   weekly CR date, attributed to the worker's team and service of fct_worker_caseloads. 'counted' cases are held
--   by a frontline social worker (qualified, case holding, not a manager, PA, IRO or CP chair; kpi-catalogue §2.5
--   B9) and, for b21x, one who is not an ASYE; the others are listed as 'excluded_not_frontline' /
--   'excluded_asye'. The numerator counts the counted cases; the denominator is over their WORKERS
--   (denominator_basis 'workers': distinct worker_key; 'worker_fte': the sum of each worker's FTE).
--   s0_sw_2plus_changes_12m: one row per child allocated to a worker on a month end (fct_child_sw_changes); the
--   numerator holds the children with 2 or more changes of social worker in the rolling 12 months
--   (denominator_basis 'items': counted rows).
with

cases as (
    select * from {{ ref('int_caseload_allocations_on_dates') }}
),

worker_caseloads as (
    select * from {{ ref('fct_worker_caseloads') }}
),

service_kpis as (
    select * from {{ ref('ref_caseload_service_kpis') }}
),

child_changes as (
    select * from {{ ref('fct_child_sw_changes') }}
),

case_rows as (
    select
        cases.la_code,
        worker_caseloads.period_end,
        worker_caseloads.measure_window,
        cases.snapshot_date,
        {{ pseudonymous_key('cases.la_code', 'cases.child_id') }} as child_key,
        {{ pseudonymous_key('cases.la_code', "cases.child_id || '|' || cases.worker_id") }} as item_key,
        cases.start_date,
        worker_caseloads.service_code,
        worker_caseloads.team_id,
        worker_caseloads.worker_key,
        worker_caseloads.is_frontline_social_worker,
        worker_caseloads.is_asye,
        worker_caseloads.fte
    from cases
    inner join worker_caseloads
        on
            cases.la_code = worker_caseloads.la_code
            and cases.snapshot_date = worker_caseloads.snapshot_date
            and {{ pseudonymous_key('cases.la_code', 'cases.worker_id') }} = worker_caseloads.worker_key
),

kpi_cases as (
    select
        case_rows.*,
        cast('b21_avg_caseload_frontline_sw' as varchar) as kpi_id,
        cast('workers' as varchar) as denominator_basis,
        case when case_rows.is_frontline_social_worker then 'counted' else 'excluded_not_frontline' end as status
    from case_rows
    union all
    select
        case_rows.*,
        cast('b21f_avg_caseload_frontline_fte' as varchar) as kpi_id,
        cast('worker_fte' as varchar) as denominator_basis,
        case when case_rows.is_frontline_social_worker then 'counted' else 'excluded_not_frontline' end as status
    from case_rows
    union all
    select
        case_rows.*,
        cast('b21x_avg_caseload_excl_asye' as varchar) as kpi_id,
        cast('workers' as varchar) as denominator_basis,
        case
            when not case_rows.is_frontline_social_worker then 'excluded_not_frontline'
            when case_rows.is_asye then 'excluded_asye'
            else 'counted'
        end as status
    from case_rows
    union all
    select
        case_rows.*,
        service_kpis.kpi_id,
        cast('workers' as varchar) as denominator_basis,
        case when case_rows.is_frontline_social_worker then 'counted' else 'excluded_not_frontline' end as status
    from case_rows
    inner join service_kpis
        on case_rows.service_code = service_kpis.service_code
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast(child_key as varchar) as child_key,
        cast(item_key as varchar) as item_key,
        cast(start_date as date) as start_date,
        cast(null as date) as due_date,
        cast(null as date) as completed_date,
        cast(status as varchar) as status,
        cast(status = 'counted' as boolean) as in_denominator,
        cast(status = 'counted' as boolean) as in_numerator,
        cast(service_code as varchar) as service_code,
        cast(team_id as varchar) as team_id,
        cast(worker_key as varchar) as worker_key,
        cast('allocation' as varchar) as attribution_basis,
        cast(fte as numeric(4, 2)) as worker_fte,
        cast(denominator_basis as varchar) as denominator_basis
    from kpi_cases
    union all
    select
        cast(la_code as varchar) as la_code,
        cast('s0_sw_2plus_changes_12m' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast('month_end' as varchar) as measure_window,
        cast(period_end as date) as snapshot_date,
        cast(child_key as varchar) as child_key,
        cast(child_key as varchar) as item_key,
        cast(window_start as date) as start_date,
        cast(null as date) as due_date,
        cast(last_change_date as date) as completed_date,
        cast(case when has_2plus_changes then '2plus_changes' else 'fewer_changes' end as varchar) as status,
        cast(true as boolean) as in_denominator,
        cast(has_2plus_changes as boolean) as in_numerator,
        cast(service_code as varchar) as service_code,
        cast(nullif(team_id, 'UNALLOCATED') as varchar) as team_id,
        cast(worker_key as varchar) as worker_key,
        cast('allocation' as varchar) as attribution_basis,
        cast(null as numeric(4, 2)) as worker_fte,
        cast('items' as varchar) as denominator_basis
    from child_changes
)

select * from final
