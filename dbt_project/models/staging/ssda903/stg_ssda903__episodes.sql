-- SSDA903 episodes as the authoritative deliveries stood at the period end (input contract §1.1.3):
-- readable names, load metadata kept, no business rules.
with

source as (
    select * from {{ source('landing', 'ssda903_episodes') }}
),

authoritative as (
    -- The latest delivery of each collection year up to the period end; per key, the latest year wins.
    {{ authoritative_903_rows('source', ['child', 'decom']) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(child as varchar) as child_id,
        cast(decom as date) as episode_start_date,
        cast(dec as date) as episode_end_date,
        cast(rne as varchar) as reason_new_episode,
        cast(ls as varchar) as legal_status,
        cast(cin as varchar) as category_of_need,
        cast(place as varchar) as placement_type,
        cast(place_provider as varchar) as placement_provider,
        cast(rec as varchar) as reason_episode_ceased,
        cast(reason_place_change as varchar) as reason_placement_change,
        cast(home_post as varchar) as home_postcode,
        cast(pl_post as varchar) as placement_postcode,
        cast(urn as varchar) as placement_urn,
        cast(reporting_month as varchar) as reporting_month,
        cast(collection_year as varchar) as collection_year,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
