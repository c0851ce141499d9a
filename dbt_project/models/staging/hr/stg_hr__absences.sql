-- hr_absence (input contract §4.1): absence spells as they stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; record date = end date, null while ongoing). As delivered: the
-- working days lost and the long-term flag are derived only where null, in intermediate/workforce.
with

source as (
    select * from {{ source('landing', 'hr_absence') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['absence_id'], 'hr_absence', 'end_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(absence_id as varchar) as absence_id,
        cast(person_id as varchar) as hr_person_id,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(absence_type as varchar) as absence_type,
        cast(working_days_lost as numeric(6, 2)) as working_days_lost_delivered,
        cast(fte_at_time as numeric(4, 2)) as fte_at_time,
        cast(long_term as boolean) as is_long_term_delivered,
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
