-- ssd_missing (cs_missing, input contract §2.4) as it stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; an episode's record date is its London start date). Readable names,
-- London dates beside the UTC times, no business rules (the 72-hour return-interview clock is in the members model).
with

source as (
    select * from {{ source('landing', 'ssd_missing') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['miss_table_id'], 'ssd_missing',
        local_date('landed.miss_missing_episode_start_date')) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(miss_table_id as varchar) as missing_episode_id,
        cast(miss_person_id as varchar) as child_id,
        cast(upper(trim(miss_missing_episode_type)) as varchar) as missing_type,
        miss_missing_episode_start_date as missing_start_at,
        miss_missing_episode_end_date as missing_end_at,
        {{ local_date('miss_missing_episode_start_date') }} as missing_start_date,
        {{ local_date('miss_missing_episode_end_date') }} as missing_end_date,
        cast(upper(trim(miss_missing_rhi_offered)) as varchar) as rhi_offered,
        cast(upper(trim(miss_missing_rhi_accepted)) as varchar) as rhi_accepted,
        local_rhi_offered_date as rhi_offered_at,
        local_rhi_completed_date as rhi_completed_at,
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
