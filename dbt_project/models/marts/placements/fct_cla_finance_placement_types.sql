-- Children looked after on each period end by finance placement type (kpi-catalogue §3.3 903 rule, §2.5 B18): the
-- episode side of the reconciliation of looked-after counts with placement commitments (the finance mart compares
-- the CLA-type rows within ±10%). One row per organisation, period end and type with at least one child.
with

children as (
    select * from {{ ref('int_cla_children_snapshotted') }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_end as date) as period_end,
        cast(finance_placement_type as varchar) as finance_placement_type,
        cast(count(*) as integer) as cla_count
    from children
    group by la_code, period_end, finance_placement_type
)

select * from final
