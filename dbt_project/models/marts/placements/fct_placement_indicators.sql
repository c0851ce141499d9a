-- The placement indicators of each organisation (kpi-catalogue §1.1, §1.3, §1.5; docs/marts/placements.md), in the
-- shape of fct_compliance_indicators: one row per (la_code, kpi_id, period_end, measure_window, snapshot_date,
-- grain, grain_key) over the 13 period ends ending `as_of`, counted from fct_placement_kpi_members. Grains: company
-- (grain_key = la_code) for every KPI; 'placement_category' for the mix measures (s_plc_mix, s_plc_made_by_type:
-- the category's items over all items, so the categories of a period add up to the company row); 'worker' (the
-- personal adviser's pseudonymous key) for b10 and b10b. Every
-- organisation with staged episodes gets a company row for every placement KPI of the register, every window of its
-- kind (snapshot: month_end; flow: month, ytd, rolling_12m) and every period, zero members too. A KPI whose
-- required non-903 table (ref_kpi_source_tables: ONSPD, ssd_care_leavers, 903 UASC) was absent or rejected in the
-- month's delivery has null figures and the flag source_absent:<table> / source_rejected:<table> (input contract
-- §9.3): published as NO_DATA. source_load_ids: the staged episode loads, plus the month's loads of those tables.
with

members as (
    select * from {{ ref('fct_placement_kpi_members') }}
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

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

placement_kpis as (
    -- The register's placements indicators in force on `as_of` (macros/register/kpis_in_force.sql).
    {{ kpis_in_force('register', 'placements') }}
),

episode_loads as (
    select distinct
        la_code,
        load_id
    from episodes
),

organisations as (
    -- Every organisation with staged episodes; the episodes' loads are every figure's sources.
    select
        la_code,
        {{ sorted_distinct_list('load_id') }} as episode_load_ids
    from episodes
    group by la_code
),

measure_points as (
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
        cast('month_end' as varchar) as measure_window,
        period_end as snapshot_date
    from periods
),

episode_source_loads as (
    -- The staged episodes' loads are every placement figure's sources.
    select
        organisations.la_code,
        periods.period_end,
        placement_kpis.kpi_id,
        episode_loads.load_id
    from organisations
    cross join periods
    cross join placement_kpis
    inner join episode_loads
        on organisations.la_code = episode_loads.la_code
),

{{ kpi_source_statuses('placement_kpis', 'periods', extra_loads='episode_source_loads') }},

company_counts as (
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        count(case when in_numerator then 1 end) as numerator_count,
        count(case when in_denominator then 1 end) as denominator_count
    from members
    group by la_code, kpi_id, period_end, measure_window, snapshot_date
),

category_counts as (
    -- A category's items over every item of the period (the company denominator).
    select
        members.la_code,
        members.kpi_id,
        members.period_end,
        members.measure_window,
        members.snapshot_date,
        members.breakdown_key,
        count(case when members.in_numerator then 1 end) as numerator_count,
        max(company_counts.denominator_count) as denominator_count
    from members
    inner join company_counts
        on
            members.la_code = company_counts.la_code
            and members.kpi_id = company_counts.kpi_id
            and members.period_end = company_counts.period_end
            and members.measure_window = company_counts.measure_window
            and members.snapshot_date = company_counts.snapshot_date
    where members.breakdown_key is not null
    group by
        members.la_code, members.kpi_id, members.period_end, members.measure_window, members.snapshot_date,
        members.breakdown_key
),

unverified_windows as (
    -- p_missing_rhi_offered: windows with an offer counted on the flag alone (no offer time) carry the flag
    -- 'timing_unverified' (input contract §2.4).
    select distinct
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date
    from members
    where status = 'timing_unverified'
),

worker_counts as (
    -- b10 and b10b at the personal adviser's grain (kpi-catalogue b10: company, worker); no PA = 'UNALLOCATED'.
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        coalesce(worker_key, 'UNALLOCATED') as grain_key,
        count(case when in_numerator then 1 end) as numerator_count,
        count(case when in_denominator then 1 end) as denominator_count
    from members
    where kpi_id in ('b10_cl_eet_19_21', 'b10b_cl_eet_18_21')
    group by la_code, kpi_id, period_end, measure_window, snapshot_date, coalesce(worker_key, 'UNALLOCATED')
),

grid as (
    select
        organisations.la_code,
        placement_kpis.kpi_id,
        measure_points.period_end,
        measure_points.measure_window,
        measure_points.snapshot_date,
        cast('company' as varchar) as grain,
        organisations.la_code as grain_key,
        company_counts.numerator_count,
        company_counts.denominator_count
    from organisations
    cross join placement_kpis
    inner join measure_points
        on placement_kpis.measure_kind = measure_points.measure_kind
    left join company_counts
        on
            organisations.la_code = company_counts.la_code
            and placement_kpis.kpi_id = company_counts.kpi_id
            and measure_points.period_end = company_counts.period_end
            and measure_points.measure_window = company_counts.measure_window
            and measure_points.snapshot_date = company_counts.snapshot_date
    union all
    select
        category_counts.la_code,
        category_counts.kpi_id,
        category_counts.period_end,
        category_counts.measure_window,
        category_counts.snapshot_date,
        cast('placement_category' as varchar) as grain,
        category_counts.breakdown_key as grain_key,
        category_counts.numerator_count,
        category_counts.denominator_count
    from category_counts
    inner join organisations
        on category_counts.la_code = organisations.la_code
    inner join placement_kpis
        on category_counts.kpi_id = placement_kpis.kpi_id
    union all
    select
        worker_counts.la_code,
        worker_counts.kpi_id,
        worker_counts.period_end,
        worker_counts.measure_window,
        worker_counts.snapshot_date,
        cast('worker' as varchar) as grain,
        worker_counts.grain_key,
        worker_counts.numerator_count,
        worker_counts.denominator_count
    from worker_counts
    inner join organisations
        on worker_counts.la_code = organisations.la_code
    inner join placement_kpis
        on worker_counts.kpi_id = placement_kpis.kpi_id
),

final as (
    select
        cast(grid.la_code as varchar) as la_code,
        cast(grid.kpi_id as varchar) as kpi_id,
        cast(periods.period_start as date) as period_start,
        cast(grid.period_end as date) as period_end,
        cast(grid.measure_window as varchar) as measure_window,
        cast(grid.snapshot_date as date) as snapshot_date,
        cast(grid.grain as varchar) as grain,
        cast(grid.grain_key as varchar) as grain_key,
        cast(
            case when kpi_sources.required_sources_delivered then coalesce(grid.numerator_count, 0) end as integer
        ) as numerator,
        cast(
            case
                when kpi_sources.required_sources_delivered and placement_kpis.unit = '%'
                    then coalesce(grid.denominator_count, 0)
            end as integer
        ) as denominator,
        case
            when not kpi_sources.required_sources_delivered then cast(null as numeric(18, 1))
            when placement_kpis.unit = '%'
                then {{ percent_half_up('coalesce(grid.numerator_count, 0)', 'grid.denominator_count', 1) }}
            else cast(coalesce(grid.numerator_count, 0) as numeric(18, 1))
        end as value,
        cast(placement_kpis.unit as varchar) as unit,
        cast(placement_kpis.value_precision as integer) as value_precision,
        cast(placement_kpis.measure_kind as varchar) as measure_kind,
        cast(kpi_sources.required_sources_delivered as boolean) as required_sources_delivered,
        cast(kpi_sources.source_load_ids as varchar) as source_load_ids,
        cast(
            case
                when unverified_windows.kpi_id is not null and kpi_sources.required_sources_delivered
                    then coalesce(kpi_sources.data_quality_flag || ',', '') || 'timing_unverified'
                else kpi_sources.data_quality_flag
            end as varchar
        ) as data_quality_flag
    from grid
    inner join placement_kpis
        on grid.kpi_id = placement_kpis.kpi_id
    inner join periods
        on grid.period_end = periods.period_end
    inner join kpi_sources
        on
            grid.la_code = kpi_sources.la_code
            and grid.period_end = kpi_sources.period_end
            and grid.kpi_id = kpi_sources.kpi_id
    left join unverified_windows
        on
            grid.la_code = unverified_windows.la_code
            and grid.kpi_id = unverified_windows.kpi_id
            and grid.period_end = unverified_windows.period_end
            and grid.measure_window = unverified_windows.measure_window
            and grid.snapshot_date = unverified_windows.snapshot_date
)

select * from final
