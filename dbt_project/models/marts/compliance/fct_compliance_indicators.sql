-- The compliance indicators of each organisation (kpi-catalogue §1.1-1.3, docs/marts/compliance.md): one row per
-- (la_code, kpi_id, period_end, measure_window, snapshot_date, grain, grain_key) over the 13 period ends ending
-- `as_of`, counted from fct_compliance_kpi_members. Grains: company (grain_key = la_code), service, team and worker
-- (the attribution the members carry; no team or worker = 'UNALLOCATED'). Every organisation gets a company row
-- for every compliance KPI of the register, every window the KPI is measured at (seeds/ref_kpi_measure_windows:
-- flows at month, ytd, rolling_12m; snapshots at month_end, the CR measures also at each weekly CR date) and
-- every period, with zero members too; members at any other window are not counted. When a table the KPI requires was
-- absent or rejected in the month's delivery (ref_kpi_source_tables, int_source_tables_delivered), numerator,
-- denominator and value are null with the flag source_absent:<table> / source_rejected:<table> (input contract
-- §8, §9.3): published as NO_DATA.
{%- set grain_keys = [
    ('company', 'la_code'),
    ('service', "coalesce(service_code, 'UNALLOCATED')"),
    ('team', "coalesce(team_id, 'UNALLOCATED')"),
    ('worker', "coalesce(worker_key, 'UNALLOCATED')"),
] %}
with

members as (
    select * from {{ ref('fct_compliance_kpi_members') }}
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
),

source_tables as (
    select * from {{ ref('ref_kpi_source_tables') }}
),

kpi_windows as (
    select * from {{ ref('ref_kpi_measure_windows') }}
),

deliveries as (
    -- Delivered tables, plus the two source columns some KPIs cannot do without, as pseudo-tables named
    -- '<table>.<column>' (b01's decision time, b19's CASE_SUP records; fct_compliance_source_columns_delivered).
    select * from {{ ref('int_source_tables_delivered') }}
    union all
    select * from {{ ref('fct_compliance_source_columns_delivered') }}
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

compliance_kpis as (
    -- The register's compliance indicators in force on `as_of` (macros/register/kpis_in_force.sql).
    {{ kpis_in_force('register', 'compliance') }}
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

{{ kpi_source_statuses('compliance_kpis', 'period_ends') }},

-- Each member once per grain it is counted at (grain_keys: the grain and the member's key at it).
graded_members as (
    {%- for grain, grain_key in grain_keys %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            la_code,
            kpi_id,
            period_end,
            measure_window,
            snapshot_date,
            cast('{{ grain }}' as varchar) as grain,
            {{ grain_key }} as grain_key,
            in_numerator,
            in_denominator
        from members
    {%- endfor %}
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
        count(case when in_numerator then 1 end) as numerator_count,
        count(case when in_denominator then 1 end) as denominator_count
    from graded_members
    group by la_code, kpi_id, period_end, measure_window, snapshot_date, grain, grain_key
),

company_grid as (
    -- Each KPI at the windows it is measured at (ref_kpi_measure_windows: e.g. b19 at month ends only, the
    -- weekly CR measures also at each CR date), never at a window it has no meaning for.
    select
        organisations.la_code,
        compliance_kpis.kpi_id,
        measure_points.period_end,
        measure_points.measure_window,
        measure_points.snapshot_date,
        cast('company' as varchar) as grain,
        organisations.la_code as grain_key
    from organisations
    cross join compliance_kpis
    inner join kpi_windows
        on compliance_kpis.kpi_id = kpi_windows.kpi_id
    inner join measure_points
        on
            compliance_kpis.measure_kind = measure_points.measure_kind
            and kpi_windows.measure_window = measure_points.measure_window
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

final as (
    select
        cast(row_keys.la_code as varchar) as la_code,
        cast(row_keys.kpi_id as varchar) as kpi_id,
        cast(period_ends.period_start as date) as period_start,
        cast(row_keys.period_end as date) as period_end,
        cast(row_keys.measure_window as varchar) as measure_window,
        cast(row_keys.snapshot_date as date) as snapshot_date,
        cast(row_keys.grain as varchar) as grain,
        cast(row_keys.grain_key as varchar) as grain_key,
        cast(
            case when kpi_sources.required_sources_delivered then coalesce(counted.numerator_count, 0) end
            as integer
        ) as numerator,
        cast(
            case when kpi_sources.required_sources_delivered then coalesce(counted.denominator_count, 0) end
            as integer
        ) as denominator,
        case
            when not kpi_sources.required_sources_delivered then cast(null as numeric(18, 1))
            when compliance_kpis.unit = '%'
                then {{ percent_half_up('coalesce(counted.numerator_count, 0)', 'counted.denominator_count', 1) }}
            else cast(coalesce(counted.numerator_count, 0) as numeric(18, 1))
        end as value,
        cast(compliance_kpis.unit as varchar) as unit,
        cast(compliance_kpis.value_precision as integer) as value_precision,
        cast(compliance_kpis.measure_kind as varchar) as measure_kind,
        cast(kpi_sources.required_sources_delivered as boolean) as required_sources_delivered,
        cast(kpi_sources.source_load_ids as varchar) as source_load_ids,
        cast(kpi_sources.data_quality_flag as varchar) as data_quality_flag
    from row_keys
    inner join compliance_kpis
        on row_keys.kpi_id = compliance_kpis.kpi_id
    inner join period_ends
        on row_keys.period_end = period_ends.period_end
    inner join kpi_sources
        on
            row_keys.la_code = kpi_sources.la_code
            and row_keys.period_end = kpi_sources.period_end
            and row_keys.kpi_id = kpi_sources.kpi_id
    left join counted
        on
            row_keys.la_code = counted.la_code
            and row_keys.kpi_id = counted.kpi_id
            and row_keys.period_end = counted.period_end
            and row_keys.measure_window = counted.measure_window
            and row_keys.snapshot_date = counted.snapshot_date
            and row_keys.grain = counted.grain
            and row_keys.grain_key = counted.grain_key
)

select * from final
