-- Which children are behind each placement indicator at each period end: one row per (la_code, kpi_id,
-- period_end, child) for every child in the numerator or the denominator. The indicator table is the sum of
-- these rows, and the published drill-down is their as_of slice, so the two can never disagree.
with

children as (
    select * from {{ ref('int_cla_children_snapshotted') }}
),

cla_count as (
    -- s_cla_count: a count of CLA; there is no denominator.
    select
        la_code,
        period_end,
        child_id,
        cast('s_cla_count' as varchar) as kpi_id,
        true as in_numerator,
        false as in_denominator
    from children
),

three_plus_placements as (
    -- b08: CLA with 3 or more placements in the rolling 12 months / all CLA.
    select
        la_code,
        period_end,
        child_id,
        cast('b08_cla_3plus_placements_12m' as varchar) as kpi_id,
        has_3plus_placements_12m as in_numerator,
        true as in_denominator
    from children
),

inhouse_foster_of_all_cla as (
    -- b24: CLA in in-house foster placements (U1-U6 with provider PR1) / all CLA.
    select
        la_code,
        period_end,
        child_id,
        cast('b24_inhouse_foster_pct' as varchar) as kpi_id,
        is_inhouse_foster as in_numerator,
        true as in_denominator
    from children
),

inhouse_foster_of_fostered as (
    -- b24b: CLA in in-house foster placements / CLA in any foster placement (U1-U6).
    select
        la_code,
        period_end,
        child_id,
        cast('b24b_inhouse_share_of_fostered' as varchar) as kpi_id,
        is_inhouse_foster as in_numerator,
        true as in_denominator
    from children
    where is_fostered
),

final as (
    select * from cla_count
    union all
    select * from three_plus_placements
    union all
    select * from inhouse_foster_of_all_cla
    union all
    select * from inhouse_foster_of_fostered
)

select
    la_code,
    kpi_id,
    period_end,
    {{ pseudonymous_key('la_code', 'child_id') }} as child_key,
    in_numerator,
    in_denominator
from final
