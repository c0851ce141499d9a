-- ssd_cin_episodes (input contract §2.3; the alternative to CIN CINdetails for cs_referral) as they stood at the
-- period end: full refresh inside the window (macros/landing/authoritative_event_rows.sql); a referral is covered
-- by a delivery while open or when it closed inside the delivery's window. No business rules.
with

source as (
    select * from {{ source('landing', 'ssd_cin_episodes') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['cine_referral_id'], 'ssd_cin_episodes', 'landed.cine_close_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cine_referral_id as varchar) as referral_id,
        cast(cine_person_id as varchar) as child_id,
        cast(cine_referral_date as date) as referral_date,
        cast(cine_cin_primary_need_code as varchar) as primary_need_code,
        cast(cine_referral_source_code as varchar) as referral_source,
        cast(cine_referral_nfa as boolean) as is_referral_nfa,
        cast(cine_referral_outcome_json as varchar) as referral_outcome_json,
        cast(cine_close_reason as varchar) as reason_for_closure,
        cast(cine_close_date as date) as closure_date,
        cast(cine_referral_team as varchar) as team_id,
        cast(cine_referral_worker_id as varchar) as worker_id,
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
