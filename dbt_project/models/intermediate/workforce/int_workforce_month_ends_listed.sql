-- The 25 month ends ending `as_of` (the month itself and the 24 before it): the snapshot dates of the workforce
-- (establishment, people in post) for the 13 reporting periods and, behind each period's rolling 12 months, the 13
-- month-end headcounts b22 averages (kpi-catalogue §1.1). Built from month starts, so 2024-02-29 is reached exactly.
with

month_offsets as (
    select offsets.month_offset
    from (
        values
        (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12),
        (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)
    ) as offsets (month_offset)
),

final as (
    select
        {{ add_days(add_months(add_months(month_start(as_of_date()), '-month_offset'), 1), -1) }} as month_end,
        {{ add_months(month_start(as_of_date()), '-month_offset') }} as month_start,
        month_offset as months_before_as_of
    from month_offsets
)

select * from final
