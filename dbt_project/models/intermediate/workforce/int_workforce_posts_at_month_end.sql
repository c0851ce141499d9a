-- The establishment on each workforce month end: every post version funded on the date (funded_from <= d <=
-- funded_to, null = open; funded_to is the last funded day, as HR end dates are), with its team, the team's TSG
-- service on that date, its job family (the role grain) and whether it is a qualified frontline case-holding post.
with

month_ends as (
    select * from {{ ref('int_workforce_month_ends_listed') }}
),

posts as (
    select * from {{ ref('stg_hr__posts') }}
),

teams as (
    select * from {{ ref('int_workforce_teams_at_month_end') }}
),

funded as (
    select
        posts.la_code,
        month_ends.month_end,
        posts.post_id,
        posts.funded_from,
        posts.funded_to,
        posts.cost_centre,
        posts.team_id,
        posts.job_family,
        posts.is_frontline_case_holding,
        posts.budgeted_fte,
        -- One version per post and date (versions should not overlap; the latest start wins if they do).
        row_number() over (
            partition by posts.la_code, posts.post_id, month_ends.month_end
            order by posts.funded_from desc
        ) as version_rank
    from posts
    inner join month_ends
        on
            posts.funded_from <= month_ends.month_end
            and (posts.funded_to is null or posts.funded_to >= month_ends.month_end)
),

final as (
    select
        funded.la_code,
        funded.month_end,
        funded.post_id,
        funded.funded_from,
        funded.funded_to,
        funded.cost_centre,
        funded.team_id,
        teams.service_code,
        funded.job_family,
        funded.is_frontline_case_holding,
        funded.budgeted_fte
    from funded
    left join teams
        on
            funded.la_code = teams.la_code
            and funded.team_id = teams.team_id
            and funded.month_end = teams.month_end
    where funded.version_rank = 1
)

select * from final
