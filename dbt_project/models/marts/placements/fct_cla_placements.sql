-- Placement history per child (docs/marts/placements.md): one row per placement derived from the repaired SSDA903
-- episodes (int_placements_derived: a legal-status-only change is not a move, temporary placements are bridged),
-- pseudonymous and without postcodes (input contract §11.3: at most the postcode district).
with

placements as (
    select * from {{ ref('int_placements_derived') }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast(placement_number as integer) as placement_number,
        cast(placement_start_date as date) as placement_start_date,
        cast(placement_end_date as date) as placement_end_date,
        cast(starting_reason_new_episode as varchar) as starting_reason_new_episode,
        cast(placement_type as varchar) as placement_type,
        cast(placement_provider as varchar) as placement_provider,
        cast(placement_category as varchar) as placement_category,
        -- The outward code only (the part before the space).
        cast(
            case
                when placement_postcode like '% %'
                    then substr(placement_postcode, 1, position(' ' in placement_postcode) - 1)
            end as varchar
        ) as placement_postcode_district,
        cast(placement_urn as varchar) as placement_urn,
        cast(reason_placement_ended as varchar) as reason_placement_ended,
        cast(care_exit_category as varchar) as care_exit_category,
        cast(reason_placement_change as varchar) as reason_placement_change,
        cast(episode_count as integer) as episode_count
    from placements
)

select * from final
