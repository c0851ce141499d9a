-- hr_agency_assignment (input contract §4.1): agency (interim) assignments as they stood at the period end (full
-- refresh inside the window, macros/landing/authoritative_event_rows.sql; record date = end date, null while
-- current). Readable names, no business rules; the charge rate is kept for the finance cross-check.
with

source as (
    select * from {{ source('landing', 'hr_agency_assignment') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['agency_assignment_id'], 'hr_agency_assignment', 'end_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(agency_assignment_id as varchar) as agency_assignment_id,
        cast(agency_worker_ref as varchar) as agency_worker_ref,
        cast(person_id as varchar) as hr_person_id,
        cast(worker_id as varchar) as worker_id,
        cast(agency_name as varchar) as agency_name,
        cast(post_id as varchar) as post_id,
        cast(cost_centre as varchar) as cost_centre,
        cast(team_id as varchar) as team_id,
        cast(role as varchar) as role_code,
        cast(fte as numeric(4, 2)) as fte,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(charge_rate_hourly as numeric(8, 2)) as charge_rate_hourly,
        cast(managed_team as boolean) as is_managed_team,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
