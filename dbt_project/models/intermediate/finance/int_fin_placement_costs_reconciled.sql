-- Commitments against the ledger (kpi-catalogue §1.4 f_plc_cost_by_type, §5.8 gate 3; input contract X8): for each
-- organisation that delivered placement commitments, each of the 13 period months and each placement cost centre
-- (a cost centre on a commitment, or one ref_cost_centre_map gives a finance placement type), the month's cost of
-- the commitments (rate x days / 7) and the ledger's actual expenditure posted to that month. They agree when the
-- difference is at most the larger of var fin_commitment_ledger_tolerance_pct (default 5) % of the ledger and var
-- fin_commitment_ledger_tolerance_gbp (default £100, so a cost centre with pennies of rounding never trips).
with

costed as (
    select * from {{ ref('int_placement_commitments_costed') }}
),

ledger as (
    select * from {{ ref('int_fin_ledger_lines_mapped') }}
    where is_actual and pnl_section = 'expenditure'
),

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

mapped_cost_centres as (
    select * from {{ ref('stg_ref__cost_centre_map') }}
    where finance_placement_type is not null
),

delivering as (
    select distinct la_code from {{ ref('stg_fin__placement_commitments') }}
),

placement_cost_centres as (
    select distinct
        la_code,
        cost_centre
    from costed
    union
    select
        mapped_cost_centres.la_code,
        mapped_cost_centres.cost_centre
    from mapped_cost_centres
    inner join delivering
        on mapped_cost_centres.la_code = delivering.la_code
),

commitment_costs as (
    select
        la_code,
        period_end,
        cost_centre,
        sum(rate_days_in_month) / 7.0 as commitment_cost_gbp
    from costed
    group by la_code, period_end, cost_centre
),

ledger_costs as (
    select
        ledger.la_code,
        periods.period_end,
        ledger.cost_centre,
        sum(ledger.amount_gbp) as ledger_actual_gbp
    from ledger
    inner join periods
        on ledger.period = periods.period_month
    group by ledger.la_code, periods.period_end, ledger.cost_centre
),

compared as (
    select
        placement_cost_centres.la_code,
        periods.period_end,
        periods.is_as_of_period,
        placement_cost_centres.cost_centre,
        cast(coalesce(commitment_costs.commitment_cost_gbp, 0) as numeric(18, 2)) as commitment_cost_gbp,
        cast(coalesce(ledger_costs.ledger_actual_gbp, 0) as numeric(18, 2)) as ledger_actual_gbp
    from placement_cost_centres
    cross join periods
    left join commitment_costs
        on
            placement_cost_centres.la_code = commitment_costs.la_code
            and periods.period_end = commitment_costs.period_end
            and placement_cost_centres.cost_centre = commitment_costs.cost_centre
    left join ledger_costs
        on
            placement_cost_centres.la_code = ledger_costs.la_code
            and periods.period_end = ledger_costs.period_end
            and placement_cost_centres.cost_centre = ledger_costs.cost_centre
),

final as (
    select
        *,
        cast(commitment_cost_gbp - ledger_actual_gbp as numeric(18, 2)) as difference_gbp,
        cast(
            greatest(
                abs(ledger_actual_gbp) * {{ var('fin_commitment_ledger_tolerance_pct') }} / 100.0,
                {{ var('fin_commitment_ledger_tolerance_gbp') }}
            ) as numeric(18, 2)
        ) as tolerance_gbp
    from compared
)

select * from final
