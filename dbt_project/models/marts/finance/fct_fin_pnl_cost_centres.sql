-- The P&L by cost centre (kpi-catalogue §1.4 f_pnl_line, grain "company, cost centre"): one row per organisation,
-- period end, cost centre and P&L line that has any money in the period end's financial year (a ledger actual to
-- date, a budget or the forecast in force), with the same measures as fct_fin_pnl_lines. The company P&L is the sum
-- of these rows line by line (tested: assert_pnl_cost_centres_add_up_to_the_lines). Pounds, expenditure positive and
-- income negative (input contract §4.2). COMMITMENT lines, balance-sheet and unmapped subjectives are left out, as
-- in fct_fin_pnl_lines. A ledger line without a cost centre is kept under '(none)', so the sum still adds up.
with

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

ledger as (
    select * from {{ ref('int_fin_ledger_lines_mapped') }}
    where is_in_pnl and is_actual
),

budget as (
    select * from {{ ref('int_fin_budget_phased') }}
    where is_in_pnl
),

forecasts as (
    select * from {{ ref('int_fin_forecasts_chosen') }}
    where is_in_pnl
),

layout as (
    select * from {{ ref('ref_finance_pnl_lines') }}
),

actuals as (
    select
        ledger.la_code,
        periods.period_end,
        coalesce(ledger.cost_centre, '(none)') as cost_centre,
        ledger.pnl_line,
        sum(case when ledger.period = periods.period_month then ledger.amount_gbp else 0 end) as actual_month_gbp,
        sum(ledger.amount_gbp) as actual_ytd_gbp
    from ledger
    inner join periods
        on ledger.fy = periods.fy and ledger.period <= periods.period_month
    group by ledger.la_code, periods.period_end, coalesce(ledger.cost_centre, '(none)'), ledger.pnl_line
),

budgets as (
    select
        la_code,
        period_end,
        cost_centre,
        pnl_line,
        sum(budget_full_year_gbp) as budget_full_year_gbp,
        sum(budget_ytd_gbp) as budget_ytd_gbp
    from budget
    group by la_code, period_end, cost_centre, pnl_line
),

forecast_lines as (
    select
        la_code,
        period_end,
        cost_centre,
        pnl_line,
        sum(forecast_full_year_gbp) as forecast_full_year_gbp
    from forecasts
    group by la_code, period_end, cost_centre, pnl_line
),

forecast_made as (
    -- Whether a forecast exists for the year by the period end (then a cost centre without a forecast line is 0).
    select distinct
        la_code,
        period_end
    from {{ ref('int_fin_forecasts_chosen') }}
),

keys as (
    select
        la_code,
        period_end,
        cost_centre,
        pnl_line
    from actuals
    union
    select
        la_code,
        period_end,
        cost_centre,
        pnl_line
    from budgets
    union
    select
        la_code,
        period_end,
        cost_centre,
        pnl_line
    from forecast_lines
),

final as (
    select
        cast(keys.la_code as varchar) as la_code,
        cast(keys.period_end as date) as period_end,
        cast(periods.fy as varchar) as fy,
        cast(keys.cost_centre as varchar) as cost_centre,
        cast(keys.pnl_line as varchar) as pnl_line,
        cast(layout.pnl_section as varchar) as pnl_section,
        cast(layout.line_order as integer) as line_order,
        cast(coalesce(actuals.actual_month_gbp, 0) as numeric(18, 2)) as actual_month_gbp,
        cast(coalesce(actuals.actual_ytd_gbp, 0) as numeric(18, 2)) as actual_ytd_gbp,
        cast(coalesce(budgets.budget_ytd_gbp, 0) as numeric(18, 2)) as budget_ytd_gbp,
        cast(coalesce(budgets.budget_full_year_gbp, 0) as numeric(18, 2)) as budget_full_year_gbp,
        cast(
            coalesce(actuals.actual_ytd_gbp, 0) - coalesce(budgets.budget_ytd_gbp, 0) as numeric(18, 2)
        ) as ytd_variance_gbp,
        cast(
            case when forecast_made.la_code is not null then coalesce(forecast_lines.forecast_full_year_gbp, 0) end
            as numeric(18, 2)
        ) as forecast_full_year_gbp,
        cast(
            case
                when forecast_made.la_code is not null
                    then
                        coalesce(forecast_lines.forecast_full_year_gbp, 0)
                        - coalesce(budgets.budget_full_year_gbp, 0)
            end as numeric(18, 2)
        ) as forecast_variance_gbp
    from keys
    inner join periods
        on keys.period_end = periods.period_end
    inner join layout
        on keys.pnl_line = layout.pnl_line
    left join actuals
        on
            keys.la_code = actuals.la_code
            and keys.period_end = actuals.period_end
            and keys.cost_centre = actuals.cost_centre
            and keys.pnl_line = actuals.pnl_line
    left join budgets
        on
            keys.la_code = budgets.la_code
            and keys.period_end = budgets.period_end
            and keys.cost_centre = budgets.cost_centre
            and keys.pnl_line = budgets.pnl_line
    left join forecast_lines
        on
            keys.la_code = forecast_lines.la_code
            and keys.period_end = forecast_lines.period_end
            and keys.cost_centre = forecast_lines.cost_centre
            and keys.pnl_line = forecast_lines.pnl_line
    left join forecast_made
        on
            keys.la_code = forecast_made.la_code
            and keys.period_end = forecast_made.period_end
)

select * from final
