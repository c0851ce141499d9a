-- Looked-after children counted two ways on each of the 13 period ends, for each organisation that delivered
-- placement commitments (issue 7 part 4): from the 903 episodes, the children looked after (V3/V4 excluded,
-- int_cla_children_snapshotted) whose current placement is a paid looked-after placement (PLACE and provider ->
-- finance placement type, seed ref_finance_place_types; a type is looked-after per ref_finance_placement_types); from
-- the commitments, the distinct children funded on the period end by a commitment of a looked-after type. They agree
-- when the difference is at most the larger of var fin_cla_count_tolerance_children (default 2, the ±2 of the
-- catalogue's §5.8 gate 2) and var fin_cla_count_tolerance_pct (default 5) % of the episode count.
with

children as (
    select * from {{ ref('int_cla_children_snapshotted') }}
),

place_types as (
    select * from {{ ref('ref_finance_place_types') }}
),

types as (
    select * from {{ ref('ref_finance_placement_types') }}
),

costed as (
    select * from {{ ref('int_placement_commitments_costed') }}
),

periods as (
    select * from {{ ref('int_fin_periods_listed') }}
),

delivering as (
    select distinct la_code from {{ ref('stg_fin__placement_commitments') }}
),

from_episodes as (
    select
        children.la_code,
        children.period_end,
        count(distinct children.child_id) as children_count
    from children
    inner join place_types
        on
            children.placement_type = place_types.place_code
            and (
                place_types.provider_class = 'ANY'
                or (place_types.provider_class = 'INHOUSE' and children.placement_provider = 'PR1')
                or (
                    place_types.provider_class = 'EXTERNAL'
                    and children.placement_provider in ('PR2', 'PR3', 'PR4', 'PR5')
                )
            )
    inner join types
        on place_types.finance_placement_type = types.finance_placement_type
    where types.is_looked_after
    group by children.la_code, children.period_end
),

from_commitments as (
    select
        costed.la_code,
        costed.period_end,
        count(distinct costed.child_id) as children_count
    from costed
    inner join types
        on costed.finance_placement_type = types.finance_placement_type
    where costed.is_funded_on_period_end and types.is_looked_after
    group by costed.la_code, costed.period_end
),

compared as (
    select
        delivering.la_code,
        periods.period_end,
        periods.is_as_of_period,
        cast(coalesce(from_episodes.children_count, 0) as integer) as episode_children,
        cast(coalesce(from_commitments.children_count, 0) as integer) as commitment_children
    from delivering
    cross join periods
    left join from_episodes
        on delivering.la_code = from_episodes.la_code and periods.period_end = from_episodes.period_end
    left join from_commitments
        on delivering.la_code = from_commitments.la_code and periods.period_end = from_commitments.period_end
),

final as (
    select
        *,
        cast(commitment_children - episode_children as integer) as difference,
        cast(
            greatest(
                {{ var('fin_cla_count_tolerance_children') }},
                episode_children * {{ var('fin_cla_count_tolerance_pct') }} / 100.0
            ) as numeric(18, 2)
        ) as tolerance
    from compared
)

select * from final
