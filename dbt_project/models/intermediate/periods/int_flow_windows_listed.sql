-- The windows a flow measure counts events over, for each of the 13 period ends ending `as_of` (kpi-catalogue
-- §0.2): the month, the financial year to date (from 1 April) and the rolling 12 months (period_end - 12 months,
-- period_end]. Both bounds are INCLUSIVE, so a members model joins `event_date between window_start and
-- window_end` whatever the window.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

windows as (
    select
        period_end,
        period_start,
        previous_period_end,
        months_before_as_of,
        cast('month' as varchar) as measure_window,
        period_start as window_start
    from periods

    union all

    -- 1 April of the financial year holding the period end: April is 0 months back, March 11.
    select
        period_end,
        period_start,
        previous_period_end,
        months_before_as_of,
        cast('ytd' as varchar) as measure_window,
        {{ add_months('period_start', '-((cast(extract(month from period_start) as integer) + 8) % 12)') }}
            as window_start
    from periods

    union all

    -- The half-open (period_end - 12 months, period_end] as an inclusive range: the day after the exclusive start
    -- (2025-02-28: 2024-02-29 to 2025-02-28, the leap day included).
    select
        period_end,
        period_start,
        previous_period_end,
        months_before_as_of,
        cast('rolling_12m' as varchar) as measure_window,
        {{ add_days('rolling_12m_window_start', 1) }} as window_start
    from periods
),

final as (
    select
        period_end,
        period_start,
        measure_window,
        window_start,
        period_end as window_end,
        previous_period_end,
        months_before_as_of
    from windows
)

select * from final
