-- Case system against HR (issue 6 part 3; input contract §4.1 integrity rule, AM-14; kpi-catalogue §5.8 gate 5;
-- docs/marts/caseload.md): one row per worker holding at least one ALLOCATED_SW case on a month end, with what HR
-- knows about the worker on that date (int_caseload_workers_hr_matched). An exception is a case-holding worker
-- with no employee or agency assignment active on the date ('hr_record_not_active' or 'not_in_hr'), judged only
-- where the organisation's delivery of that month held an HR assignment table (hr_employee or
-- hr_agency_assignment landed, empty or partly rejected): without one nothing can be reconciled (hr_delivered
-- false, never an exception). fct_caseload_hr_exceptions lists the exceptions; the test
-- caseload_hr_exception_share_within_limit fails the build above the share set by the var
-- caseload_hr_exception_max_share.
with

workers as (
    select * from {{ ref('int_caseload_workers_on_dates') }}
),

hr as (
    select * from {{ ref('int_caseload_workers_hr_matched') }}
),

month_ends as (
    select * from {{ ref('int_snapshot_dates_listed') }}
    where measure_window = 'month_end'
),

deliveries as (
    select * from {{ ref('int_source_tables_delivered') }}
    where table_name in ('hr_employee', 'hr_agency_assignment')
),

hr_delivered as (
    select
        la_code,
        period_end,
        max(case when delivery_status in ('landed', 'empty', 'partly_rejected') then 1 else 0 end) as is_delivered
    from deliveries
    group by la_code, period_end
),

final as (
    select
        cast(workers.la_code as varchar) as la_code,
        cast(month_ends.period_end as date) as period_end,
        cast({{ pseudonymous_key('workers.la_code', 'workers.worker_id') }} as varchar) as worker_key,
        cast(workers.case_count as integer) as case_count,
        cast(workers.team_id as varchar) as team_id,
        cast(workers.service_code as varchar) as service_code,
        cast(workers.role_code as varchar) as role_code,
        cast(workers.is_frontline_social_worker as boolean) as is_frontline_social_worker,
        cast(workers.is_agency_worker as boolean) as is_agency_worker,
        cast(workers.hr_person_id is not null as boolean) as has_hr_person_id,
        cast(hr.hr_match_status as varchar) as hr_match_status,
        cast(hr.hr_match_basis as varchar) as hr_match_basis,
        cast(coalesce(hr_delivered.is_delivered = 1, false) as boolean) as hr_delivered,
        cast(
            coalesce(hr_delivered.is_delivered = 1, false)
            and hr.hr_match_status in ('hr_record_not_active', 'not_in_hr') as boolean
        ) as is_exception
    from workers
    inner join month_ends
        on workers.snapshot_date = month_ends.snapshot_date
    inner join hr
        on
            workers.la_code = hr.la_code
            and workers.snapshot_date = hr.snapshot_date
            and workers.worker_id = hr.worker_id
    left join hr_delivered
        on
            workers.la_code = hr_delivered.la_code
            and month_ends.period_end = hr_delivered.period_end
)

select * from final
