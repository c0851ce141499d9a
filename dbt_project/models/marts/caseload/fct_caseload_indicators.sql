-- The caseload indicators of each organisation (kpi-catalogue §1.1 b21 and its variants, §1.3 t_avg_caseload_*,
-- S0 Priority 4; docs/marts/caseload.md) in the shape of fct_compliance_indicators: one row per (la_code, kpi_id,
-- period_end, measure_window, snapshot_date, grain, grain_key) over the 13 period ends ending `as_of`, from
-- fct_caseload_kpi_members. Grains company (grain_key = la_code), service, team and worker (a worker's cases all
-- count under the team and service of fct_worker_caseloads, so the grains add up). Every organisation gets a
-- company row for every caseload KPI of the register, on every month end and weekly CR date (snapshots), with zero
-- members too. Differences from the compliance shape, for ratio indicators:
--   numerator    the counted cases ('cases' unit) or children ('%').
--   denominator  numeric: the distinct counted workers (headcount), the sum of their FTE (b21f), or the counted
--                children ('%'); denominator_basis says which.
--   value        numerator / denominator rounded half-up to 1 decimal, exactly (integer arithmetic on the FTE in
--                hundredths); a percentage for '%'; null when the denominator is 0.
-- A KPI whose required table (ref_kpi_source_tables: ssd_involvements, ssd_professionals, ssd_department) was
-- absent or rejected in the month's delivery has null figures and a source_absent:/source_rejected: flag
-- (input contract §8, §9.3), published as NO_DATA; the same rule and code as fct_compliance_indicators.
with

members as (
    select * from {{ ref('fct_caseload_kpi_members') }}
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
),

source_tables as (
    select * from {{ ref('ref_kpi_source_tables') }}
),

deliveries as (
    select * from {{ ref('int_source_tables_delivered') }}
),

ledger as (
    select * from {{ ref('stg_landing__load_ledger') }}
    where outcome = 'landed'
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

caseload_kpis as (
    -- The register's caseload indicators in force on `as_of` (macros/register/kpis_in_force.sql).
    {{ kpis_in_force('register', 'caseload') }}
),

organisations as (
    -- Every organisation with a delivery up to `as_of`, whatever it delivered.
    select distinct la_code from deliveries
),

period_ends as (
    select distinct
        period_end,
        period_start
    from flow_windows
),

measure_points as (
    -- Where each kind of measure is taken: flows once per window per period end (snapshot_date = period_end),
    -- snapshots on every snapshot date.
    select
        cast('flow' as varchar) as measure_kind,
        period_end,
        measure_window,
        period_end as snapshot_date
    from flow_windows
    union all
    select
        cast('snapshot' as varchar) as measure_kind,
        period_end,
        measure_window,
        snapshot_date
    from snapshot_dates
),

{{ kpi_source_statuses('caseload_kpis', 'period_ends') }},

units as (
    -- The unit the denominator counts: the worker (one unit per worker however many cases) or the item (a child).
    -- A worker unit is in the denominator when any of its cases is counted; its amount is 1, or its FTE.
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        service_code,
        team_id,
        worker_key,
        denominator_basis,
        count(case when in_numerator then 1 end) as numerator_count,
        case denominator_basis
            when 'items' then cast(count(case when in_denominator then 1 end) as numeric(18, 2))
            when 'workers' then cast(max(case when in_denominator then 1 else 0 end) as numeric(18, 2))
            else cast(max(case when in_denominator then worker_fte else 0 end) as numeric(18, 2))
        end as denominator_amount
    from members
    group by
        la_code, kpi_id, period_end, measure_window, snapshot_date, service_code, team_id, worker_key,
        denominator_basis, case when denominator_basis = 'items' then item_key else worker_key end
),

graded_units as (
    -- Each unit once per grain it is counted at.
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        cast('company' as varchar) as grain,
        la_code as grain_key,
        numerator_count,
        denominator_amount
    from units
    union all
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        cast('service' as varchar) as grain,
        coalesce(service_code, 'UNALLOCATED') as grain_key,
        numerator_count,
        denominator_amount
    from units
    union all
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        cast('team' as varchar) as grain,
        coalesce(team_id, 'UNALLOCATED') as grain_key,
        numerator_count,
        denominator_amount
    from units
    union all
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        cast('worker' as varchar) as grain,
        coalesce(worker_key, 'UNALLOCATED') as grain_key,
        numerator_count,
        denominator_amount
    from units
),

counted as (
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        grain,
        grain_key,
        sum(numerator_count) as numerator_count,
        sum(denominator_amount) as denominator_amount
    from graded_units
    group by la_code, kpi_id, period_end, measure_window, snapshot_date, grain, grain_key
),

basis as (
    select distinct
        kpi_id,
        denominator_basis
    from members
),

company_grid as (
    select
        organisations.la_code,
        caseload_kpis.kpi_id,
        measure_points.period_end,
        measure_points.measure_window,
        measure_points.snapshot_date,
        cast('company' as varchar) as grain,
        organisations.la_code as grain_key
    from organisations
    cross join caseload_kpis
    inner join measure_points
        on caseload_kpis.measure_kind = measure_points.measure_kind
),

row_keys as (
    -- The company grid, plus the service, team and worker keys that have members at a point of the grid.
    select * from company_grid
    union all
    select
        counted.la_code,
        counted.kpi_id,
        counted.period_end,
        counted.measure_window,
        counted.snapshot_date,
        counted.grain,
        counted.grain_key
    from counted
    where
        counted.grain <> 'company'
        and exists (
            select 1
            from company_grid
            where
                company_grid.la_code = counted.la_code
                and company_grid.kpi_id = counted.kpi_id
                and company_grid.period_end = counted.period_end
                and company_grid.measure_window = counted.measure_window
                and company_grid.snapshot_date = counted.snapshot_date
        )
),

figures as (
    select
        row_keys.*,
        period_ends.period_start,
        caseload_kpis.unit,
        caseload_kpis.value_precision,
        caseload_kpis.measure_kind,
        kpi_sources.required_sources_delivered,
        kpi_sources.source_load_ids,
        kpi_sources.data_quality_flag,
        basis.denominator_basis,
        coalesce(counted.numerator_count, 0) as numerator_count,
        coalesce(counted.denominator_amount, 0) as denominator_amount,
        -- The denominator in hundredths (an FTE has 2 decimals): exact integers for the half-up division.
        cast(round(coalesce(counted.denominator_amount, 0) * 100) as bigint) as denominator_hundredths
    from row_keys
    inner join caseload_kpis
        on row_keys.kpi_id = caseload_kpis.kpi_id
    inner join period_ends
        on row_keys.period_end = period_ends.period_end
    inner join kpi_sources
        on
            row_keys.la_code = kpi_sources.la_code
            and row_keys.period_end = kpi_sources.period_end
            and row_keys.kpi_id = kpi_sources.kpi_id
    left join basis
        on row_keys.kpi_id = basis.kpi_id
    left join counted
        on
            row_keys.la_code = counted.la_code
            and row_keys.kpi_id = counted.kpi_id
            and row_keys.period_end = counted.period_end
            and row_keys.measure_window = counted.measure_window
            and row_keys.snapshot_date = counted.snapshot_date
            and row_keys.grain = counted.grain
            and row_keys.grain_key = counted.grain_key
),

averaged as (
    -- round_half_up(n / d, 1) = floor((2 x 10 x n + d) / (2 d)) / 10, with d in hundredths (n x 100).
    select
        *,
        {{ integer_divide(
            '2 * 10 * 100 * cast(numerator_count as bigint) + denominator_hundredths',
            'nullif(2 * denominator_hundredths, 0)'
        ) }} as average_tenths
    from figures
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast(grain as varchar) as grain,
        cast(grain_key as varchar) as grain_key,
        cast(case when required_sources_delivered then numerator_count end as integer) as numerator,
        cast(case when required_sources_delivered then denominator_amount end as numeric(18, 2)) as denominator,
        case
            when not required_sources_delivered or denominator_hundredths = 0 then cast(null as numeric(18, 1))
            when unit = '%'
                then {{ percent_half_up('numerator_count', 'cast(denominator_amount as bigint)', 1) }}
            else cast(cast(average_tenths as numeric(38, 1)) / 10 as numeric(18, 1))
        end as value,
        cast(unit as varchar) as unit,
        cast(value_precision as integer) as value_precision,
        cast(measure_kind as varchar) as measure_kind,
        cast(required_sources_delivered as boolean) as required_sources_delivered,
        cast(source_load_ids as varchar) as source_load_ids,
        cast(data_quality_flag as varchar) as data_quality_flag,
        cast(coalesce(denominator_basis, case when unit = '%' then 'items' else 'workers' end) as varchar)
            as denominator_basis
    from averaged
)

select * from final
