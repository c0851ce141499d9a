-- The calendar for analysts: one row per day with weekends, England and Wales bank holidays, working days and the
-- financial and ISO periods. A copy of int_calendar_days_listed, which the working-day macros read (intermediate
-- models must not depend on a mart).
with

calendar as (
    select * from {{ ref('int_calendar_days_listed') }}
),

final as (
    select * from calendar
)

select * from final
