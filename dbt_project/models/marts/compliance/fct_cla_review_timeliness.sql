-- CLA reviews in timescale (kpi-catalogue §1.1 b17_cla_reviews_in_time, §2.5 B6) in the common members shape
-- (docs/marts/compliance.md):
--   b17_cla_reviews_in_time             flow, per review: one row per review per window (month, ytd, rolling_12m)
--                                       of each period end.
--   b17v_cla_children_reviews_in_time   the §2.5 B6 child-level variant, a snapshot on every month end: children
--                                       looked after on it for at least 20 working days whose reviews of the last
--                                       12 months were all in time.
-- Review slots (Care Planning Regulations 2010 reg. 33), per period of care (int_cla_periods_derived: short breaks
-- V3/V4 are not care, and a new period restarts the sequence): the reviews held in the period in date order, and
-- after the last one the next review due. Slot 1 is due add_working_days(period start, 20) (day 0 = the start; var
-- start_is_day_one applies), slot 2 the held 1st review + 3 calendar months, later slots the previous held review
-- + 6 months (add_months, month-end clamped: 2024-08-31 + 3 months = 2024-11-30). A period whose start is censored
-- (the child's first episode on record is not RNE S: care began before the returns held) cannot place its first
-- review on record in the sequence: that review is 'excluded' and every later one is due 6 months after the
-- previous; with no review on record its next review has no known due date and no slot.
-- Counting at period end d over a window [start, d]:
--   held     a review held in the window: 'in_time' when held on or before its due date, else 'late';
--   overdue  a slot that fell due in the window (while the period of care was still open: a child who left care
--            on or before the due date owes no review) and was not held by d: 'overdue', in the denominator;
--   excluded a review held in the window outside any period of care (a short break) or the first on record of a
--            censored period: in neither count.
-- Attribution (§0.4): the case-holding allocation open on the review date (held) or the due date (overdue), or on
-- the month end (b17v); else the CLA&SS service that owns looked-after children (903 episodes name no team).
with

periods as (
    select * from {{ ref('int_cla_periods_derived') }}
),

reviews as (
    select * from {{ ref('int_cla_reviews_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

month_ends as (
    select * from {{ ref('int_snapshot_dates_listed') }}
    where measure_window = 'month_end'
),

held_in_periods as (
    -- The reviews held in each period of care, numbered, with the previous one.
    select
        reviews.la_code,
        reviews.child_id,
        reviews.period_of_care_number,
        periods.period_start_date,
        periods.period_end_date,
        periods.is_start_censored,
        reviews.review_date,
        row_number() over review_order as review_number,
        lag(reviews.review_date) over review_order as previous_review_date
    from reviews
    inner join periods
        on
            reviews.la_code = periods.la_code
            and reviews.child_id = periods.child_id
            and reviews.period_of_care_number = periods.period_of_care_number
    window review_order as (
        partition by reviews.la_code, reviews.child_id, reviews.period_of_care_number
        order by reviews.review_date
    )
),

period_last_reviews as (
    -- Per period of care: how many reviews were held and the latest, for the next review due.
    select
        periods.la_code,
        periods.child_id,
        periods.period_of_care_number,
        periods.period_start_date,
        periods.period_end_date,
        periods.is_start_censored,
        count(held_in_periods.review_date) as held_count,
        max(held_in_periods.review_date) as last_review_date
    from periods
    left join held_in_periods
        on
            periods.la_code = held_in_periods.la_code
            and periods.child_id = held_in_periods.child_id
            and periods.period_of_care_number = held_in_periods.period_of_care_number
    group by
        periods.la_code,
        periods.child_id,
        periods.period_of_care_number,
        periods.period_start_date,
        periods.period_end_date,
        periods.is_start_censored
),

slots as (
    -- Every held review with its due date...
    select
        la_code,
        child_id,
        period_of_care_number,
        period_start_date,
        period_end_date,
        cast(review_number as integer) as review_number,
        coalesce(previous_review_date, period_start_date) as clock_start_date,
        case
            when review_number = 1 and is_start_censored then null
            when review_number = 1 then {{ add_working_days('period_start_date', 20) }}
            when review_number = 2 and not is_start_censored then {{ add_months('previous_review_date', 3) }}
            else {{ add_months('previous_review_date', 6) }}
        end as due_date,
        review_date as held_date
    from held_in_periods

    union all

    -- ...and the next review after the last one held (the first when none was), not held yet.
    select
        la_code,
        child_id,
        period_of_care_number,
        period_start_date,
        period_end_date,
        cast(held_count + 1 as integer) as review_number,
        coalesce(last_review_date, period_start_date) as clock_start_date,
        case
            when held_count = 0 then {{ add_working_days('period_start_date', 20) }}
            when held_count = 1 and not is_start_censored then {{ add_months('last_review_date', 3) }}
            else {{ add_months('last_review_date', 6) }}
        end as due_date,
        cast(null as date) as held_date
    from period_last_reviews
    where not (held_count = 0 and is_start_censored)

    union all

    -- Reviews held outside any period of care (short breaks): listed as excluded.
    select
        la_code,
        child_id,
        cast(null as integer) as period_of_care_number,
        cast(null as date) as period_start_date,
        cast(null as date) as period_end_date,
        cast(null as integer) as review_number,
        cast(null as date) as clock_start_date,
        cast(null as date) as due_date,
        review_date as held_date
    from reviews
    where period_of_care_number is null
),

review_rows as (
    -- Each slot in each window: held in it, or due in it and not held by the period end.
    select
        slots.*,
        flow_windows.period_end,
        flow_windows.measure_window,
        case
            when slots.held_date between flow_windows.window_start and flow_windows.window_end
                then slots.held_date
        end as completed_date,
        case
            when slots.held_date between flow_windows.window_start and flow_windows.window_end
                then
                    case
                        when slots.due_date is null then 'excluded'
                        when slots.held_date <= slots.due_date then 'in_time'
                        else 'late'
                    end
            else 'overdue'
        end as status,
        case
            when slots.held_date between flow_windows.window_start and flow_windows.window_end
                then slots.held_date
            else slots.due_date
        end as attribution_date
    from slots
    inner join flow_windows
        on
            slots.held_date between flow_windows.window_start and flow_windows.window_end
            or (
                slots.due_date between flow_windows.window_start and flow_windows.window_end
                and (slots.held_date is null or slots.held_date > flow_windows.window_end)
                and (slots.period_end_date is null or slots.period_end_date > slots.due_date)
            )
),

-- The child-level variant (§2.5 B6) --------------------------------------------------------------------------------

looked_after as (
    -- Children looked after on each month end (open on d, §0.2; of two periods open, the later) for at least 20
    -- working days: their first review has fallen due.
    select ranked.*
    from (
        select
            periods.la_code,
            periods.child_id,
            month_ends.period_end,
            month_ends.snapshot_date,
            periods.period_of_care_number,
            periods.period_start_date,
            row_number() over (
                partition by periods.la_code, periods.child_id, month_ends.snapshot_date
                order by periods.period_start_date desc
            ) as period_rank
        from periods
        inner join month_ends
            on
                periods.period_start_date <= month_ends.snapshot_date
                and (periods.period_end_date is null or periods.period_end_date > month_ends.snapshot_date)
    ) as ranked
    where
        ranked.period_rank = 1
        and {{ add_working_days('ranked.period_start_date', 20) }} <= ranked.snapshot_date
),

child_reviews_judged as (
    -- The child's reviews of the 12 months to the month end (any period of care): the rolling_12m rows.
    select
        la_code,
        child_id,
        period_end,
        max(case when status = 'overdue' then 1 else 0 end) as has_overdue,
        max(case when status = 'late' then 1 else 0 end) as has_late,
        max(case when status = 'in_time' then 1 else 0 end) as has_in_time
    from review_rows
    where measure_window = 'rolling_12m'
    group by la_code, child_id, period_end
),

current_period_slots as (
    -- In the period open on the month end: the last review held by then and the next one due.
    select
        looked_after.la_code,
        looked_after.child_id,
        looked_after.period_end,
        max(case when slots.held_date <= looked_after.snapshot_date then slots.held_date end) as last_held_date,
        min(
            case when slots.held_date is null or slots.held_date > looked_after.snapshot_date then slots.due_date end
        ) as next_due_date
    from looked_after
    inner join slots
        on
            looked_after.la_code = slots.la_code
            and looked_after.child_id = slots.child_id
            and looked_after.period_of_care_number = slots.period_of_care_number
    group by looked_after.la_code, looked_after.child_id, looked_after.period_end
),

child_rows as (
    select
        looked_after.la_code,
        looked_after.child_id,
        looked_after.period_end,
        looked_after.snapshot_date,
        looked_after.period_start_date,
        current_period_slots.next_due_date,
        current_period_slots.last_held_date,
        case
            when child_reviews_judged.has_overdue = 1 then 'overdue'
            when child_reviews_judged.has_late = 1 then 'late'
            when child_reviews_judged.has_in_time = 1 then 'in_time'
            -- No review to judge in the 12 months (a censored period's first review on record, or none).
            else 'excluded'
        end as status
    from looked_after
    left join child_reviews_judged
        on
            looked_after.la_code = child_reviews_judged.la_code
            and looked_after.child_id = child_reviews_judged.child_id
            and looked_after.period_end = child_reviews_judged.period_end
    left join current_period_slots
        on
            looked_after.la_code = current_period_slots.la_code
            and looked_after.child_id = current_period_slots.child_id
            and looked_after.period_end = current_period_slots.period_end
),

-- Attribution -----------------------------------------------------------------------------------------------------

attribution_days as (
    select distinct
        la_code,
        child_id,
        attribution_date,
        cast('CLASS' as varchar) as owning_service_code
    from review_rows
    union
    select
        la_code,
        child_id,
        snapshot_date as attribution_date,
        cast('CLASS' as varchar) as owning_service_code
    from child_rows
),

attributed as (
    {{ attributed_to_allocation(
        'attribution_days', ['la_code', 'child_id', 'attribution_date'], 'attribution_date', none,
        'owning_service_code'
    ) }}
),

-- Members ---------------------------------------------------------------------------------------------------------

member_rows as (
    select
        review_rows.la_code,
        cast('b17_cla_reviews_in_time' as varchar) as kpi_id,
        review_rows.period_end,
        review_rows.measure_window,
        review_rows.child_id,
        case
            when review_rows.held_date is not null
                then
                    'cla_review|' || review_rows.child_id || '|'
                    || cast(
                        cast(
                            extract(year from review_rows.held_date) * 10000
                            + extract(month from review_rows.held_date) * 100
                            + extract(day from review_rows.held_date) as integer
                        ) as varchar
                    )
            else
                'cla_review_due|' || review_rows.child_id || '|'
                || cast(review_rows.period_of_care_number as varchar) || '|'
                || cast(review_rows.review_number as varchar)
        end as item_id,
        review_rows.clock_start_date as start_date,
        review_rows.due_date,
        review_rows.completed_date,
        review_rows.status,
        review_rows.attribution_date
    from review_rows
    union all
    select
        la_code,
        cast('b17v_cla_children_reviews_in_time' as varchar) as kpi_id,
        period_end,
        cast('month_end' as varchar) as measure_window,
        child_id,
        cast(null as varchar) as item_id,
        period_start_date as start_date,
        next_due_date as due_date,
        last_held_date as completed_date,
        status,
        snapshot_date as attribution_date
    from child_rows
),

final as (
    select
        cast(member_rows.la_code as varchar) as la_code,
        cast(member_rows.kpi_id as varchar) as kpi_id,
        cast(member_rows.period_end as date) as period_end,
        cast(member_rows.measure_window as varchar) as measure_window,
        cast(member_rows.period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('member_rows.la_code', 'member_rows.child_id') }} as varchar) as child_key,
        cast(
            case
                when member_rows.item_id is null
                    then {{ pseudonymous_key('member_rows.la_code', 'member_rows.child_id') }}
                else {{ pseudonymous_key('member_rows.la_code', 'member_rows.item_id') }}
            end as varchar
        ) as item_key,
        cast(member_rows.start_date as date) as start_date,
        cast(member_rows.due_date as date) as due_date,
        cast(member_rows.completed_date as date) as completed_date,
        cast(member_rows.status as varchar) as status,
        cast(member_rows.status in ('in_time', 'late', 'overdue') as boolean) as in_denominator,
        cast(member_rows.status = 'in_time' as boolean) as in_numerator,
        {{ member_attribution_columns('attributed') }}
    from member_rows
    inner join attributed
        on
            member_rows.la_code = attributed.la_code
            and member_rows.child_id = attributed.child_id
            and member_rows.attribution_date = attributed.attribution_date
)

select * from final
