-- Every episode repair and flag of int_cla_episodes_repaired, one row per episode touched, for analysts (the
-- pseudonymous copy is fct_cla_episode_repairs): what the return said, what the warehouse uses instead and which
-- rule decided (D1 duplicate dropped, C1 unclosed closed, O1 overlap truncated, S1 stale open episode closed,
-- F1 X1 with no following episode, flagged only).
with

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

repaired as (
    select * from {{ ref('int_cla_episodes_repaired') }}
),

dropped as (
    -- D1: the delivered rows that have no repaired row: the duplicates.
    select
        episodes.la_code,
        episodes.child_id,
        episodes.episode_start_date,
        cast('D1_DROPPED_DUPLICATE' as varchar) as repair_code,
        episodes.episode_end_date as delivered_episode_end_date,
        cast(null as date) as repaired_episode_end_date,
        episodes.reason_episode_ceased as delivered_reason_episode_ceased,
        cast(null as varchar) as repaired_reason_episode_ceased,
        true as is_dropped,
        episodes.collection_year,
        episodes.load_id,
        episodes.source_file,
        episodes.source_row
    from episodes
    left join repaired
        on
            episodes.la_code = repaired.la_code
            and episodes.child_id = repaired.child_id
            and episodes.episode_start_date = repaired.episode_start_date
    where repaired.child_id is null
),

changed as (
    select
        la_code,
        child_id,
        episode_start_date,
        repair_code,
        delivered_episode_end_date,
        episode_end_date as repaired_episode_end_date,
        delivered_reason_episode_ceased,
        reason_episode_ceased as repaired_reason_episode_ceased,
        false as is_dropped,
        collection_year,
        load_id,
        source_file,
        source_row
    from repaired
    where repair_code is not null
),

unioned as (
    select * from dropped
    union all
    select * from changed
),

final as (
    select
        la_code,
        child_id,
        episode_start_date,
        repair_code,
        cast(
            case repair_code
                when 'D1_DROPPED_DUPLICATE'
                    then 'Same stay as an overlapping neighbour episode; the later collection year''s row is kept'
                when 'C1_CLOSED_OPEN_EPISODE' then 'Open episode followed by a later DECOM: closed on it with X1'
                when 'O1_TRUNCATED_OVERLAP' then 'Ended after the next episode started: cut back to its DECOM, X1'
                when 'S1_CLOSED_STALE_OPEN_EPISODE'
                    then 'Open, but missing from the later collection year''s return: closed on its 1 April'
                when 'F1_X1_WITHOUT_NEXT_EPISODE' then 'REC X1 but no episode starts on DEC: flagged, not changed'
            end as varchar
        ) as repair_description,
        is_dropped,
        repair_code not like 'F%' as changes_figures,
        delivered_episode_end_date,
        repaired_episode_end_date,
        delivered_reason_episode_ceased,
        repaired_reason_episode_ceased,
        collection_year,
        load_id,
        source_file,
        source_row
    from unioned
)

select * from final
