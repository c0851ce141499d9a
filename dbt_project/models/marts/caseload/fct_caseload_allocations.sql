-- The allocation history (kpi-catalogue §0.4, §1.1 b21; input contract §2.2 ssd_involvements; docs/marts/
-- caseload.md): every allocation of int_allocations_conformed (all roles, open and closed, duplicates already
-- merged), with pseudonymous child and worker keys, joined to the worker, the team and its service. Worker and team
-- facts come from the snapshot in force on the allocation's start date (the first ssd_professionals /
-- ssd_department snapshot on or after it, else the latest up to as_of), the rule every caseload model uses. Caseload
-- on any date d = the ALLOCATED_SW rows with a worker where start_date <= d and (end_date is null or end_date > d).
with

allocations as (
    select * from {{ ref('int_allocations_conformed') }}
),

workers as (
    select * from {{ ref('int_workers_conformed') }}
),

teams as (
    select * from {{ ref('int_teams_conformed') }}
),

worker_snapshots as (
    select ranked.*
    from (
        select
            allocations.la_code,
            allocations.allocation_id,
            workers.role_code,
            workers.is_frontline_social_worker,
            row_number() over (
                partition by allocations.la_code, allocations.allocation_id
                order by
                    case when workers.snapshot_date >= allocations.start_date then 0 else 1 end,
                    case when workers.snapshot_date >= allocations.start_date then workers.snapshot_date end,
                    workers.snapshot_date desc
            ) as snapshot_rank
        from allocations
        inner join workers
            on
                allocations.la_code = workers.la_code
                and allocations.worker_id = workers.worker_id
    ) as ranked
    where ranked.snapshot_rank = 1
),

team_snapshots as (
    select ranked.*
    from (
        select
            allocations.la_code,
            allocations.allocation_id,
            teams.tsg_service_code,
            row_number() over (
                partition by allocations.la_code, allocations.allocation_id
                order by
                    case when teams.snapshot_date >= allocations.start_date then 0 else 1 end,
                    case when teams.snapshot_date >= allocations.start_date then teams.snapshot_date end,
                    teams.snapshot_date desc
            ) as snapshot_rank
        from allocations
        inner join teams
            on
                allocations.la_code = teams.la_code
                and allocations.team_id = teams.team_id
    ) as ranked
    where ranked.snapshot_rank = 1
),

final as (
    select
        cast(allocations.la_code as varchar) as la_code,
        cast({{ pseudonymous_key('allocations.la_code', 'allocations.allocation_id') }} as varchar) as allocation_key,
        cast({{ pseudonymous_key('allocations.la_code', 'allocations.child_id') }} as varchar) as child_key,
        cast(
            case
                when allocations.worker_id is not null
                    then {{ pseudonymous_key('allocations.la_code', 'allocations.worker_id') }}
            end as varchar
        ) as worker_key,
        cast(allocations.role_code as varchar) as role_code,
        cast(allocations.team_id as varchar) as team_id,
        cast(coalesce(team_snapshots.tsg_service_code, 'UNALLOCATED') as varchar) as service_code,
        cast(worker_snapshots.role_code as varchar) as worker_role_code,
        cast(coalesce(worker_snapshots.is_frontline_social_worker, false) as boolean) as is_frontline_social_worker,
        cast(allocations.start_date as date) as start_date,
        cast(allocations.end_date as date) as end_date,
        cast(allocations.is_open_at_as_of as boolean) as is_open_at_as_of,
        cast(
            allocations.role_code = 'ALLOCATED_SW' and allocations.worker_id is not null as boolean
        ) as counts_in_caseload,
        cast(allocations.worker_change_reason as varchar) as worker_change_reason,
        cast(allocations.merged_row_count as integer) as merged_row_count
    from allocations
    left join worker_snapshots
        on
            allocations.la_code = worker_snapshots.la_code
            and allocations.allocation_id = worker_snapshots.allocation_id
    left join team_snapshots
        on
            allocations.la_code = team_snapshots.la_code
            and allocations.allocation_id = team_snapshots.allocation_id
)

select * from final
