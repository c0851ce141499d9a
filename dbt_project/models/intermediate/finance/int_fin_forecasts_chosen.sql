-- The full-year forecast in force on each period end (input contract AM-18): for the period end's financial year,
-- the lines of the latest forecast made in or before the period's month, per (cost centre, subjective) with its
-- P&L line. No forecast made yet in the year: no rows (the forecast figures are then null, not the budget).
with

forecasts as (
    select * from {{ ref('stg_fin__forecast_lines') }}
),

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

subjectives as (
    select * from {{ ref('stg_ref__subjective_map') }}
),

groups as (
    select * from {{ ref('ref_finance_subjective_groups') }}
),

lines as (
    select * from {{ ref('ref_finance_pnl_lines') }}
),

candidates as (
    select
        forecasts.*,
        periods.period_end,
        max(forecasts.as_of_period) over (
            partition by forecasts.la_code, periods.period_end
        ) as latest_as_of_period
    from forecasts
    inner join periods
        on
            forecasts.fy = periods.fy
            and forecasts.as_of_period <= periods.period_month
),

final as (
    select
        candidates.la_code,
        candidates.period_end,
        candidates.fy,
        candidates.as_of_period,
        candidates.cost_centre,
        candidates.subjective_code,
        subjectives.subjective_group,
        groups.pnl_line,
        lines.pnl_section,
        coalesce(groups.is_in_pnl, false) as is_in_pnl,
        candidates.forecast_full_year_gbp
    from candidates
    left join subjectives
        on
            candidates.la_code = subjectives.la_code
            and candidates.subjective_code = subjectives.subjective_code
    left join groups
        on subjectives.subjective_group = groups.subjective_group
    left join lines
        on groups.pnl_line = lines.pnl_line
    where candidates.as_of_period = candidates.latest_as_of_period
)

select * from final
