-- The finance indicators of each organisation (kpi-catalogue §1.1 b25, §1.4, §1.5 s_unit_cost_by_type; §2.6;
-- docs/marts/finance.md), in the shape of fct_compliance_indicators: one row per (la_code, kpi_id, period_end,
-- measure_window, snapshot_date, grain, grain_key) over the 13 period ends ending `as_of`. Every organisation gets a
-- company row for every finance KPI of the register (mart_area finance) and period; the placement KPIs also have
-- a row per finance placement type (grain 'placement_type'). Figures come from fct_fin_pnl_lines (P&L, b25, legal
-- fees) and fct_placement_demand (commitments against the placement budget). Money is published in the register's
-- unit (gbp_000 = thousands of pounds). Windows: 'fy_forecast' (the full financial year as forecast on the period
-- end; snapshot) and 'ytd' (1 April to the period end; flow). When a table the KPI requires (ref_kpi_source_tables)
-- was absent or rejected in the month's delivery, numerator, denominator and value are null with the flag
-- source_absent:<table> / source_rejected:<table> (input contract §9.3): published as NO_DATA.
with

pnl as (
    select * from {{ ref('fct_fin_pnl_lines') }}
),

demand as (
    select * from {{ ref('fct_placement_demand') }}
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

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

finance_kpis as (
    -- The register's finance indicators in force on `as_of` (macros/register/kpis_in_force.sql).
    {{ kpis_in_force('register', 'finance') }}
),

organisations as (
    select distinct la_code from deliveries
),

figures as (
    -- (kpi, grain, key): numerator, denominator and the unrounded value in the register's unit. P&L figures at
    -- company grain from a line of fct_fin_pnl_lines; placement figures from fct_placement_demand: the company row
    -- is the Placements line's total (care leavers: their section), a placement_type row each type.
    {%- set pnl_figures = [
        ('b25_forecast_within_budget', 'fy_forecast', 'NET_POSITION', 'null', 'null',
            'case when forecast_full_year_gbp <= 0 then 1 when forecast_full_year_gbp > 0 then 0 end'),
        ('f_net_position_forecast', 'fy_forecast', 'NET_POSITION', 'null', 'null', 'forecast_full_year_gbp / 1000.0'),
        ('f_net_position_variance', 'fy_forecast', 'NET_POSITION', 'forecast_full_year_gbp', 'budget_full_year_gbp',
            'forecast_variance_gbp / 1000.0'),
        ('f_net_position_ytd', 'ytd', 'NET_POSITION', 'null', 'null', 'actual_ytd_gbp / 1000.0'),
        ('f_legal_fees_ytd', 'ytd', 'LEGAL', 'null', 'null', 'actual_ytd_gbp / 1000.0'),
        ('f_legal_fees_forecast', 'fy_forecast', 'LEGAL', 'null', 'null', 'forecast_full_year_gbp / 1000.0'),
    ] %}
    {%- set demand_figures = [
        ('f_plc_fte_forecast', 'fy_forecast', 'forecast_placement_days', '364', 'forecast_fte'),
        ('f_plc_avg_weekly_rate', 'fy_forecast', 'forecast_total_gbp', 'forecast_placement_days / 7.0',
            'forecast_weekly_rate_gbp'),
        ('f_plc_cost_forecast', 'fy_forecast', 'null', 'null', 'forecast_total_gbp / 1000.0'),
        ('f_plc_variance_pct', 'fy_forecast', 'variance_total_gbp', 'budget_total_gbp', 'variance_pct_of_budget'),
        ('s_unit_cost_per_child_ytd', 'ytd', 'ytd_cost_gbp', 'children_funded_ytd', 'ytd_cost_per_child_gbp'),
    ] %}
    {%- for kpi_id, measure_window, pnl_line, numerator, denominator, raw_value in pnl_figures %}
        select
            la_code,
            period_end,
            cast('{{ kpi_id }}' as varchar) as kpi_id,
            cast('{{ measure_window }}' as varchar) as measure_window,
            cast('company' as varchar) as grain,
            la_code as grain_key,
            cast({{ numerator }} as numeric(18, 2)) as numerator,
            cast({{ denominator }} as numeric(18, 2)) as denominator,
            cast({{ raw_value }} as numeric(38, 10)) as raw_value
        from pnl
        where pnl_line = '{{ pnl_line }}'
        union all
    {%- endfor %}
    {%- for kpi_id, measure_window, numerator, denominator, raw_value in demand_figures %}
        select
            la_code,
            period_end,
            cast('{{ kpi_id }}' as varchar) as kpi_id,
            cast('{{ measure_window }}' as varchar) as measure_window,
            cast(case when row_kind = 'total' then 'company' else 'placement_type' end as varchar) as grain,
            case when row_kind = 'total' then la_code else row_key end as grain_key,
            cast({{ numerator }} as numeric(18, 2)) as numerator,
            cast({{ denominator }} as numeric(18, 2)) as denominator,
            cast({{ raw_value }} as numeric(38, 10)) as raw_value
        from demand
        where row_kind in ('total', 'type')
        union all
    {%- endfor %}
    select
        la_code,
        period_end,
        cast('f_care_leaver_cost_forecast' as varchar) as kpi_id,
        cast('fy_forecast' as varchar) as measure_window,
        cast('company' as varchar) as grain,
        la_code as grain_key,
        cast(null as numeric(18, 2)) as numerator,
        cast(null as numeric(18, 2)) as denominator,
        cast(forecast_total_gbp / 1000.0 as numeric(38, 10)) as raw_value
    from demand
    where row_kind = 'section' and row_key = 'CARE_LEAVERS'
),

kpi_windows as (
    -- The window of each finance KPI, from the definitions above (never from the data: an organisation without
    -- any finance delivery still gets its NO_DATA company rows).
    {%- for figure in pnl_figures + demand_figures %}
        select
            cast('{{ figure[0] }}' as varchar) as kpi_id,
            cast('{{ figure[1] }}' as varchar) as measure_window
        union all
    {%- endfor %}
    select
        cast('f_care_leaver_cost_forecast' as varchar) as kpi_id,
        cast('fy_forecast' as varchar) as measure_window
),

{{ kpi_source_statuses('finance_kpis', 'periods') }},

row_keys as (
    -- A company row for every organisation, KPI and period; the placement-type rows that have figures.
    select
        organisations.la_code,
        finance_kpis.kpi_id,
        periods.period_end,
        kpi_windows.measure_window,
        cast('company' as varchar) as grain,
        organisations.la_code as grain_key
    from organisations
    cross join finance_kpis
    cross join periods
    inner join kpi_windows
        on finance_kpis.kpi_id = kpi_windows.kpi_id
    union all
    select distinct
        figures.la_code,
        figures.kpi_id,
        figures.period_end,
        figures.measure_window,
        figures.grain,
        figures.grain_key
    from figures
    inner join finance_kpis
        on figures.kpi_id = finance_kpis.kpi_id
    where figures.grain <> 'company'
),

final as (
    select
        cast(row_keys.la_code as varchar) as la_code,
        cast(row_keys.kpi_id as varchar) as kpi_id,
        cast(periods.period_start as date) as period_start,
        cast(row_keys.period_end as date) as period_end,
        cast(row_keys.measure_window as varchar) as measure_window,
        cast(row_keys.period_end as date) as snapshot_date,
        cast(row_keys.grain as varchar) as grain,
        cast(row_keys.grain_key as varchar) as grain_key,
        cast(
            case when kpi_sources.required_sources_delivered then figures.numerator end as numeric(18, 2)
        ) as numerator,
        cast(
            case when kpi_sources.required_sources_delivered then figures.denominator end as numeric(18, 2)
        ) as denominator,
        cast(
            case
                when kpi_sources.required_sources_delivered
                    then {{ round_half_up('figures.raw_value', 'finance_kpis.value_precision') }}
            end as numeric(18, 2)
        ) as value,
        cast(finance_kpis.unit as varchar) as unit,
        cast(finance_kpis.value_precision as integer) as value_precision,
        cast(finance_kpis.measure_kind as varchar) as measure_kind,
        cast(kpi_sources.required_sources_delivered as boolean) as required_sources_delivered,
        cast(kpi_sources.source_load_ids as varchar) as source_load_ids,
        cast(kpi_sources.data_quality_flag as varchar) as data_quality_flag
    from row_keys
    inner join finance_kpis
        on row_keys.kpi_id = finance_kpis.kpi_id
    inner join periods
        on row_keys.period_end = periods.period_end
    left join figures
        on
            row_keys.la_code = figures.la_code
            and row_keys.kpi_id = figures.kpi_id
            and row_keys.period_end = figures.period_end
            and row_keys.grain = figures.grain
            and row_keys.grain_key = figures.grain_key
    inner join kpi_sources
        on
            row_keys.la_code = kpi_sources.la_code
            and row_keys.period_end = kpi_sources.period_end
            and row_keys.kpi_id = kpi_sources.kpi_id
)

select * from final
