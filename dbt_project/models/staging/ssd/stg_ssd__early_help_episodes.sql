-- ssd_early_help_episodes (input contract §2.5) as they stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; an episode's record date is its end date, null while open).
-- Staged for the stepped_up_from_eh default of contacts (§2.3); free-text reason and organisation are not staged.
with

source as (
    select * from {{ source('landing', 'ssd_early_help_episodes') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['earl_episode_id'], 'ssd_early_help_episodes', 'earl_episode_end_date') }}
),

renamed as (
    select
        cast(authoritative.la_code as varchar) as la_code,
        cast(authoritative.earl_episode_id as varchar) as early_help_episode_id,
        cast(authoritative.earl_person_id as varchar) as child_id,
        cast(authoritative.earl_episode_start_date as date) as episode_start_date,
        cast(authoritative.earl_episode_end_date as date) as episode_end_date,
        cast(
            {{ mapped_code(
                'authoritative.earl_episode_end_reason', 'end_reason_map', casework_codes('eh_end_reason')
            ) }} as varchar
        ) as end_reason,
        cast(authoritative.earl_episode_end_reason as varchar) as end_reason_delivered,
        cast(authoritative.earl_episode_worker_id as varchar) as worker_id,
        cast(authoritative.local_assessment_date as date) as assessment_date,
        cast(authoritative.local_plan_start_date as date) as plan_start_date,
        cast(authoritative.reporting_month as varchar) as reporting_month,
        cast(authoritative.load_id as varchar) as load_id,
        cast(authoritative.source_file as varchar) as source_file,
        cast(authoritative.source_row as integer) as source_row
    from authoritative
    {{ local_code_map_join(
        'end_reason_map', 'ssd_early_help_episodes', 'earl_episode_end_reason', 'authoritative',
        'authoritative.earl_episode_end_reason',
        'coalesce(authoritative.earl_episode_end_date, authoritative.earl_episode_start_date)'
    ) }}
),

final as (
    select * from renamed
)

select * from final
