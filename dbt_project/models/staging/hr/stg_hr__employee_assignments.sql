-- hr_employee (input contract §4.1): employees' assignments to posts as they stood at the period end (full refresh
-- inside the window, macros/landing/authoritative_event_rows.sql; an assignment's record date is its end date, null
-- while current, so everyone in post is always covered). Readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'hr_employee') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['person_id', 'post_id', 'start_date'], 'hr_employee', 'end_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(person_id as varchar) as hr_person_id,
        cast(worker_id as varchar) as worker_id,
        cast(post_id as varchar) as post_id,
        cast(contract_type as varchar) as contract_type,
        cast(fte as numeric(4, 2)) as fte,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(employment_start_date as date) as employment_start_date,
        cast(qualified_sw as boolean) as is_qualified_sw,
        cast(asye as boolean) as is_asye,
        cast(asye_completion_date as date) as asye_completion_date,
        cast(overseas_recruit as boolean) as is_overseas_recruit,
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
