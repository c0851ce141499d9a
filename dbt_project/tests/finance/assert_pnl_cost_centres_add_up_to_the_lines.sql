-- kpi-catalogue §1.4 f_pnl_line (grain company, cost centre): the P&L by cost centre adds up to the company P&L,
-- line by line, on every period end, for the actuals, the budget and the forecast (exactly: both sum the same
-- pence). A line with no cost-centre row must be 0 in the company P&L. Returns every breach.
with

lines as (
    select * from {{ ref('fct_fin_pnl_lines') }}
    where line_kind = 'line'
),

cost_centres as (
    select
        la_code,
        period_end,
        pnl_line,
        sum(actual_month_gbp) as actual_month_gbp,
        sum(actual_ytd_gbp) as actual_ytd_gbp,
        sum(budget_ytd_gbp) as budget_ytd_gbp,
        sum(budget_full_year_gbp) as budget_full_year_gbp,
        sum(forecast_full_year_gbp) as forecast_full_year_gbp
    from {{ ref('fct_fin_pnl_cost_centres') }}
    group by la_code, period_end, pnl_line
)

select
    lines.la_code,
    lines.period_end,
    lines.pnl_line
from lines
left join cost_centres
    on
        lines.la_code = cost_centres.la_code
        and lines.period_end = cost_centres.period_end
        and lines.pnl_line = cost_centres.pnl_line
where
    lines.actual_month_gbp <> coalesce(cost_centres.actual_month_gbp, 0)
    or lines.actual_ytd_gbp <> coalesce(cost_centres.actual_ytd_gbp, 0)
    or lines.budget_ytd_gbp <> coalesce(cost_centres.budget_ytd_gbp, 0)
    or lines.budget_full_year_gbp <> coalesce(cost_centres.budget_full_year_gbp, 0)
    or coalesce(lines.forecast_full_year_gbp, 0) <> coalesce(cost_centres.forecast_full_year_gbp, 0)
