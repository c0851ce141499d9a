-- What HR knows about each case-holding worker on every snapshot date (input contract §4.1 "every case-holding
-- worker on an open allocation maps to an hr_employee or hr_agency_assignment row active on that date";
-- kpi-catalogue §5.8 gate 5; b21f FTE and ASYE status): one row per (la_code, snapshot_date, worker) of
-- int_caseload_workers_on_dates.
--   link      an HR row is the worker's when it names the worker (its worker_id) or the worker's HR person
--             (ssd_professionals local_hr_person_id = its person_id); hr_match_basis says which (worker_id first).
--   active    an assignment is active on d when start_date <= d and (end_date is null or end_date >= d): HR end
--             dates are the last day of the assignment (input contract §4.1), unlike allocations.
--   status    'employee' (an active employee assignment), 'agency' (an active agency assignment only),
--             'hr_record_not_active' (HR rows linked, none active on d), 'not_in_hr' (no HR row linked).
--   hr_fte    the sum of the FTE of the active employee assignments, else of the active agency assignments (a
--             conversion day with both counts the employment once).
--   is_hr_asye an active employee assignment flagged asye whose asye_completion_date is null or after d.
with

workers as (
    select * from {{ ref('int_caseload_workers_on_dates') }}
),

employees as (
    select * from {{ ref('stg_hr__employee_assignments') }}
),

agency as (
    select * from {{ ref('stg_hr__agency_assignments') }}
),

hr_rows as (
    select
        la_code,
        cast('employee' as varchar) as assignment_kind,
        hr_person_id,
        worker_id,
        fte,
        start_date,
        end_date,
        coalesce(is_asye, false) as is_asye,
        asye_completion_date
    from employees
    union all
    select
        la_code,
        cast('agency' as varchar) as assignment_kind,
        hr_person_id,
        worker_id,
        fte,
        start_date,
        end_date,
        false as is_asye,
        cast(null as date) as asye_completion_date
    from agency
),

linked as (
    select
        workers.la_code,
        workers.snapshot_date,
        workers.worker_id,
        hr_rows.assignment_kind,
        hr_rows.fte,
        hr_rows.is_asye,
        hr_rows.asye_completion_date,
        case when hr_rows.worker_id = workers.worker_id then 'worker_id' else 'hr_person_id' end as match_basis,
        hr_rows.start_date <= workers.snapshot_date
        and (hr_rows.end_date is null or hr_rows.end_date >= workers.snapshot_date) as is_active
    from workers
    inner join hr_rows
        on
            workers.la_code = hr_rows.la_code
            and (
                workers.worker_id = hr_rows.worker_id
                or workers.hr_person_id = hr_rows.hr_person_id
            )
),

summarised as (
    select
        la_code,
        snapshot_date,
        worker_id,
        max(case when match_basis = 'worker_id' then 1 else 0 end) as is_matched_on_worker_id,
        max(case when is_active and assignment_kind = 'employee' then 1 else 0 end) as has_active_employee,
        max(case when is_active and assignment_kind = 'agency' then 1 else 0 end) as has_active_agency,
        sum(case when is_active and assignment_kind = 'employee' then fte end) as employee_fte,
        sum(case when is_active and assignment_kind = 'agency' then fte end) as agency_fte,
        max(
            case
                when
                    is_active and is_asye
                    and (asye_completion_date is null or asye_completion_date > snapshot_date)
                    then 1
                else 0
            end
        ) as has_active_asye
    from linked
    group by la_code, snapshot_date, worker_id
),

final as (
    select
        workers.la_code,
        workers.snapshot_date,
        workers.worker_id,
        case
            when summarised.has_active_employee = 1 then 'employee'
            when summarised.has_active_agency = 1 then 'agency'
            when summarised.worker_id is not null then 'hr_record_not_active'
            else 'not_in_hr'
        end as hr_match_status,
        case
            when summarised.is_matched_on_worker_id = 1 then 'worker_id'
            when summarised.worker_id is not null then 'hr_person_id'
        end as hr_match_basis,
        cast(coalesce(summarised.employee_fte, summarised.agency_fte) as numeric(4, 2)) as hr_fte,
        coalesce(summarised.has_active_asye = 1, false) as is_hr_asye
    from workers
    left join summarised
        on
            workers.la_code = summarised.la_code
            and workers.snapshot_date = summarised.snapshot_date
            and workers.worker_id = summarised.worker_id
)

select * from final
