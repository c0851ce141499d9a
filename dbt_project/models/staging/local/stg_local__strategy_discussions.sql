-- local_strategy_discussions (input contract §3; cs_strategy_discussion) as they stood at the period end: full
-- refresh inside the window (macros/landing/authoritative_event_rows.sql), a discussion dated by its own date.
with

source as (
    select * from {{ source('landing', 'local_strategy_discussions') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['strategy_id'], 'local_strategy_discussions', 'landed.strategy_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(strategy_id as varchar) as strategy_id,
        cast(person_id as varchar) as child_id,
        cast(referral_id as varchar) as referral_id,
        cast(strategy_date as date) as strategy_date,
        cast(police_present as boolean) as is_police_present,
        cast(health_present as boolean) as is_health_present,
        cast(education_present as boolean) as is_education_present,
        cast(sw_present as boolean) as is_social_worker_present,
        cast(outcome as varchar) as outcome,
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
