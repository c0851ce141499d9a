-- Who holds which position on each workforce month end: every employee or agency assignment held on the date
-- (start_date <= d <= end_date, null = current), with the post it fills as funded on that date. Team: the post's
-- team, or an agency assignment's own team (a supernumerary or managed-service worker has no post); service: the
-- team's on that date; role: the post's job family, or the agency role. Frontline (b23, the qualified workforce
-- mix): the post is a qualified case-holding post, or, for an agency assignment without a post, its role is a
-- qualified social-work role (QSW, SSW, ASYE). The worker's pseudonymous key is taken from person_ref.
with

month_ends as (
    select * from {{ ref('int_workforce_month_ends_listed') }}
),

assignments as (
    select * from {{ ref('int_workforce_assignments_unioned') }}
),

posts as (
    select * from {{ ref('int_workforce_posts_at_month_end') }}
),

teams as (
    select * from {{ ref('int_workforce_teams_at_month_end') }}
),

held as (
    select
        assignments.*,
        month_ends.month_end
    from assignments
    inner join month_ends
        on
            assignments.start_date <= month_ends.month_end
            and (assignments.end_date is null or assignments.end_date >= month_ends.month_end)
),

final as (
    select
        held.la_code,
        held.month_end,
        held.assignment_source,
        held.assignment_id,
        held.person_ref,
        held.hr_person_id,
        held.worker_id,
        held.post_id,
        held.contract_type,
        held.fte,
        held.start_date,
        held.end_date,
        held.employment_start_date,
        held.is_managed_team,
        coalesce(held.own_team_id, posts.team_id) as team_id,
        coalesce(teams.service_code, posts.service_code) as service_code,
        coalesce(posts.job_family, held.own_role_code) as role_code,
        case
            when posts.post_id is not null then posts.is_frontline_case_holding
            when held.assignment_source = 'agency' then coalesce(held.own_role_code in ('QSW', 'SSW', 'ASYE'), false)
            else false
        end as is_frontline,
        posts.post_id is not null as is_in_funded_post
    from held
    left join posts
        on
            held.la_code = posts.la_code
            and held.post_id = posts.post_id
            and held.month_end = posts.month_end
    left join teams
        on
            held.la_code = teams.la_code
            and held.own_team_id = teams.team_id
            and held.month_end = teams.month_end
)

select * from final
