-- The profit-and-loss account of each organisation on each of the 13 period ends (kpi-catalogue §1.4 f_pnl_line,
-- f_net_position; S0 "Our Profit and Loss Account"): one row per P&L line of the seed layout (ref_finance_pnl_lines),
-- its totals (total income, total expenditure) and the (surplus)/deficit, with the actual of the month and of the
-- financial year to date (ledger), the budget for the year and to date, and the latest full-year forecast. Pounds,
-- expenditure positive and income negative (input contract §4.2), so the (surplus)/deficit is the sum of all lines.
-- Lines without money are 0; the forecast is null until one has been made in the year. Balance-sheet subjectives
-- are not P&L lines; subjectives the organisation's map does not know are left out and tested (warning).
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

organisations as (
    -- Every organisation that has delivered any finance table the P&L reads.
    select distinct la_code from {{ ref('stg_fin__ledger_lines') }}
    union
    select distinct la_code from {{ ref('stg_fin__budget_lines') }}
    union
    select distinct la_code from {{ ref('stg_fin__forecast_lines') }}
),

actuals as (
    select
        ledger.la_code,
        periods.period_end,
        ledger.pnl_line,
        sum(case when ledger.period = periods.period_month then ledger.amount_gbp else 0 end) as actual_month_gbp,
        sum(ledger.amount_gbp) as actual_ytd_gbp
    from ledger
    inner join periods
        on ledger.fy = periods.fy and ledger.period <= periods.period_month
    group by ledger.la_code, periods.period_end, ledger.pnl_line
),

budgets as (
    select
        la_code,
        period_end,
        pnl_line,
        sum(budget_full_year_gbp) as budget_full_year_gbp,
        sum(budget_ytd_gbp) as budget_ytd_gbp
    from budget
    group by la_code, period_end, pnl_line
),

forecast_lines as (
    select
        la_code,
        period_end,
        pnl_line,
        sum(forecast_full_year_gbp) as forecast_full_year_gbp
    from forecasts
    group by la_code, period_end, pnl_line
),

forecast_made as (
    -- Whether a forecast exists for the year by the period end (then a line without a forecast line is 0).
    select distinct
        la_code,
        period_end,
        as_of_period
    from {{ ref('int_fin_forecasts_chosen') }}
),

line_values as (
    select
        organisations.la_code,
        periods.period_end,
        periods.fy,
        layout.pnl_line,
        coalesce(actuals.actual_month_gbp, 0) as actual_month_gbp,
        coalesce(actuals.actual_ytd_gbp, 0) as actual_ytd_gbp,
        coalesce(budgets.budget_ytd_gbp, 0) as budget_ytd_gbp,
        coalesce(budgets.budget_full_year_gbp, 0) as budget_full_year_gbp,
        case
            when forecast_made.la_code is not null then coalesce(forecast_lines.forecast_full_year_gbp, 0)
        end as forecast_full_year_gbp,
        forecast_made.as_of_period as forecast_as_of_period
    from organisations
    cross join periods
    inner join layout
        on layout.line_kind = 'line'
    left join actuals
        on
            organisations.la_code = actuals.la_code
            and periods.period_end = actuals.period_end
            and layout.pnl_line = actuals.pnl_line
    left join budgets
        on
            organisations.la_code = budgets.la_code
            and periods.period_end = budgets.period_end
            and layout.pnl_line = budgets.pnl_line
    left join forecast_lines
        on
            organisations.la_code = forecast_lines.la_code
            and periods.period_end = forecast_lines.period_end
            and layout.pnl_line = forecast_lines.pnl_line
    left join forecast_made
        on
            organisations.la_code = forecast_made.la_code
            and periods.period_end = forecast_made.period_end
),

total_kinds as (
    -- Each line adds to its section's total and to the (surplus)/deficit.
    select cast('SECTION' as varchar) as total_line
    union all
    select cast('NET_POSITION' as varchar) as total_line
),

totals as (
    -- Total income, total expenditure and the (surplus)/deficit = their sum (income is negative).
    select
        line_values.la_code,
        line_values.period_end,
        line_values.fy,
        case
            when section.total_line = 'NET_POSITION' then 'NET_POSITION'
            when layout.pnl_section = 'income' then 'TOTAL_INCOME'
            else 'TOTAL_EXPENDITURE'
        end as pnl_line,
        sum(line_values.actual_month_gbp) as actual_month_gbp,
        sum(line_values.actual_ytd_gbp) as actual_ytd_gbp,
        sum(line_values.budget_ytd_gbp) as budget_ytd_gbp,
        sum(line_values.budget_full_year_gbp) as budget_full_year_gbp,
        sum(line_values.forecast_full_year_gbp) as forecast_full_year_gbp,
        max(line_values.forecast_as_of_period) as forecast_as_of_period
    from line_values
    inner join layout
        on line_values.pnl_line = layout.pnl_line
    cross join total_kinds as section
    group by
        line_values.la_code,
        line_values.period_end,
        line_values.fy,
        case
            when section.total_line = 'NET_POSITION' then 'NET_POSITION'
            when layout.pnl_section = 'income' then 'TOTAL_INCOME'
            else 'TOTAL_EXPENDITURE'
        end
),

all_rows as (
    select * from line_values
    union all
    select * from totals
),

final as (
    select
        cast(all_rows.la_code as varchar) as la_code,
        cast(all_rows.period_end as date) as period_end,
        cast(all_rows.fy as varchar) as fy,
        cast(all_rows.pnl_line as varchar) as pnl_line,
        cast(layout.pnl_line_label as varchar) as pnl_line_label,
        cast(layout.pnl_section as varchar) as pnl_section,
        cast(layout.line_kind as varchar) as line_kind,
        cast(layout.line_order as integer) as line_order,
        cast(all_rows.actual_month_gbp as numeric(18, 2)) as actual_month_gbp,
        cast(all_rows.actual_ytd_gbp as numeric(18, 2)) as actual_ytd_gbp,
        cast(all_rows.budget_ytd_gbp as numeric(18, 2)) as budget_ytd_gbp,
        cast(all_rows.budget_full_year_gbp as numeric(18, 2)) as budget_full_year_gbp,
        cast(all_rows.forecast_full_year_gbp as numeric(18, 2)) as forecast_full_year_gbp,
        cast(all_rows.actual_ytd_gbp - all_rows.budget_ytd_gbp as numeric(18, 2)) as ytd_variance_gbp,
        cast(all_rows.forecast_full_year_gbp - all_rows.budget_full_year_gbp as numeric(18, 2))
            as forecast_variance_gbp,
        cast(all_rows.forecast_as_of_period as varchar) as forecast_as_of_period
    from all_rows
    inner join layout
        on all_rows.pnl_line = layout.pnl_line
)

select * from final
