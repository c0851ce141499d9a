-- Each case-holding worker on every snapshot date (kpi-catalogue §1.1 b21, §2.5 B9): one row per (la_code,
-- snapshot_date, worker) holding at least one case on the date (int_caseload_allocations_on_dates), with the
-- caseload, the team and service the worker is counted under, and the case-system facts about the worker.
--   team      the team holding most of the worker's cases on d; ties go to the team of the latest-starting
--             allocation, then the smallest team id. Allocations carry their team day by day, so a worker who
--             moves team mid-month is counted under the old team before the move and the new one after it, even
--             though the monthly ssd_professionals snapshot only shows the home team at the month end
--             (home_team_id). All the worker's cases count under that one team, so team and service figures add
--             up to the company figure.
--   service   the team's TSG service (CWD and CL roll up to CLASS) in the ssd_department snapshot in force on d
--             (the first snapshot on or after d, else the latest up to as_of: the attribution rule of
--             macros/casework/attributed_to_allocation.sql); UNALLOCATED for a team in no snapshot.
--   worker    role and flags from the ssd_professionals snapshot in force on d (same rule). A worker in no
--             snapshot (an X3 orphan) is kept with is_in_case_system false and is not a frontline social worker:
--             nothing says the worker is qualified.
with

cases as (
    select * from {{ ref('int_caseload_allocations_on_dates') }}
),

workers as (
    select * from {{ ref('int_workers_conformed') }}
),

teams as (
    select * from {{ ref('int_teams_conformed') }}
),

team_cases as (
    select
        la_code,
        snapshot_date,
        worker_id,
        team_id,
        count(*) as team_case_count,
        max(start_date) as latest_start_date
    from cases
    group by la_code, snapshot_date, worker_id, team_id
),

team_ranked as (
    select
        *,
        row_number() over (
            partition by la_code, snapshot_date, worker_id
            order by team_case_count desc, latest_start_date desc, team_id asc
        ) as team_rank,
        sum(team_case_count) over (partition by la_code, snapshot_date, worker_id) as case_count,
        count(*) over (partition by la_code, snapshot_date, worker_id) as team_count
    from team_cases
),

worker_teams as (
    select
        la_code,
        snapshot_date,
        worker_id,
        team_id,
        case_count,
        team_count
    from team_ranked
    where team_rank = 1
),

worker_snapshots as (
    select ranked.*
    from (
        select
            worker_teams.la_code,
            worker_teams.snapshot_date,
            worker_teams.worker_id,
            workers.role_code,
            workers.is_qualified_sw,
            workers.is_case_holding,
            workers.is_frontline_social_worker,
            workers.team_id as home_team_id,
            workers.hr_person_id,
            workers.fte,
            workers.is_agency_worker,
            row_number() over (
                partition by worker_teams.la_code, worker_teams.snapshot_date, worker_teams.worker_id
                order by
                    case when workers.snapshot_date >= worker_teams.snapshot_date then 0 else 1 end,
                    case when workers.snapshot_date >= worker_teams.snapshot_date then workers.snapshot_date end,
                    workers.snapshot_date desc
            ) as snapshot_rank
        from worker_teams
        inner join workers
            on
                worker_teams.la_code = workers.la_code
                and worker_teams.worker_id = workers.worker_id
    ) as ranked
    where ranked.snapshot_rank = 1
),

team_snapshots as (
    select ranked.*
    from (
        select
            worker_teams.la_code,
            worker_teams.snapshot_date,
            worker_teams.worker_id,
            teams.tsg_service_code,
            row_number() over (
                partition by worker_teams.la_code, worker_teams.snapshot_date, worker_teams.worker_id
                order by
                    case when teams.snapshot_date >= worker_teams.snapshot_date then 0 else 1 end,
                    case when teams.snapshot_date >= worker_teams.snapshot_date then teams.snapshot_date end,
                    teams.snapshot_date desc
            ) as snapshot_rank
        from worker_teams
        inner join teams
            on
                worker_teams.la_code = teams.la_code
                and worker_teams.team_id = teams.team_id
    ) as ranked
    where ranked.snapshot_rank = 1
),

final as (
    select
        worker_teams.la_code,
        worker_teams.snapshot_date,
        worker_teams.worker_id,
        cast(worker_teams.case_count as integer) as case_count,
        worker_teams.team_id,
        cast(worker_teams.team_count as integer) as team_count,
        coalesce(team_snapshots.tsg_service_code, 'UNALLOCATED') as service_code,
        worker_snapshots.home_team_id,
        worker_snapshots.hr_person_id,
        worker_snapshots.role_code,
        worker_snapshots.worker_id is not null as is_in_case_system,
        coalesce(worker_snapshots.is_qualified_sw, false) as is_qualified_sw,
        coalesce(worker_snapshots.is_case_holding, false) as is_case_holding,
        coalesce(worker_snapshots.is_frontline_social_worker, false) as is_frontline_social_worker,
        coalesce(worker_snapshots.role_code = 'ASYE', false) as is_asye_role,
        worker_snapshots.fte as case_system_fte,
        coalesce(worker_snapshots.is_agency_worker, false) as is_agency_worker
    from worker_teams
    left join worker_snapshots
        on
            worker_teams.la_code = worker_snapshots.la_code
            and worker_teams.snapshot_date = worker_snapshots.snapshot_date
            and worker_teams.worker_id = worker_snapshots.worker_id
    left join team_snapshots
        on
            worker_teams.la_code = team_snapshots.la_code
            and worker_teams.snapshot_date = team_snapshots.snapshot_date
            and worker_teams.worker_id = team_snapshots.worker_id
)

select * from final
