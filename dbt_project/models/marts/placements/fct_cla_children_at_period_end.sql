-- Children looked after on each of the 13 period ends, for analysts: the snapshot of int_cla_children_snapshotted
-- with the LA child id replaced by a pseudonymous key and no postcode or date of birth (input contract §11.3).
with

children as (
    select * from {{ ref('int_cla_children_snapshotted') }}
),

final as (
    select
        la_code,
        period_end,
        period_start,
        rolling_12m_window_start,
        {{ pseudonymous_key('la_code', 'child_id') }} as child_key,
        current_episode_start_date,
        legal_status,
        placement_type,
        placement_provider,
        is_fostered,
        is_inhouse_foster,
        placements_in_rolling_12m,
        has_3plus_placements_12m,
        current_episode_load_id,
        care_period_start_date,
        age_years,
        current_placement_number,
        current_placement_start_date,
        placement_category,
        stable_since_date,
        is_uasc,
        distance_origin,
        distance_miles,
        office_distance_miles,
        finance_placement_type,
        placement_la_code,
        placement_location
    from children
)

select * from final
