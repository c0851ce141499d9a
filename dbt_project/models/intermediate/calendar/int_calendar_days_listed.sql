-- One row per day from 2000-01-01 to 31 December three years after `as_of`: weekends, England and Wales bank
-- holidays (the seed ref_bank_holidays, never a list in SQL), working days and their running number, which turns
-- working-day arithmetic into keyed lookups (macros/calendar/working_days.sql).
-- A table, not a view like the rest of intermediate: every working-day macro call looks days up in it, so it is
-- computed once per build and indexed on both lookup keys (PostgreSQL uses the indexes for them).
{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['calendar_date'], 'unique': true},
            {'columns': ['working_day_number', 'is_working_day']},
        ],
    )
}}

with

bank_holidays as (
    select
        cast(holiday.date as date) as holiday_date,
        cast(holiday.title as varchar) as holiday_title
    from {{ ref('ref_bank_holidays') }} as holiday
),

days as (
    {{ date_series(calendar_first_date(), calendar_last_date()) }}
),

dated as (
    select
        days.calendar_date,
        cast(extract(year from days.calendar_date) as integer) as calendar_year,
        cast(extract(month from days.calendar_date) as integer) as calendar_month,
        cast(extract(day from days.calendar_date) as integer) as day_of_month,
        {{ iso_day_of_week('days.calendar_date') }} as iso_day_of_week,
        {{ iso_year('days.calendar_date') }} as iso_year,
        cast(extract(week from days.calendar_date) as integer) as iso_week,
        {{ month_start('days.calendar_date') }} as month_start,
        bank_holidays.holiday_title as bank_holiday_title
    from days
    left join bank_holidays
        on days.calendar_date = bank_holidays.holiday_date
),

flagged as (
    select
        dated.*,
        dated.iso_day_of_week >= 6 as is_weekend,
        dated.bank_holiday_title is not null as is_bank_holiday,
        dated.iso_day_of_week < 6 and dated.bank_holiday_title is null as is_working_day,
        -- Financial (and statutory collection) year: 1 April to 31 March, labelled by its first year.
        dated.calendar_year - case when dated.calendar_month < 4 then 1 else 0 end as financial_year_start_year
    from dated
),

numbered as (
    select
        flagged.*,
        cast(
            sum(case when flagged.is_working_day then 1 else 0 end) over (
                order by flagged.calendar_date rows between unbounded preceding and current row
            ) as integer
        ) as working_day_number,
        min(case when flagged.is_working_day then flagged.calendar_date end) over (
            order by flagged.calendar_date rows between current row and unbounded following
        ) as next_working_day,
        max(case when flagged.is_working_day then flagged.calendar_date end) over (
            order by flagged.calendar_date rows between unbounded preceding and current row
        ) as previous_working_day
    from flagged
),

final as (
    select
        calendar_date,
        calendar_year,
        calendar_month,
        day_of_month,
        case calendar_month
            when 1 then 'January' when 2 then 'February' when 3 then 'March' when 4 then 'April'
            when 5 then 'May' when 6 then 'June' when 7 then 'July' when 8 then 'August'
            when 9 then 'September' when 10 then 'October' when 11 then 'November' else 'December'
        end as month_name,
        cast({{ integer_divide('calendar_month + 2', 3) }} as integer) as calendar_quarter,
        iso_day_of_week,
        case iso_day_of_week
            when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
            when 5 then 'Friday' when 6 then 'Saturday' else 'Sunday'
        end as day_name,
        iso_year,
        iso_week,
        {{ add_days('calendar_date', '1 - iso_day_of_week') }} as iso_week_start,
        month_start,
        {{ add_days(add_months('month_start', 1), -1) }} as month_end,
        calendar_date = {{ add_days(add_months('month_start', 1), -1) }} as is_month_end,
        cast(financial_year_start_year as varchar)
        || '-'
        || lpad(cast((financial_year_start_year + 1) % 100 as varchar), 2, '0') as financial_year,
        cast(cast(financial_year_start_year as varchar) || '-04-01' as date) as financial_year_start,
        cast({{ integer_divide('(calendar_month + 8) % 12', 3) }} + 1 as integer) as financial_quarter,
        is_weekend,
        is_bank_holiday,
        bank_holiday_title,
        is_working_day,
        working_day_number,
        next_working_day,
        previous_working_day,
        -- The working_day_number of day 0 when counting from this date (its own, or the next working day's).
        working_day_number + case when is_working_day then 0 else 1 end as next_working_day_number
    from numbered
)

select * from final
