-- hr_leaver (input contract §4.1): leavers from the organisation as they stood at the period end (full refresh
-- inside the window, macros/landing/authoritative_event_rows.sql; record date = the leave date). Internal moves
-- never appear in this table (contract). Readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'hr_leaver') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['person_id', 'leave_date'], 'hr_leaver', 'leave_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(person_id as varchar) as hr_person_id,
        cast(leave_date as date) as leave_date,
        cast(post_id as varchar) as post_id,
        cast(contract_type as varchar) as contract_type,
        cast(reason as varchar) as leave_reason,
        cast(voluntary as boolean) as is_voluntary,
        cast(exit_interview_done as boolean) as is_exit_interview_done,
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
