-- hr_training (input contract §4.1, optional): course completions as they stood at the period end (full refresh
-- inside the window, macros/landing/authoritative_event_rows.sql; record date = the completion date).
with

source as (
    select * from {{ source('landing', 'hr_training') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['person_id', 'course_code', 'completed_date'], 'hr_training', 'completed_date'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(person_id as varchar) as hr_person_id,
        cast(course_code as varchar) as course_code,
        cast(completed_date as date) as completed_date,
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
