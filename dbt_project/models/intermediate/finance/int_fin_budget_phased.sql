-- The budget in force (stg_fin__budget_lines) by period end: the full-year budget of the period end's financial
-- year and the part of it phased to the year to date, per (cost centre, subjective) with its P&L line. Monthly
-- lines count in the months they name; an annual line (null period) is phased evenly, 1/12 a month (input contract
-- §4.2 fin_budget).
with

budget as (
    select * from {{ ref('stg_fin__budget_lines') }}
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

phased as (
    select
        budget.la_code,
        periods.period_end,
        budget.fy,
        budget.cost_centre,
        budget.subjective_code,
        sum(budget.budget_gbp) as budget_full_year_gbp,
        sum(
            case
                when budget.period is null then budget.budget_gbp * periods.months_elapsed_in_fy / 12.0
                when budget.period <= periods.period_month then budget.budget_gbp
                else 0
            end
        ) as budget_ytd_gbp
    from budget
    inner join periods
        on budget.fy = periods.fy
    group by budget.la_code, periods.period_end, budget.fy, budget.cost_centre, budget.subjective_code
),

final as (
    select
        phased.la_code,
        phased.period_end,
        phased.fy,
        phased.cost_centre,
        phased.subjective_code,
        subjectives.subjective_group,
        groups.pnl_line,
        lines.pnl_section,
        coalesce(groups.is_in_pnl, false) as is_in_pnl,
        cast(phased.budget_full_year_gbp as numeric(18, 2)) as budget_full_year_gbp,
        cast(phased.budget_ytd_gbp as numeric(18, 2)) as budget_ytd_gbp
    from phased
    left join subjectives
        on
            phased.la_code = subjectives.la_code
            and phased.subjective_code = subjectives.subjective_code
    left join groups
        on subjectives.subjective_group = groups.subjective_group
    left join lines
        on groups.pnl_line = lines.pnl_line
)

select * from final
