-- The commitments behind each placement figure of fct_finance_indicators at company grain (the drill-down of the
-- "demand-led service" figures): one row per (la_code, kpi_id, period_end, commitment), with the finance placement
-- type, the days it is funded in the window and their cost. f_plc_fte_forecast, f_plc_avg_weekly_rate,
-- f_plc_cost_forecast and f_plc_variance_pct count the year as forecast of the types on the Placements P&L line,
-- f_care_leaver_cost_forecast that of the CARE_LEAVERS section, s_unit_cost_per_child_ytd the year to date (a
-- commitment funded in it). Pseudonymous: child_key, and item_key = a keyed hash of the commitment id.
with

costed as (
    select * from {{ ref('int_placement_commitments_costed') }}
),

types as (
    select * from {{ ref('ref_finance_placement_types') }}
),

commitments as (
    -- A commitment's rate rows added up.
    select
        costed.la_code,
        costed.period_end,
        costed.commitment_id,
        costed.child_id,
        costed.finance_placement_type,
        types.is_in_placements_line,
        types.demand_section,
        sum(costed.days_ytd) as days_ytd,
        sum(costed.days_forecast_fy) as days_forecast_fy,
        sum(costed.rate_days_ytd) / 7.0 as cost_ytd_gbp,
        sum(costed.rate_days_forecast_fy) / 7.0 as cost_forecast_gbp
    from costed
    inner join types
        on costed.finance_placement_type = types.finance_placement_type
    group by
        costed.la_code,
        costed.period_end,
        costed.commitment_id,
        costed.child_id,
        costed.finance_placement_type,
        types.is_in_placements_line,
        types.demand_section
),

kpi_members as (
    {%- set forecast_kpis = ['f_plc_fte_forecast', 'f_plc_avg_weekly_rate', 'f_plc_cost_forecast',
        'f_plc_variance_pct'] %}
    {%- for kpi_id in forecast_kpis %}
        select
            la_code,
            period_end,
            commitment_id,
            child_id,
            finance_placement_type,
            cast('{{ kpi_id }}' as varchar) as kpi_id,
            cast('fy_forecast' as varchar) as measure_window,
            days_forecast_fy as placement_days,
            cost_forecast_gbp as cost_gbp
        from commitments
        where is_in_placements_line and days_forecast_fy > 0
        union all
    {%- endfor %}
    select
        la_code,
        period_end,
        commitment_id,
        child_id,
        finance_placement_type,
        cast('f_care_leaver_cost_forecast' as varchar) as kpi_id,
        cast('fy_forecast' as varchar) as measure_window,
        days_forecast_fy as placement_days,
        cost_forecast_gbp as cost_gbp
    from commitments
    where demand_section = 'CARE_LEAVERS' and days_forecast_fy > 0
    union all
    select
        la_code,
        period_end,
        commitment_id,
        child_id,
        finance_placement_type,
        cast('s_unit_cost_per_child_ytd' as varchar) as kpi_id,
        cast('ytd' as varchar) as measure_window,
        days_ytd as placement_days,
        cost_ytd_gbp as cost_gbp
    from commitments
    where is_in_placements_line and days_ytd > 0
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', "'commitment|' || commitment_id") }} as varchar) as item_key,
        cast(finance_placement_type as varchar) as finance_placement_type,
        cast(placement_days as integer) as placement_days,
        cast(cost_gbp as numeric(18, 2)) as cost_gbp,
        true as in_numerator,
        true as in_denominator
    from kpi_members
)

select * from final
