-- Everyone who holds (or held) a position: employees' assignments (hr_employee) and agency assignments
-- (hr_agency_assignment) in one shape (input contract §4.1). HR end dates are the LAST day of the assignment, so an
-- assignment is held on d when start_date <= d <= end_date (null = current). A person is identified by the HR
-- person number when there is one (an agency worker who is or becomes an employee keeps it), else by the agency's
-- reference: person_ref is 'hr:<person_id>' or 'agency:<agency_worker_ref>'. Agency rows have contract_type
-- 'AGENCY'.
with

employees as (
    select * from {{ ref('stg_hr__employee_assignments') }}
),

agency as (
    select * from {{ ref('stg_hr__agency_assignments') }}
),

unioned as (
    select
        la_code,
        cast('employee' as varchar) as assignment_source,
        hr_person_id || '|' || post_id || '|' || cast(start_date as varchar) as assignment_id,
        'hr:' || hr_person_id as person_ref,
        hr_person_id,
        cast(null as varchar) as agency_worker_ref,
        worker_id,
        post_id,
        cast(null as varchar) as own_team_id,
        cast(null as varchar) as own_role_code,
        contract_type,
        fte,
        start_date,
        end_date,
        employment_start_date,
        coalesce(is_asye, false) as is_asye,
        asye_completion_date,
        false as is_managed_team
    from employees
    union all
    select
        la_code,
        cast('agency' as varchar) as assignment_source,
        agency_assignment_id as assignment_id,
        case
            when hr_person_id is not null then 'hr:' || hr_person_id
            else 'agency:' || agency_worker_ref
        end as person_ref,
        hr_person_id,
        agency_worker_ref,
        worker_id,
        post_id,
        team_id as own_team_id,
        role_code as own_role_code,
        cast('AGENCY' as varchar) as contract_type,
        fte,
        start_date,
        end_date,
        cast(null as date) as employment_start_date,
        false as is_asye,
        cast(null as date) as asye_completion_date,
        coalesce(is_managed_team, false) as is_managed_team
    from agency
),

final as (
    select * from unioned
)

select * from final
