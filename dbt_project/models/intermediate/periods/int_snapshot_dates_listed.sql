-- Every date a snapshot measure is taken on in the 13 reporting months ending `as_of` (kpi-catalogue §0.2,
-- §2.5 B5): the month end (measure_window 'month_end') and every weekly Compliance Report date in the month
-- (measure_window 'weekly', the weekday of the dbt var `cr_weekday`). A CR date that is also the month end gives
-- two rows, one per window, so each window keeps an unbroken series of its own.
{%- set cr_weekday_number = cr_iso_weekday() %}
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

week_offsets as (
    -- A month has at most 5 of any weekday.
    select offsets.week_offset
    from (values (0), (1), (2), (3), (4)) as offsets (week_offset)
),

first_report_dates as (
    -- The first CR weekday on or after the 1st: ISO weekdays run 1 (Monday) to 7 (Sunday).
    select
        period_end,
        period_start,
        months_before_as_of,
        {{ add_days(
            'period_start',
            '(' ~ cr_weekday_number ~ ' - ' ~ iso_day_of_week('period_start') ~ ' + 7) % 7'
        ) }} as first_report_date
    from periods
),

weekly as (
    select
        first_report_dates.period_end,
        first_report_dates.period_start,
        cast('weekly' as varchar) as measure_window,
        {{ add_days('first_report_dates.first_report_date', '7 * week_offsets.week_offset') }} as snapshot_date,
        -- The previous CR return (kpi-catalogue §2.5 A4), which may fall in the month before.
        {{ add_days('first_report_dates.first_report_date', '7 * week_offsets.week_offset - 7') }}
            as previous_snapshot_date,
        first_report_dates.months_before_as_of
    from first_report_dates
    cross join week_offsets
    where
        {{ add_days('first_report_dates.first_report_date', '7 * week_offsets.week_offset') }}
        <= first_report_dates.period_end
),

month_ends as (
    select
        period_end,
        period_start,
        cast('month_end' as varchar) as measure_window,
        period_end as snapshot_date,
        previous_period_end as previous_snapshot_date,
        months_before_as_of
    from periods
),

final as (
    select * from month_ends
    union all
    select * from weekly
)

select * from final
