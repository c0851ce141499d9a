-- One row per person in post on each workforce month end, placed at their primary position: an employee
-- assignment before an agency one, then the largest FTE, then the latest start (a person moving team mid-month is
-- in the new team at the month end). Headcount counts these rows; the person-level indicators (turnover,
-- sickness, supervision, ASYE retention) take their team, service and role from here. FTE and the assignment
-- counts add up every position the person holds.
with

positions as (
    select * from {{ ref('int_workforce_positions_at_month_end') }}
),

ranked as (
    select
        positions.*,
        row_number() over (
            partition by positions.la_code, positions.person_ref, positions.month_end
            order by
                case when positions.assignment_source = 'employee' then 0 else 1 end,
                positions.fte desc,
                positions.start_date desc,
                positions.assignment_id asc
        ) as position_rank,
        sum(positions.fte) over (
            partition by positions.la_code, positions.person_ref, positions.month_end
        ) as total_fte,
        max(case when positions.assignment_source = 'employee' then 1 else 0 end) over (
            partition by positions.la_code, positions.person_ref, positions.month_end
        ) as has_employee_assignment,
        max(case when positions.assignment_source = 'employee' and positions.contract_type = 'PERM' then 1 else 0 end)
            over (partition by positions.la_code, positions.person_ref, positions.month_end)
            as has_permanent_assignment,
        min(positions.employment_start_date) over (
            partition by positions.la_code, positions.person_ref, positions.month_end
        ) as employment_start_date_min
    from positions
),

final as (
    select
        la_code,
        month_end,
        person_ref,
        hr_person_id,
        assignment_source as primary_assignment_source,
        contract_type as primary_contract_type,
        team_id,
        service_code,
        role_code,
        is_frontline,
        cast(total_fte as numeric(6, 2)) as total_fte,
        has_employee_assignment = 1 as is_employee,
        has_permanent_assignment = 1 as is_permanent,
        employment_start_date_min as employment_start_date
    from ranked
    where position_rank = 1
)

select * from final
