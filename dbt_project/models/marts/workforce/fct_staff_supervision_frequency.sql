-- Members of p_staff_9_supervisions_12m (kpi-catalogue §1.2): a snapshot on each of the 13 period ends (window
-- 'month_end') with a 12-month look-back. Population: employees in post on the period end (HR person ids; agency
-- workers are not employees). Requirement: 9 personal (1:1) supervisions in the rolling 12 months
-- (period_end - 12 months, period_end], pro rata for newer starters, ceil(9 x completed months of service / 12)
-- (the catalogue's proposal), where months of service run from employment_start_date to the day after the period
-- end; a starter of less than a month has no requirement yet and is excluded. Supervisions: local_staff_supervision
-- rows of kind PERSONAL, matched on the HR person id or on any case-system worker id of the person's assignments.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

windows as (
    select * from {{ ref('int_flow_windows_listed') }}
    where measure_window = 'rolling_12m'
),

people as (
    select people.*
    from {{ ref('int_workforce_people_at_month_end') }} as people
    inner join periods
        on people.month_end = periods.period_end
    where people.is_employee
),

worker_ids as (
    select distinct
        la_code,
        person_ref,
        worker_id
    from {{ ref('int_workforce_assignments_unioned') }}
    where worker_id is not null
),

supervisions as (
    select * from {{ ref('stg_local__staff_supervision') }}
    where supervision_kind = 'PERSONAL'
),

served as (
    select
        people.la_code,
        people.month_end as period_end,
        people.person_ref,
        people.hr_person_id,
        people.employment_start_date,
        people.service_code,
        people.team_id,
        people.role_code,
        windows.window_start,
        -- Completed months from the employment start to the day after the period end (a month end).
        (extract(year from {{ add_days('people.month_end', 1) }}) - extract(year from people.employment_start_date))
        * 12
        + extract(month from {{ add_days('people.month_end', 1) }})
        - extract(month from people.employment_start_date)
        - case when extract(day from people.employment_start_date) > 1 then 1 else 0 end as months_of_service
    from people
    inner join windows
        on people.month_end = windows.period_end
),

required as (
    select
        served.*,
        cast(
            {{ integer_divide('9 * least(greatest(served.months_of_service, 0), 12) + 11', 12) }} as integer
        ) as required_supervisions
    from served
),

counted as (
    select
        required.la_code,
        required.period_end,
        required.person_ref,
        count(distinct supervisions.supervision_id) as supervisions_in_window
    from required
    inner join supervisions
        on
            required.la_code = supervisions.la_code
            and supervisions.supervision_date between required.window_start and required.period_end
    -- A left join, not EXISTS in the join condition: Spark refuses a correlated subquery that references both join
    -- inputs. worker_ids is distinct, so it matches a (person, supervision) pair at most once.
    left join worker_ids
        on
            required.la_code = worker_ids.la_code
            and required.person_ref = worker_ids.person_ref
            and supervisions.worker_id = worker_ids.worker_id
    where
        required.hr_person_id = supervisions.hr_person_id
        or worker_ids.worker_id is not null
    group by required.la_code, required.period_end, required.person_ref
),

shaped as (
    select
        required.la_code,
        'p_staff_9_supervisions_12m' as kpi_id,
        required.period_end,
        'month_end' as measure_window,
        required.period_end as snapshot_date,
        {{ worker_key('required.la_code', 'required.person_ref') }} as worker_key,
        {{ worker_key('required.la_code', 'required.person_ref') }} as item_key,
        'person' as item_type,
        required.employment_start_date as event_date,
        case
            when required.required_supervisions = 0 then 'excluded'
            when coalesce(counted.supervisions_in_window, 0) >= required.required_supervisions then 'met'
            else 'not_met'
        end as status,
        required.required_supervisions > 0 as in_denominator,
        required.required_supervisions > 0
        and coalesce(counted.supervisions_in_window, 0) >= required.required_supervisions as in_numerator,
        coalesce(counted.supervisions_in_window, 0) as numerator_amount,
        required.required_supervisions as denominator_amount,
        required.service_code,
        required.team_id,
        required.role_code
    from required
    left join counted
        on
            required.la_code = counted.la_code
            and required.period_end = counted.period_end
            and required.person_ref = counted.person_ref
),

final as (
    {{ workforce_members_final('shaped') }}
)

select * from final
