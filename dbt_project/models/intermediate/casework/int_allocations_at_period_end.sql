-- Who held each child's case on each of the 13 period ends (int_reporting_periods_listed): one row per child with
-- a case-holding allocation (ALLOCATED_SW or TEAM_ONLY) open on the period end, attributed by the rule of
-- kpi-catalogue §0.4 (macros/casework/attributed_to_allocation.sql). Snapshot measures join it on
-- (la_code, child_id, period_end); flow measures and children without an allocation call the macro themselves.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

allocations as (
    select * from {{ ref('int_allocations_conformed') }}
),

children_allocated as (
    select distinct
        allocations.la_code,
        allocations.child_id,
        periods.period_end
    from periods
    inner join allocations
        on
            periods.period_end >= allocations.start_date
            and (allocations.end_date is null or periods.period_end < allocations.end_date)
    where allocations.role_code in ('ALLOCATED_SW', 'TEAM_ONLY')
),

final as (
    {{ attributed_to_allocation('children_allocated', ['la_code', 'child_id', 'period_end'], 'period_end') }}
)

select * from final
