-- hr_appraisal (input contract §4.1, optional): appraisals as they stood at the period end (full refresh inside
-- the window, macros/landing/authoritative_event_rows.sql; record date = the appraisal date).
with

source as (
    select * from {{ source('landing', 'hr_appraisal') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['person_id', 'appraisal_date'], 'hr_appraisal', 'appraisal_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(person_id as varchar) as hr_person_id,
        cast(appraisal_date as date) as appraisal_date,
        cast(valid_until as date) as valid_until,
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
