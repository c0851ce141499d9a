-- kpi-catalogue §5.5: the budget of the year balances, its (surplus)/deficit 0 within var fin_pnl_tolerance_gbp
-- (default £10,000, the catalogue's rounding), for every organisation that delivered a budget, on the period end
-- `as_of`. Severity var fin_reconciliation_severity (an organisation may deliberately set a deficit budget).
{{ config(severity=var('fin_reconciliation_severity')) }}

with

pnl as (
    select * from {{ ref('fct_fin_pnl_lines') }}
),

budgets as (
    select distinct la_code from {{ ref('stg_fin__budget_lines') }}
)

select
    pnl.la_code,
    pnl.period_end,
    pnl.budget_full_year_gbp
from pnl
inner join budgets
    on pnl.la_code = budgets.la_code
where
    pnl.pnl_line = 'NET_POSITION'
    and pnl.period_end = {{ as_of_date() }}
    and abs(pnl.budget_full_year_gbp) > {{ var('fin_pnl_tolerance_gbp') }}
