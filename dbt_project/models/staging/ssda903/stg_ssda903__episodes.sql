-- SSDA903 episodes as the authoritative deliveries stood at the period end (input contract §1.1.3):
-- readable names, load metadata kept, no business rules.
with

source as (
    select * from {{ source('landing', 'ssda903_episodes') }}
),

delivered_by_period_end as (
    -- Only deliveries received for months up to the period end: a backfill sees what a run then would have seen.
    select * from source
    where reporting_month <= {{ as_of_month() }}
),

latest_delivery_of_each_year as (
    -- A delivery is a full refresh of its collection year: the latest reporting month's files replace earlier ones.
    select
        *,
        max(reporting_month) over (partition by la_code, collection_year) as latest_reporting_month
    from delivered_by_period_end
),

latest_year_of_each_episode as (
    -- The same episode (la_code, child, decom) in several collection years: the latest year wins for every column,
    -- so an episode open in year N and closed in year N+1 takes N+1's end date and reason.
    select
        *,
        max(collection_year) over (partition by la_code, child, decom) as latest_collection_year
    from latest_delivery_of_each_year
    where reporting_month = latest_reporting_month
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
    from latest_year_of_each_episode
    where collection_year = latest_collection_year
),

final as (
    select * from renamed
)

select * from final
