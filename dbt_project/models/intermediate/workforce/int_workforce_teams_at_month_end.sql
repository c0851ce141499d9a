-- The TSG service of each case-system team on each workforce month end: the team's ssd_department snapshot taken
-- on or before the month end (the latest such), else its earliest later snapshot (a team delivered only after the
-- month still has a service). HR posts and agency assignments carry the case-system team id (input contract §0.9).
with

month_ends as (
    select * from {{ ref('int_workforce_month_ends_listed') }}
),

teams as (
    select * from {{ ref('int_teams_conformed') }}
),

ranked as (
    select
        teams.la_code,
        month_ends.month_end,
        teams.team_id,
        teams.team_name,
        teams.tsg_service_code,
        teams.snapshot_date,
        row_number() over (
            partition by teams.la_code, teams.team_id, month_ends.month_end
            order by
                case when teams.snapshot_date <= month_ends.month_end then 0 else 1 end,
                case when teams.snapshot_date <= month_ends.month_end then teams.snapshot_date end desc,
                teams.snapshot_date asc
        ) as preference
    from month_ends
    cross join teams
),

final as (
    select
        la_code,
        month_end,
        team_id,
        team_name,
        tsg_service_code as service_code,
        snapshot_date as team_snapshot_date
    from ranked
    where preference = 1
)

select * from final
