-- The episode repairs for analysts (docs/marts/placements.md "Episode repair"): every SSDA903 episode the warehouse
-- dropped, closed, cut back or flagged before any placement figure, with what the return said and what is used
-- instead. int_cla_episode_repairs_listed with the LA child id replaced by the pseudonymous key.
with

repairs as (
    select * from {{ ref('int_cla_episode_repairs_listed') }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast(episode_start_date as date) as episode_start_date,
        cast(repair_code as varchar) as repair_code,
        cast(repair_description as varchar) as repair_description,
        cast(is_dropped as boolean) as is_dropped,
        cast(changes_figures as boolean) as changes_figures,
        cast(delivered_episode_end_date as date) as delivered_episode_end_date,
        cast(repaired_episode_end_date as date) as repaired_episode_end_date,
        cast(delivered_reason_episode_ceased as varchar) as delivered_reason_episode_ceased,
        cast(repaired_reason_episode_ceased as varchar) as repaired_reason_episode_ceased,
        cast(collection_year as varchar) as collection_year,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from repairs
)

select * from final
