-- The working-day macros applied to the hand-worked cases of the test-data seed working_day_test_vectors, against
-- the real calendar. The data tests compare every result with the expected one on each build and engine; the unit
-- tests (_calendar__models.yml) pin the macros on a hand-written calendar slice, day 0 and day 1.
with

vectors as (
    select * from {{ ref('working_day_test_vectors') }}
),

final as (
    select
        vectors.case_id,
        vectors.start_date,
        vectors.end_date,
        vectors.working_days,
        -- The project's setting (var start_is_day_one) ...
        {{ add_working_days('vectors.start_date', 'vectors.working_days') }} as due_date,
        {{ is_within_working_days('vectors.start_date', 'vectors.end_date', 'vectors.working_days') }} as is_within,
        -- ... and both variants pinned.
        {{ add_working_days('vectors.start_date', 'vectors.working_days', start_is_day_one=false) }}
            as due_date_day_zero,
        {{ add_working_days('vectors.start_date', 'vectors.working_days', start_is_day_one=true) }}
            as due_date_day_one,
        {{ working_days_between('vectors.start_date', 'vectors.end_date') }} as working_days_between,
        vectors.expected_due_date_day_zero,
        vectors.expected_due_date_day_one,
        vectors.expected_working_days_between
    from vectors
)

select * from final
