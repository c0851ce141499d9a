-- The 13 reporting months ending `as_of` (int_reporting_periods_listed) with the financial year each falls in
-- (1 April - 31 March, kpi-catalogue §0.2): the year-to-date window of every finance figure and the full year a
-- forecast or budget is for.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

with_year as (
    select
        period_end,
        period_start,
        is_as_of_period,
        {{ date_fy_start_year('period_end') }} as fy_start_year
    from periods
),

final as (
    select
        period_end,
        period_start,
        is_as_of_period,
        {{ month_text('period_start') }} as period_month,
        cast(fy_start_year as varchar) || '-' || substr(cast(fy_start_year + 1 as varchar), 3, 2) as fy,
        cast(cast(fy_start_year as varchar) || '-04-01' as date) as fy_start_date,
        cast(cast(fy_start_year + 1 as varchar) || '-03-31' as date) as fy_end_date,
        cast(
            (
                cast(cast(fy_start_year + 1 as varchar) || '-04-01' as date)
                - cast(cast(fy_start_year as varchar) || '-04-01' as date)
            ) as integer
        ) as days_in_fy,
        cast(
            (cast(extract(month from period_end) as integer) + 8) % 12 + 1
            as integer
        ) as months_elapsed_in_fy
    from with_year
)

select * from final
