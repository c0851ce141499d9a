-- Every rate row of every placement commitment (not cancelled) on each of the 13 period ends, with the days it is
-- funded in the month, in the financial year to date and over the whole financial year as forecast, and their cost
-- (kpi-catalogue §1.4 f_plc_*, §4.4). The basis of the "demand-led service" table and of the commitment-ledger
-- reconciliation.
--   * A row funds the days [greatest(start_date, rate_effective_from), least(end_date, rate_effective_to + 1)):
--     end_date is the day the placement ended (the 903 DEC, not funded), rate_effective_to the rate's last day.
--   * Cost = weekly rate x days / 7; FTE = placement-weeks / 52 = days / 364, so cost = FTE x rate x 52 exactly.
--   * Forecast to the year end: a row whose end is known (an end date, or a later rate row) runs to that end; an
--     open row runs to its expected_end_date (like end_date, the first day not funded) when that is after the
--     period end, else (no expected end, or one already passed) to the end of the financial year.
-- Figures for period ends before `as_of` are recomputed from the commitments as known at `as_of`.
with

commitments as (
    select * from {{ ref('stg_fin__placement_commitments') }}
    where commitment_status <> 'CANCELLED'
),

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

bounded as (
    select
        commitments.la_code,
        periods.period_end,
        periods.period_start,
        periods.fy,
        periods.fy_start_date,
        {{ add_days('periods.fy_end_date', 1) }} as after_fy_end,
        {{ add_days('periods.period_end', 1) }} as after_period_end,
        commitments.commitment_id,
        commitments.rate_effective_from,
        commitments.child_id,
        commitments.provider_id,
        commitments.finance_placement_type,
        commitments.cost_centre,
        commitments.weekly_rate_gbp,
        commitments.start_date,
        commitments.end_date,
        commitments.expected_end_date,
        commitments.cla_episode_start_date,
        commitments.load_id,
        greatest(commitments.start_date, commitments.rate_effective_from) as funded_from,
        case
            when commitments.end_date is not null and commitments.rate_effective_to is not null
                then least(commitments.end_date, {{ add_days('commitments.rate_effective_to', 1) }})
            when commitments.end_date is not null then commitments.end_date
            when commitments.rate_effective_to is not null then {{ add_days('commitments.rate_effective_to', 1) }}
        end as known_funded_until
    from commitments
    cross join periods
),

projected as (
    select
        *,
        coalesce(known_funded_until, after_fy_end) as actual_funded_until,
        case
            when known_funded_until is not null then known_funded_until
            when expected_end_date > period_end then expected_end_date
            else after_fy_end
        end as forecast_funded_until
    from bounded
),

counted as (
    select
        *,
        {{ days_overlapping('funded_from', 'actual_funded_until', 'period_start', 'after_period_end') }}
            as days_in_month,
        {{ days_overlapping('funded_from', 'actual_funded_until', 'fy_start_date', 'after_period_end') }}
            as days_ytd,
        {{ days_overlapping('funded_from', 'forecast_funded_until', 'after_period_end', 'after_fy_end') }}
            as days_after_period_end,
        case
            when funded_from <= period_end and actual_funded_until > period_end then 1 else 0
        end as is_funded_on_period_end
    from projected
),

final as (
    select
        la_code,
        period_end,
        fy,
        commitment_id,
        rate_effective_from,
        child_id,
        provider_id,
        finance_placement_type,
        cost_centre,
        weekly_rate_gbp,
        start_date,
        end_date,
        expected_end_date,
        cla_episode_start_date,
        funded_from,
        known_funded_until,
        forecast_funded_until,
        cast(is_funded_on_period_end = 1 as boolean) as is_funded_on_period_end,
        cast(days_in_month as integer) as days_in_month,
        cast(days_ytd as integer) as days_ytd,
        cast(days_ytd + days_after_period_end as integer) as days_forecast_fy,
        cast(weekly_rate_gbp * days_in_month as numeric(18, 2)) as rate_days_in_month,
        cast(weekly_rate_gbp * days_ytd as numeric(18, 2)) as rate_days_ytd,
        cast(weekly_rate_gbp * (days_ytd + days_after_period_end) as numeric(18, 2)) as rate_days_forecast_fy,
        load_id
    from counted
    where days_ytd + days_after_period_end > 0 or is_funded_on_period_end = 1
)

select * from final
