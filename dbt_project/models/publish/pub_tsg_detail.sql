-- The child-level rows behind each published figure at the period end `as_of` (restricted drill-down, never
-- exported with the aggregate dataset): one row per (la_code, kpi_id, period_end, child_key).
with

members as (
    select * from {{ ref('fct_placement_kpi_members') }}
),

published as (
    select * from {{ ref('pub_tsg_dataset') }}
),

final as (
    select
        cast(members.kpi_id as varchar) as kpi_id,
        cast(members.period_end as date) as period_end,
        cast(members.la_code as varchar) as la_code,
        cast(members.child_key as varchar) as child_key,
        cast(members.in_numerator as boolean) as in_numerator,
        cast(members.in_denominator as boolean) as in_denominator
    from members
    inner join published
        on
            members.la_code = published.la_code
            and members.kpi_id = published.kpi_id
            and members.period_end = published.period_end
)

select * from final
