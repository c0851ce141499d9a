-- The 13 reporting months ending at the period end `as_of` (the month itself and the 12 before it), with the
-- bounds every snapshot and rolling-12-month measure needs. Month ends are built from month starts, so
-- 2024-02-29 and 2025-02-28 are both reached exactly (no clamping drift).
with

month_offsets as (
    select offsets.month_offset
    from (
        values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)
    ) as offsets (month_offset)
),

month_starts as (
    select
        month_offset,
        {{ add_months(month_start(as_of_date()), '-month_offset') }} as period_start
    from month_offsets
),

final as (
    select
        {{ add_days(add_months('period_start', 1), -1) }} as period_end,
        period_start,
        {{ add_days('period_start', -1) }} as previous_period_end,
        {{ add_months(add_days(add_months('period_start', 1), -1), -12) }} as rolling_12m_window_start,
        month_offset as months_before_as_of,
        month_offset = 0 as is_as_of_period
    from month_starts
)

select * from final
