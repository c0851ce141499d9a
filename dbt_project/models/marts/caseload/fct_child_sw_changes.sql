-- Changes of social worker per child over the rolling 12 months (S0 Priority 4 "children keep the same worker";
-- kpi-catalogue §3.1 cs_sw_episode; docs/marts/caseload.md): one row per child with an ALLOCATED_SW allocation
-- to a worker open on a month end d (start <= d and (end null or end > d)), per month end of the 13 periods.
--   change    an ALLOCATED_SW allocation of the child to a worker, starting in the window (d - 12 months, d]
--             (inclusive bounds day after the exclusive start to d, int_flow_windows_listed 'rolling_12m'), whose
--             worker differs from the worker of the child's previous allocation in start order (start date, then
--             allocation id). The child's first allocation is not a change; a new allocation to the same worker
--             (a team move, a re-opened case) is not one either; a case re-opened to another worker after a gap
--             is. So a handover on the window's first day counts, one on the day before does not.
--   workers   the distinct workers whose allocations were open on at least one day of the window (context).
-- Attribution (kpi-catalogue §0.4): the allocation open on d (macros/casework/attributed_to_allocation.sql,
-- ALLOCATED_SW only: the latest start, then the smallest worker id).
with

allocations as (
    select * from {{ ref('int_allocations_conformed') }}
    where role_code = 'ALLOCATED_SW' and worker_id is not null
),

windows as (
    select * from {{ ref('int_flow_windows_listed') }}
    where measure_window = 'rolling_12m'
),

held as (
    -- The children allocated to a worker on each month end.
    select distinct
        allocations.la_code,
        allocations.child_id,
        windows.period_end as snapshot_date
    from allocations
    inner join windows
        on
            allocations.start_date <= windows.period_end
            and (allocations.end_date is null or allocations.end_date > windows.period_end)
),

attributed as (
    {{ attributed_to_allocation(
        'held', ['la_code', 'child_id', 'snapshot_date'], 'snapshot_date', roles=['ALLOCATED_SW']
    ) }}
),

sequenced as (
    select
        la_code,
        child_id,
        allocation_id,
        worker_id,
        start_date,
        end_date,
        lag(worker_id) over (
            partition by la_code, child_id
            order by start_date, allocation_id
        ) as previous_worker_id
    from allocations
),

changes as (
    select * from sequenced
    where previous_worker_id is not null and previous_worker_id <> worker_id
),

changes_in_window as (
    select
        attributed.la_code,
        attributed.child_id,
        attributed.snapshot_date,
        count(*) as change_count,
        max(changes.start_date) as last_change_date
    from attributed
    inner join windows
        on attributed.snapshot_date = windows.period_end
    inner join changes
        on
            attributed.la_code = changes.la_code
            and attributed.child_id = changes.child_id
            and changes.start_date between windows.window_start and windows.window_end
    group by attributed.la_code, attributed.child_id, attributed.snapshot_date
),

workers_in_window as (
    -- Open on a day x of the window: start <= x < end for some x in [window_start, d].
    select
        attributed.la_code,
        attributed.child_id,
        attributed.snapshot_date,
        count(distinct allocations.worker_id) as worker_count
    from attributed
    inner join windows
        on attributed.snapshot_date = windows.period_end
    inner join allocations
        on
            attributed.la_code = allocations.la_code
            and attributed.child_id = allocations.child_id
            and windows.window_end >= allocations.start_date
            and (
                allocations.end_date is null
                or (windows.window_start < allocations.end_date and allocations.end_date > allocations.start_date)
            )
    group by attributed.la_code, attributed.child_id, attributed.snapshot_date
),

final as (
    select
        cast(attributed.la_code as varchar) as la_code,
        cast(attributed.snapshot_date as date) as period_end,
        cast(windows.window_start as date) as window_start,
        cast({{ pseudonymous_key('attributed.la_code', 'attributed.child_id') }} as varchar) as child_key,
        cast(
            {{ pseudonymous_key('attributed.la_code', 'attributed.attributed_worker_id') }} as varchar
        ) as worker_key,
        cast(attributed.attributed_team_id as varchar) as team_id,
        cast(attributed.attributed_service_code as varchar) as service_code,
        cast(allocations.start_date as date) as allocation_start_date,
        cast(coalesce(changes_in_window.change_count, 0) as integer) as change_count,
        cast(changes_in_window.last_change_date as date) as last_change_date,
        cast(coalesce(workers_in_window.worker_count, 1) as integer) as worker_count,
        cast(coalesce(changes_in_window.change_count, 0) >= 2 as boolean) as has_2plus_changes
    from attributed
    inner join windows
        on attributed.snapshot_date = windows.period_end
    inner join allocations
        on
            attributed.la_code = allocations.la_code
            and attributed.attributed_allocation_id = allocations.allocation_id
    left join changes_in_window
        on
            attributed.la_code = changes_in_window.la_code
            and attributed.child_id = changes_in_window.child_id
            and attributed.snapshot_date = changes_in_window.snapshot_date
    left join workers_in_window
        on
            attributed.la_code = workers_in_window.la_code
            and attributed.child_id = workers_in_window.child_id
            and attributed.snapshot_date = workers_in_window.snapshot_date
)

select * from final
