-- CLA who participated in their review (kpi-catalogue §1.1 b18_cla_review_participation) in the common members
-- shape (docs/marts/compliance.md): a flow, one row per review held per window (month, ytd, rolling_12m) of each
-- period end that holds the review date.
--   denominator  reviews with REVIEW_CODE PN1-PN7, held in a period of care (int_cla_reviews_conformed; short
--                breaks V3/V4 are not care, §0.2);
--   numerator    PN1-PN6: attended and spoke, via an advocate or symbolically, (PN4) attended without
--                contributing, or conveyed views without attending. PN4 counts by default (DfE practice, the
--                catalogue's proposal); the dbt var b18_pn4_counts_as_participation = false drops it
--                (dbt_project.yml; macros/compliance/review_participation.sql);
--   excluded     PN0 (under 4 at the review) and reviews outside any period of care: 'excluded', in neither count.
-- status: 'participated', 'not_participated' (PN7, or PN4 when the var is false) or 'excluded'.
-- Attribution (§0.4): the case-holding allocation open on the review date; else the CLA&SS service.
with

reviews as (
    select * from {{ ref('int_cla_reviews_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

held as (
    -- The reviews some window can hold.
    select
        la_code,
        child_id,
        review_date,
        review_participation_code,
        cast('CLASS' as varchar) as owning_service_code,
        case
            when period_of_care_number is null then 'excluded'
            when review_participation_code not in ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7') then 'excluded'
            when review_participation_code in ({{ b18_participation_codes() }}) then 'participated'
            else 'not_participated'
        end as status
    from reviews
    where
        review_date >= (select min(flow_windows.window_start) from flow_windows)
        and review_date <= {{ as_of_date() }}
),

attributed as (
    {{ attributed_to_allocation(
        'held', ['la_code', 'child_id', 'review_date'], 'review_date', none, 'owning_service_code'
    ) }}
),

member_rows as (
    select
        attributed.*,
        flow_windows.period_end,
        flow_windows.measure_window,
        'cla_review|' || attributed.child_id || '|'
        || cast(
            cast(
                extract(year from attributed.review_date) * 10000
                + extract(month from attributed.review_date) * 100
                + extract(day from attributed.review_date) as integer
            ) as varchar
        ) as review_item_id
    from attributed
    inner join flow_windows
        on attributed.review_date between flow_windows.window_start and flow_windows.window_end
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast('b18_cla_review_participation' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', 'review_item_id') }} as varchar) as item_key,
        cast(review_date as date) as start_date,
        cast(null as date) as due_date,
        cast(review_date as date) as completed_date,
        cast(status as varchar) as status,
        cast(status in ('participated', 'not_participated') as boolean) as in_denominator,
        cast(status = 'participated' as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
