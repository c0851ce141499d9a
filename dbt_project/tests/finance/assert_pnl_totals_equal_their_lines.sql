-- kpi-catalogue §5.5: the P&L identities hold exactly in fct_fin_pnl_lines, for the actuals, the budget and the
-- forecast: total income = the sum of the income lines, total expenditure = the sum of the expenditure lines, and
-- the (surplus)/deficit = total income + total expenditure (income is negative). Returns every breach.
with

pnl as (
    select * from {{ ref('fct_fin_pnl_lines') }}
),

sums as (
    select
        la_code,
        period_end,
        sum(case when line_kind = 'line' and pnl_section = 'income' then actual_ytd_gbp end) as income_actual,
        sum(case when line_kind = 'line' and pnl_section = 'expenditure' then actual_ytd_gbp end)
            as expenditure_actual,
        sum(case when line_kind = 'line' and pnl_section = 'income' then budget_full_year_gbp end) as income_budget,
        sum(case when line_kind = 'line' and pnl_section = 'expenditure' then budget_full_year_gbp end)
            as expenditure_budget,
        sum(case when line_kind = 'line' then coalesce(forecast_full_year_gbp, 0) end) as net_forecast,
        sum(case when pnl_line = 'TOTAL_INCOME' then actual_ytd_gbp end) as total_income_actual,
        sum(case when pnl_line = 'TOTAL_EXPENDITURE' then actual_ytd_gbp end) as total_expenditure_actual,
        sum(case when pnl_line = 'TOTAL_INCOME' then budget_full_year_gbp end) as total_income_budget,
        sum(case when pnl_line = 'TOTAL_EXPENDITURE' then budget_full_year_gbp end) as total_expenditure_budget,
        sum(case when pnl_line = 'NET_POSITION' then actual_ytd_gbp end) as net_actual,
        sum(case when pnl_line = 'NET_POSITION' then budget_full_year_gbp end) as net_budget,
        sum(case when pnl_line = 'NET_POSITION' then coalesce(forecast_full_year_gbp, 0) end) as net_forecast_total
    from pnl
    group by la_code, period_end
)

select * from sums
where
    income_actual <> total_income_actual
    or expenditure_actual <> total_expenditure_actual
    or income_budget <> total_income_budget
    or expenditure_budget <> total_expenditure_budget
    or net_actual <> total_income_actual + total_expenditure_actual
    or net_budget <> total_income_budget + total_expenditure_budget
    or net_forecast <> net_forecast_total
