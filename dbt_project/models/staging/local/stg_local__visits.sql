-- local_visits (input contract §3) as they stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; a visit's record date is its date): visits the SSD visit tables do
-- not hold (assessment, pathway, private fostering...). Readable names, no defaults.
with

source as (
    select * from {{ source('landing', 'local_visits') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['visit_id'], 'local_visits', 'visit_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(visit_id as varchar) as visit_id,
        cast(person_id as varchar) as child_id,
        cast(visit_date as date) as visit_date,
        cast(visit_context as varchar) as visit_context,
        cast(statutory as boolean) as is_statutory,
        cast(child_seen as boolean) as is_child_seen,
        cast(seen_alone as varchar) as seen_alone,
        cast(worker_id as varchar) as worker_id,
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
