-- local_staff_supervision (input contract §3) as it stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; a record's date is the supervision date): staff supervision
-- sessions, readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'local_staff_supervision') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['supervision_id'], 'local_staff_supervision', 'supervision_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(supervision_id as varchar) as supervision_id,
        cast(worker_id as varchar) as worker_id,
        cast(person_id as varchar) as hr_person_id,
        cast(supervision_date as date) as supervision_date,
        cast(supervisor_worker_id as varchar) as supervisor_worker_id,
        cast(supervision_kind as varchar) as supervision_kind,
        cast(shared_date as date) as shared_date,
        cast(quality_rating as varchar) as quality_rating,
        cast(rated_by_role as varchar) as rated_by_role,
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
