-- ssd_cp_visits with the visit extensions (input contract §2.3) as they stood at the period end (full refresh
-- inside the window, macros/landing/authoritative_event_rows.sql; a visit's record date is its date). Readable
-- names, no defaults: the statutory default and the blank-seen rule are applied in int_visits_unioned.
with

source as (
    select * from {{ source('landing', 'ssd_cp_visits') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['cppv_cp_visit_id'], 'ssd_cp_visits', 'cppv_cp_visit_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cppv_cp_visit_id as varchar) as visit_id,
        cast(cppv_person_id as varchar) as child_id,
        cast(cppv_cp_plan_id as varchar) as cp_plan_id,
        cast(cppv_cp_visit_date as date) as visit_date,
        cast(cppv_cp_visit_seen as boolean) as is_child_seen,
        cast(cppv_cp_visit_seen_alone as varchar) as seen_alone,
        cast(cppv_cp_visit_bedroom as boolean) as is_bedroom_seen,
        cast(local_statutory as boolean) as is_statutory,
        cast(local_worker_id as varchar) as worker_id,
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
