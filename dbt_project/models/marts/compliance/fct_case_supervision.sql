-- Cases receiving monthly supervision (kpi-catalogue §1.1 b19_case_supervision_monthly, §2.5 B15) in the common
-- members shape (docs/marts/compliance.md): a snapshot on every month end d (the catalogue row is a month-end
-- measure; no weekly CR rows). One row per child (item = the child).
--   listed       children with an ALLOCATED_SW allocation to a worker open on d (int_allocations_conformed: start
--                <= d and (end null or end > d)); of several, the one attribution chooses (macro
--                attributed_to_allocation: the latest start, then the smallest worker id).
--   population   that allocation started at least one calendar month before d (add_months(start, 1) <= d, month-end
--                clamped: an allocation of 31 March counts on 30 April, one of 1 April does not) and its worker is
--                case holding (int_workers_conformed.is_case_holding in the ssd_professionals snapshot in force on
--                d: the first on or after d, else the latest; a worker in no snapshot is taken as case holding, as
--                the ALLOCATED_SW role says). Others are 'excluded', in neither count.
--   numerator    at least one case-supervision record of the child (supervision_type CASE_SUP) dated in the
--                calendar month ending d (its first day to d). An organisation whose records hold no CASE_SUP at
--                all but some MO has its MO records counted instead (input contract AM-13: data_quality_flag
--                'mo_proxy', see fct_compliance_source_columns_delivered).
-- p_mgmt_oversight_last_month (kpi-catalogue §1.2, S1 plan 1.17; §2.5 B15: the MO record type) on the same listed
-- children: population every open allocated case (no one-month rule: the row names none), the worker case holding
-- as for b19; numerator at least one management-oversight record (supervision_type MO) dated in the calendar month
-- ending d ("the last month", read as b19's month). CASE_SUP records never count for it.
-- status: 'in_time' (supervised in the month), 'overdue' (not) or 'excluded'. start_date = the allocation's start,
-- due_date = d (supervision is due within the month), completed_date = the latest counted record of the month.
-- Attribution (§0.4): the allocation listed, i.e. the allocation open on d.
with

-- Two imports of the allocations, each used once (so PostgreSQL plans each inline, with the real row counts of
-- the tables below: a CTE used twice is planned as an opaque scan whose filtered estimate is a handful of rows,
-- and the nested loops that estimate chooses took more than 15 minutes on a generated organisation).
case_holding_allocations as (
    -- ALLOCATED_SW allocations to a worker, tested as an expression rather than role_code = 'ALLOCATED_SW': the
    -- same rows, but without column statistics (a fresh build) PostgreSQL estimates an expression at a third or
    -- half of the rows, an equality at 0.5 %.
    select * from {{ ref('int_allocations_conformed') }}
    where coalesce(role_code = 'ALLOCATED_SW', false) and worker_id is not null
),

allocation_starts as (
    select
        la_code,
        allocation_id,
        start_date
    from {{ ref('int_allocations_conformed') }}
),

workers as (
    select * from {{ ref('int_workers_conformed') }}
),

supervision as (
    select * from {{ ref('int_case_supervision_conformed') }}
),

month_ends as (
    select * from {{ ref('int_snapshot_dates_listed') }}
    where measure_window = 'month_end'
),

allocated as (
    -- Each child allocated to a worker on each month end (13 dates: a small range join).
    select distinct
        case_holding_allocations.la_code,
        case_holding_allocations.child_id,
        month_ends.snapshot_date
    from case_holding_allocations
    inner join month_ends
        on
            case_holding_allocations.start_date <= month_ends.snapshot_date
            and (
                case_holding_allocations.end_date is null
                or case_holding_allocations.end_date > month_ends.snapshot_date
            )
),

attributed as (
    {{ attributed_to_allocation(
        'allocated', ['la_code', 'child_id', 'snapshot_date'], 'snapshot_date', roles=['ALLOCATED_SW']
    ) }}
),

worker_statuses as (
    -- Each worker's ssd_professionals snapshot in force on each month end d: the first on or after it, else the
    -- latest. Per (worker, d) rather than per child, so the mart joins it on equal keys only: a range or ranking
    -- join per child lets PostgreSQL, whose estimates of these CTEs are far too small, loop over every pair.
    select ranked.*
    from (
        select
            workers.la_code,
            workers.worker_id,
            month_ends.snapshot_date,
            workers.is_case_holding,
            row_number() over (
                partition by workers.la_code, workers.worker_id, month_ends.snapshot_date
                order by
                    case when workers.snapshot_date >= month_ends.snapshot_date then 0 else 1 end,
                    case when workers.snapshot_date >= month_ends.snapshot_date then workers.snapshot_date end,
                    workers.snapshot_date desc
            ) as snapshot_rank
        from workers
        cross join month_ends
    ) as ranked
    -- <= 1 rather than = 1: the same rows, with an estimate PostgreSQL keeps hash joins for (see
    -- macros/casework/attributed_to_allocation.sql).
    where ranked.snapshot_rank <= 1
),

record_kinds as (
    -- Per organisation: does it record case supervision at all, or only management oversight (AM-13)?
    select
        la_code,
        max(case when is_case_supervision then 1 else 0 end) as has_case_supervision
    from supervision
    group by la_code
),

counted_supervision as (
    -- The latest counted record of each child per KPI and calendar month, keyed by the month's first day: the mart
    -- matches it to a month end d by equal keys (kpi_id, period_start), not by a date range.
    select
        supervision.la_code,
        supervision.child_id,
        cast('b19_case_supervision_monthly' as varchar) as kpi_id,
        {{ month_start('supervision.supervision_date') }} as supervision_month_start,
        max(supervision.supervision_date) as last_supervision_date
    from supervision
    inner join record_kinds
        on supervision.la_code = record_kinds.la_code
    where
        supervision.is_case_supervision
        or (record_kinds.has_case_supervision = 0 and supervision.is_management_oversight)
    group by supervision.la_code, supervision.child_id, {{ month_start('supervision.supervision_date') }}
    union all
    select
        la_code,
        child_id,
        cast('p_mgmt_oversight_last_month' as varchar) as kpi_id,
        {{ month_start('supervision_date') }} as supervision_month_start,
        max(supervision_date) as last_supervision_date
    from supervision
    where is_management_oversight
    group by la_code, child_id, {{ month_start('supervision_date') }}
),

kpis as (
    -- The two indicators measured on the listed children (a cross join keeps `listed` a single-use CTE).
    select kpi_list.kpi_id
    from (
        values ('b19_case_supervision_monthly'), ('p_mgmt_oversight_last_month')
    ) as kpi_list (kpi_id)
),

listed as (
    select
        attributed.*,
        month_ends.period_end,
        month_ends.period_start,
        allocation_starts.start_date as allocation_start_date,
        {{ add_months('allocation_starts.start_date', 1) }} <= attributed.snapshot_date
        and coalesce(worker_statuses.is_case_holding, true) as is_in_population,
        coalesce(worker_statuses.is_case_holding, true) as is_case_holding_worker
    from attributed
    inner join month_ends
        on attributed.snapshot_date = month_ends.snapshot_date
    -- A left join, though every listed child has its allocation: an inner join on the attributed allocation would
    -- let PostgreSQL undo the attribution's left joins and start from their (badly underestimated) inner side.
    left join allocation_starts
        on
            attributed.la_code = allocation_starts.la_code
            and attributed.attributed_allocation_id = allocation_starts.allocation_id
    left join worker_statuses
        on
            attributed.la_code = worker_statuses.la_code
            and attributed.attributed_worker_id = worker_statuses.worker_id
            and attributed.snapshot_date = worker_statuses.snapshot_date
),

judged as (
    select
        listed.*,
        kpis.kpi_id,
        counted_supervision.last_supervision_date,
        case
            when kpis.kpi_id = 'b19_case_supervision_monthly' and not listed.is_in_population then 'excluded'
            when kpis.kpi_id = 'p_mgmt_oversight_last_month' and not listed.is_case_holding_worker then 'excluded'
            when counted_supervision.last_supervision_date is not null then 'in_time'
            else 'overdue'
        end as status
    from listed
    cross join kpis
    -- Dated in the calendar month ending d (its first day to d: d is the month end).
    left join counted_supervision
        on
            listed.la_code = counted_supervision.la_code
            and listed.child_id = counted_supervision.child_id
            and kpis.kpi_id = counted_supervision.kpi_id
            and listed.period_start = counted_supervision.supervision_month_start
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast('month_end' as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as item_key,
        cast(allocation_start_date as date) as start_date,
        cast(snapshot_date as date) as due_date,
        cast(last_supervision_date as date) as completed_date,
        cast(status as varchar) as status,
        cast(status in ('in_time', 'overdue') as boolean) as in_denominator,
        cast(status = 'in_time' as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from judged
)

select * from final
