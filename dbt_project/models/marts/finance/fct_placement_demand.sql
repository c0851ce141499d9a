-- The "demand-led service" table (kpi-catalogue §1.4 f_plc_fte_by_type, f_plc_avg_weekly_rate_by_type,
-- f_plc_cost_by_type, f_plc_variance, f_care_leaver_cost, s_unit_cost_by_type; §4.4; S0 "Our Demand-Led Service")
-- of each organisation on each of the 13 period ends, for the period end's financial year: one row per finance
-- placement type with commitments or a budget, one per section of the seed ref_finance_placement_types (CLA,
-- PERMANENCY, FOSTERING, CARE_LEAVERS) and one for the Placements P&L line (PLACEMENTS_TOTAL: the types whose
-- cost sits on that line; care leavers do not, kpi-catalogue §5.5).
--   forecast: the commitments over the whole year (int_placement_commitments_costed): FTE = placement-weeks / 52,
--             average weekly rate = sum(rate x days) / sum(days) (FTE-weighted), total = sum(rate x days / 7), so
--             total = FTE x rate x 52 exactly;
--   budget:   fin_placement_budget (FTE, rate, total as delivered; section rows: sums and the FTE-weighted rate);
--   variance: forecast - budget (positive = overspend) for FTE, rate and total; the total's variance is split into
--             volume = (forecast FTE - budget FTE) x budget rate x 52 and rate = (forecast rate - budget rate) x
--             forecast FTE x 52, plus budget_identity_gap = budget FTE x rate x 52 - budget total (the delivered
--             budget's own rounding), so volume + rate + gap = total variance. Section rows add the types' parts.
--   also: the month's FTE (days / days in the month) and cost, the year-to-date cost, the children funded in the
--   year to date and on the period end, and the cost per child funded in the year to date.
with

costed as (
    select * from {{ ref('int_placement_commitments_costed') }}
),

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

budgets as (
    select * from {{ ref('stg_fin__placement_budgets') }}
),

types as (
    select * from {{ ref('ref_finance_placement_types') }}
),

commitment_figures as (
    select
        la_code,
        period_end,
        finance_placement_type,
        sum(days_in_month) as days_in_month,
        sum(days_ytd) as days_ytd,
        sum(days_forecast_fy) as days_forecast_fy,
        sum(rate_days_in_month) as rate_days_in_month,
        sum(rate_days_ytd) as rate_days_ytd,
        sum(rate_days_forecast_fy) as rate_days_forecast_fy,
        count(distinct case when days_ytd > 0 then child_id end) as children_funded_ytd,
        count(distinct case when is_funded_on_period_end then child_id end) as children_funded_on_period_end
    from costed
    group by la_code, period_end, finance_placement_type
),

type_keys as (
    select
        la_code,
        period_end,
        finance_placement_type
    from commitment_figures
    union
    select
        budgets.la_code,
        periods.period_end,
        budgets.finance_placement_type
    from budgets
    inner join periods
        on budgets.fy = periods.fy
),

type_rows as (
    select
        type_keys.la_code,
        type_keys.period_end,
        periods.fy,
        cast('type' as varchar) as row_kind,
        type_keys.finance_placement_type as row_key,
        types.demand_section,
        types.is_in_placements_line,
        cast(extract(day from type_keys.period_end) as integer) as days_in_period_month,
        coalesce(commitment_figures.days_in_month, 0) as days_in_month,
        coalesce(commitment_figures.days_forecast_fy, 0) as days_forecast_fy,
        coalesce(commitment_figures.rate_days_in_month, 0) as rate_days_in_month,
        coalesce(commitment_figures.rate_days_ytd, 0) as rate_days_ytd,
        coalesce(commitment_figures.rate_days_forecast_fy, 0) as rate_days_forecast_fy,
        coalesce(commitment_figures.children_funded_ytd, 0) as children_funded_ytd,
        coalesce(commitment_figures.children_funded_on_period_end, 0) as children_funded_on_period_end,
        budgets.budget_fte,
        budgets.budget_weekly_rate_gbp,
        budgets.budget_total_gbp
    from type_keys
    inner join periods
        on type_keys.period_end = periods.period_end
    left join types
        on type_keys.finance_placement_type = types.finance_placement_type
    left join commitment_figures
        on
            type_keys.la_code = commitment_figures.la_code
            and type_keys.period_end = commitment_figures.period_end
            and type_keys.finance_placement_type = commitment_figures.finance_placement_type
    left join budgets
        on
            type_keys.la_code = budgets.la_code
            and periods.fy = budgets.fy
            and type_keys.finance_placement_type = budgets.finance_placement_type
),

type_figures as (
    select
        *,
        days_forecast_fy / 364.0 as forecast_fte,
        case when days_forecast_fy > 0 then rate_days_forecast_fy / days_forecast_fy end as forecast_weekly_rate,
        rate_days_forecast_fy / 7.0 as forecast_total,
        budget_fte * budget_weekly_rate_gbp * 52 - budget_total_gbp as budget_identity_gap
    from type_rows
),

type_variances as (
    select
        *,
        (forecast_fte - coalesce(budget_fte, 0)) * coalesce(budget_weekly_rate_gbp, 0) * 52 as volume_variance,
        case
            when budget_weekly_rate_gbp is not null and forecast_weekly_rate is not null
                then (forecast_weekly_rate - budget_weekly_rate_gbp) * forecast_fte * 52
            when forecast_weekly_rate is not null then forecast_weekly_rate * forecast_fte * 52
            else 0
        end as rate_variance
    from type_figures
),

groupings as (
    -- Which section and total rows each type adds to.
    select
        finance_placement_type,
        cast('section' as varchar) as row_kind,
        demand_section as row_key
    from types
    union all
    select
        finance_placement_type,
        cast('total' as varchar) as row_kind,
        cast('PLACEMENTS_TOTAL' as varchar) as row_key
    from types
    where is_in_placements_line
),

group_rows as (
    -- Sections, and the Placements line; a type in neither (not in the seed) counts in neither.
    select
        type_variances.la_code,
        type_variances.period_end,
        type_variances.fy,
        groupings.row_kind,
        groupings.row_key,
        type_variances.days_in_period_month,
        sum(type_variances.days_in_month) as days_in_month,
        sum(type_variances.days_forecast_fy) as days_forecast_fy,
        sum(type_variances.rate_days_in_month) as rate_days_in_month,
        sum(type_variances.rate_days_ytd) as rate_days_ytd,
        sum(type_variances.rate_days_forecast_fy) as rate_days_forecast_fy,
        sum(type_variances.children_funded_ytd) as children_funded_ytd,
        sum(type_variances.children_funded_on_period_end) as children_funded_on_period_end,
        sum(type_variances.budget_fte) as budget_fte,
        sum(type_variances.budget_fte * type_variances.budget_weekly_rate_gbp) as budget_rate_fte,
        sum(type_variances.budget_total_gbp) as budget_total_gbp,
        sum(type_variances.budget_identity_gap) as budget_identity_gap,
        sum(type_variances.volume_variance) as volume_variance,
        sum(type_variances.rate_variance) as rate_variance
    from type_variances
    inner join groupings
        on type_variances.row_key = groupings.finance_placement_type
    group by
        type_variances.la_code,
        type_variances.period_end,
        type_variances.fy,
        groupings.row_kind,
        groupings.row_key,
        type_variances.days_in_period_month
),

all_rows as (
    select
        la_code,
        period_end,
        fy,
        row_kind,
        row_key,
        demand_section,
        days_in_period_month,
        days_in_month,
        days_forecast_fy,
        rate_days_in_month,
        rate_days_ytd,
        rate_days_forecast_fy,
        children_funded_ytd,
        children_funded_on_period_end,
        budget_fte,
        budget_weekly_rate_gbp,
        budget_total_gbp,
        budget_identity_gap,
        volume_variance,
        rate_variance
    from type_variances
    union all
    select
        la_code,
        period_end,
        fy,
        row_kind,
        row_key,
        case when row_kind = 'section' then row_key end as demand_section,
        days_in_period_month,
        days_in_month,
        days_forecast_fy,
        rate_days_in_month,
        rate_days_ytd,
        rate_days_forecast_fy,
        children_funded_ytd,
        children_funded_on_period_end,
        budget_fte,
        budget_rate_fte / nullif(budget_fte, 0) as budget_weekly_rate_gbp,
        budget_total_gbp,
        budget_identity_gap,
        volume_variance,
        rate_variance
    from group_rows
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_end as date) as period_end,
        cast(fy as varchar) as fy,
        cast(row_kind as varchar) as row_kind,
        cast(row_key as varchar) as row_key,
        cast(demand_section as varchar) as demand_section,
        cast(days_in_month * 1.0 / days_in_period_month as numeric(18, 4)) as month_fte,
        cast(rate_days_in_month / 7.0 as numeric(18, 2)) as month_cost_gbp,
        cast(rate_days_ytd / 7.0 as numeric(18, 2)) as ytd_cost_gbp,
        cast(days_forecast_fy as integer) as forecast_placement_days,
        cast(days_forecast_fy / 364.0 as numeric(18, 4)) as forecast_fte,
        cast(rate_days_forecast_fy / nullif(days_forecast_fy, 0) as numeric(18, 2)) as forecast_weekly_rate_gbp,
        cast(rate_days_forecast_fy / 7.0 as numeric(18, 2)) as forecast_total_gbp,
        cast(budget_fte as numeric(18, 4)) as budget_fte,
        cast(budget_weekly_rate_gbp as numeric(18, 2)) as budget_weekly_rate_gbp,
        cast(budget_total_gbp as numeric(18, 2)) as budget_total_gbp,
        cast(days_forecast_fy / 364.0 - coalesce(budget_fte, 0) as numeric(18, 4)) as variance_fte,
        cast(
            rate_days_forecast_fy / nullif(days_forecast_fy, 0) - budget_weekly_rate_gbp as numeric(18, 2)
        ) as variance_weekly_rate_gbp,
        cast(rate_days_forecast_fy / 7.0 - coalesce(budget_total_gbp, 0) as numeric(18, 2)) as variance_total_gbp,
        cast(volume_variance as numeric(18, 2)) as volume_variance_gbp,
        cast(rate_variance as numeric(18, 2)) as rate_variance_gbp,
        cast(budget_identity_gap as numeric(18, 2)) as budget_identity_gap_gbp,
        cast(
            100.0 * (rate_days_forecast_fy / 7.0 - budget_total_gbp) / nullif(budget_total_gbp, 0) as numeric(18, 4)
        ) as variance_pct_of_budget,
        cast(children_funded_ytd as integer) as children_funded_ytd,
        cast(children_funded_on_period_end as integer) as children_funded_on_period_end,
        cast(rate_days_ytd / 7.0 / nullif(children_funded_ytd, 0) as numeric(18, 2)) as ytd_cost_per_child_gbp
    from all_rows
)

select * from final
