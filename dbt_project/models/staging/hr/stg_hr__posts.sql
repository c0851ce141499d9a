-- hr_post (input contract §4.1), the establishment as it stood at the period end: full refresh inside the window
-- (macros/landing/authoritative_event_rows.sql; a post version's record date is its funded_to, null while open,
-- so every open post is always covered). Readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'hr_post') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['post_id', 'funded_from'], 'hr_post', 'funded_to') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(post_id as varchar) as post_id,
        cast(funded_from as date) as funded_from,
        cast(funded_to as date) as funded_to,
        cast(cost_centre as varchar) as cost_centre,
        cast(team_id as varchar) as team_id,
        cast(job_title as varchar) as job_title,
        cast(job_family as varchar) as job_family,
        cast(frontline_case_holding as boolean) as is_frontline_case_holding,
        cast(grade as varchar) as grade,
        cast(budgeted_fte as numeric(4, 2)) as budgeted_fte,
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
