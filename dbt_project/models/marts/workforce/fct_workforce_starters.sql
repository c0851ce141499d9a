-- Members of the starter flows (kpi-catalogue §1.3 t_returners_2y and t_temp_to_perm), windows month, ytd and
-- rolling_12m of the 13 period ends (inclusive bounds, int_flow_windows_listed). A starter is the start of an
-- employment spell: one row per (HR person, employment_start_date) of hr_employee, dated employment_start_date;
-- its contract is that of the assignment starting that day (PERM first if several).
--   t_returners_2y  every starter; numerator: the person has an hr_leaver row with leave_date in the 24 months
--                   before the start, [start - 24 months, start).
--   t_temp_to_perm  every PERM starter; numerator: the person (HR person id) held an agency assignment in the 12
--                   months before the start (it began before the start and had not ended before start - 12 months).
-- Both are counts (the value is the numerator); the denominator is the starters they are drawn from. A starter is
-- attributed to their primary position on the month end of the start month, when they are still in post then.
with

windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

assignments as (
    select * from {{ ref('int_workforce_assignments_unioned') }}
),

leavers as (
    select * from {{ ref('stg_hr__leavers') }}
),

people as (
    select * from {{ ref('int_workforce_people_at_month_end') }}
),

starts as (
    select
        la_code,
        person_ref,
        hr_person_id,
        employment_start_date,
        max(case when contract_type = 'PERM' and start_date = employment_start_date then 1 else 0 end)
            as is_permanent_start
    from assignments
    where assignment_source = 'employee'
    group by la_code, person_ref, hr_person_id, employment_start_date
),

flagged as (
    select
        starts.*,
        exists(
            select 1
            from leavers
            where
                leavers.la_code = starts.la_code
                and leavers.hr_person_id = starts.hr_person_id
                and leavers.leave_date >= {{ add_months('starts.employment_start_date', -24) }}
                and leavers.leave_date < starts.employment_start_date
        ) as is_returner,
        exists(
            select 1
            from assignments as agency
            where
                agency.assignment_source = 'agency'
                and agency.la_code = starts.la_code
                and agency.hr_person_id = starts.hr_person_id
                and agency.start_date < starts.employment_start_date
                and (
                    agency.end_date is null
                    or agency.end_date >= {{ add_months('starts.employment_start_date', -12) }}
                )
        ) as held_agency_assignment
    from starts
),

members as (
    select
        flagged.la_code,
        'hr:' || flagged.hr_person_id as person_ref,
        flagged.employment_start_date,
        kpi_ids.kpi_id,
        windows.period_end,
        windows.measure_window,
        case
            when kpi_ids.kpi_id = 't_returners_2y' then flagged.is_returner
            else flagged.held_agency_assignment
        end as in_numerator
    from flagged
    inner join windows
        on flagged.employment_start_date between windows.window_start and windows.window_end
    cross join (values ('t_returners_2y'), ('t_temp_to_perm')) as kpi_ids (kpi_id)
    where kpi_ids.kpi_id = 't_returners_2y' or flagged.is_permanent_start = 1
),

shaped as (
    select
        members.la_code,
        members.kpi_id,
        members.period_end,
        members.measure_window,
        members.period_end as snapshot_date,
        {{ worker_key('members.la_code', 'members.person_ref') }} as worker_key,
        {{ pseudonymous_key('members.la_code',
            "'start:' || members.person_ref || '|' || cast(members.employment_start_date as varchar)") }} as item_key,
        'starter' as item_type,
        members.employment_start_date as event_date,
        case
            when members.kpi_id = 't_returners_2y' and members.in_numerator then 'returner'
            when members.kpi_id = 't_temp_to_perm' and members.in_numerator then 'agency_to_permanent'
            else 'starter'
        end as status,
        true as in_denominator,
        members.in_numerator,
        case when members.in_numerator then 1 else 0 end as numerator_amount,
        1 as denominator_amount,
        people.service_code,
        people.team_id,
        people.role_code
    from members
    left join people
        on
            members.la_code = people.la_code
            and members.person_ref = people.person_ref
            and people.month_end = {{ add_days(add_months(month_start('members.employment_start_date'), 1), -1) }}
),

final as (
    {{ workforce_members_final('shaped') }}
)

select * from final
