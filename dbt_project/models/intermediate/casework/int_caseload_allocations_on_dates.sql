-- The cases each worker holds on every snapshot date (kpi-catalogue §1.1 b21: "count of (child, worker)
-- allocations on the snapshot date"; §0.2 open on d: start <= d and (end is null or end > d)): one row per
-- (la_code, snapshot_date, child, worker) with an ALLOCATED_SW allocation to that worker open on d, on every
-- distinct snapshot date of int_snapshot_dates_listed (month ends and weekly CR dates). Only ALLOCATED_SW counts
-- for caseload (input contract §2.2); team-only allocations have no worker and are not cases of anyone.
-- Consequences of the open rule: an allocation ending on d is not held on d, so a case reallocated on d (old end =
-- new start = d) is the new worker's only. A child held twice by the same worker on d (two teams overlapping, which
-- int_allocations_conformed does not merge) is one case: the latest-starting allocation supplies the team.
with

allocations as (
    select * from {{ ref('int_allocations_conformed') }}
    where role_code = 'ALLOCATED_SW' and worker_id is not null
),

snapshot_dates as (
    select distinct snapshot_date from {{ ref('int_snapshot_dates_listed') }}
),

open_on_date as (
    select
        allocations.la_code,
        snapshot_dates.snapshot_date,
        allocations.child_id,
        allocations.worker_id,
        allocations.team_id,
        allocations.allocation_id,
        allocations.start_date,
        allocations.end_date,
        row_number() over (
            partition by allocations.la_code, snapshot_dates.snapshot_date, allocations.child_id, allocations.worker_id
            order by allocations.start_date desc, allocations.allocation_id asc
        ) as pair_rank
    from allocations
    inner join snapshot_dates
        on
            allocations.start_date <= snapshot_dates.snapshot_date
            and (allocations.end_date is null or allocations.end_date > snapshot_dates.snapshot_date)
),

final as (
    select
        la_code,
        snapshot_date,
        child_id,
        worker_id,
        team_id,
        allocation_id,
        start_date,
        end_date
    from open_on_date
    where pair_rank = 1
)

select * from final
