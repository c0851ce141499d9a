-- ssd_s47_enquiry (input contract §2.3; the alternative to CIN Section47 for cs_section47, and the source of the
-- strategy discussion link) as they stood at the period end: full refresh inside the window; an enquiry is covered
-- while open or when it ended inside the delivery's window.
with

source as (
    select * from {{ source('landing', 'ssd_s47_enquiry') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['s47e_s47_enquiry_id'], 'ssd_s47_enquiry', 'landed.s47e_s47_end_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(s47e_s47_enquiry_id as varchar) as s47_enquiry_id,
        cast(s47e_referral_id as varchar) as referral_id,
        cast(s47e_person_id as varchar) as child_id,
        cast(s47e_s47_start_date as date) as s47_start_date,
        cast(s47e_s47_end_date as date) as s47_end_date,
        cast(s47e_s47_nfa as boolean) as is_nfa,
        cast(s47e_s47_outcome_json as varchar) as s47_outcome_json,
        cast(s47e_s47_completed_by_team as varchar) as team_id,
        cast(s47e_s47_completed_by_worker_id as varchar) as worker_id,
        cast(local_strategy_id as varchar) as strategy_id,
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
