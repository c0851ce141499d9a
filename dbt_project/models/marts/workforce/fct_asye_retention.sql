-- Members of p_asye_retention (kpi-catalogue §1.2): a cohort snapshot on each of the 13 period ends (window
-- 'month_end'). Cohort: everyone whose ASYE was completed on or after 1 October 2018 (the catalogue's "since Oct
-- 2018"; the earliest asye_completion_date of the person) and whose 12-month point (completion + 12 calendar
-- months) is on or before the period end. Retained: the person holds an employee assignment on the 12-month point
-- (start_date <= d <= end_date). The counts are of people; the item is the person. A person still in post on
-- the period end is attributed to their primary position then; anyone else is UNALLOCATED.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

assignments as (
    select * from {{ ref('int_workforce_assignments_unioned') }}
    where assignment_source = 'employee'
),

people as (
    select * from {{ ref('int_workforce_people_at_month_end') }}
),

completers as (
    select
        la_code,
        person_ref,
        min(asye_completion_date) as completion_date
    from assignments
    where asye_completion_date is not null
    group by la_code, person_ref
),

cohort as (
    select
        la_code,
        person_ref,
        completion_date,
        {{ add_months('completion_date', 12) }} as retention_date
    from completers
    where completion_date >= cast('2018-10-01' as date)
),

retained as (
    select distinct
        cohort.la_code,
        cohort.person_ref
    from cohort
    inner join assignments
        on
            cohort.la_code = assignments.la_code
            and cohort.person_ref = assignments.person_ref
            and cohort.retention_date >= assignments.start_date
            and (assignments.end_date is null or cohort.retention_date <= assignments.end_date)
),

shaped as (
    select
        cohort.la_code,
        'p_asye_retention' as kpi_id,
        periods.period_end,
        'month_end' as measure_window,
        periods.period_end as snapshot_date,
        {{ worker_key('cohort.la_code', 'cohort.person_ref') }} as worker_key,
        {{ worker_key('cohort.la_code', 'cohort.person_ref') }} as item_key,
        'asye_completer' as item_type,
        cohort.completion_date as event_date,
        case when retained.person_ref is not null then 'retained' else 'not_retained' end as status,
        true as in_denominator,
        retained.person_ref is not null as in_numerator,
        case when retained.person_ref is not null then 1 else 0 end as numerator_amount,
        1 as denominator_amount,
        people.service_code,
        people.team_id,
        people.role_code
    from cohort
    inner join periods
        on cohort.retention_date <= periods.period_end
    left join retained
        on cohort.la_code = retained.la_code and cohort.person_ref = retained.person_ref
    left join people
        on
            cohort.la_code = people.la_code
            and cohort.person_ref = people.person_ref
            and periods.period_end = people.month_end
),

final as (
    {{ workforce_members_final('shaped') }}
)

select * from final
