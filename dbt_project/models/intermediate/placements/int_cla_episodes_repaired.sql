-- SSDA903 episodes after the episode repairs (input contract §1.1.3: the regional pipelines' repairs are intermediate
-- rules reported as data quality, never rejections): one row per kept episode, the dates every placement figure
-- uses. Rules, in order (YAML and docs/marts/placements.md; each change is listed in int_cla_episode_repairs_listed):
--   D1 duplicate: two consecutive episodes of a child describing the same stay (same LS, PLACE, PLACE_PROVIDER,
--      PL_POST, URN) that overlap are one episode re-recorded with another DECOM: the row from the later collection
--      year is kept (the same year: the earlier DECOM), the other dropped.
--   C1 unclosed: an open episode (no DEC) followed by a later DECOM is closed on that DECOM with REC X1.
--   O1 overlap: an episode ending after the next one starts is cut back to the next DECOM with REC X1 (the later
--      episode describes the child from its start, as it does in the snapshot).
--   S1 stale open: an open episode, the child's last, from a collection year before the latest one the
--      organisation delivered was not carried into that later return (which holds every episode open on its
--      1 April): it is closed on the 1 April after its own collection year, REC unknown (null).
--   F1 flag only: REC X1 with no episode starting on its DEC (a gap, or nothing after it) is listed, not changed.
with

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

latest_years as (
    select
        la_code,
        max(collection_year) as latest_collection_year
    from episodes
    group by la_code
),

signed as (
    -- The stay an episode describes, nulls equal: D1 compares these.
    select
        *,
        coalesce(legal_status, '') || '|' || coalesce(placement_type, '') || '|'
        || coalesce(placement_provider, '') || '|' || coalesce(placement_postcode, '') || '|'
        || coalesce(placement_urn, '') as stay_signature
    from episodes
),

neighbours as (
    select
        *,
        lag(episode_start_date) over child_episodes as previous_start_date,
        lag(episode_end_date) over child_episodes as previous_end_date,
        lag(collection_year) over child_episodes as previous_collection_year,
        lag(stay_signature) over child_episodes as previous_stay_signature,
        lead(episode_start_date) over child_episodes as next_start_date,
        lead(collection_year) over child_episodes as next_collection_year,
        lead(stay_signature) over child_episodes as next_stay_signature
    from signed
    window child_episodes as (partition by la_code, child_id order by episode_start_date)
),

duplicates_flagged as (
    -- D1: exactly one row of an overlapping same-stay pair is dropped (the earlier year's, or the later DECOM).
    select
        *,
        case
            when
                stay_signature = previous_stay_signature
                and (previous_end_date is null or previous_end_date > episode_start_date)
                and collection_year <= previous_collection_year
                then previous_start_date
            when
                stay_signature = next_stay_signature
                and (episode_end_date is null or episode_end_date > next_start_date)
                and collection_year < next_collection_year
                then next_start_date
        end as duplicate_of_start_date
    from neighbours
),

kept as (
    select
        duplicates_flagged.*,
        lead(duplicates_flagged.episode_start_date) over (
            partition by duplicates_flagged.la_code, duplicates_flagged.child_id
            order by duplicates_flagged.episode_start_date
        ) as following_start_date,
        latest_years.latest_collection_year
    from duplicates_flagged
    inner join latest_years
        on duplicates_flagged.la_code = latest_years.la_code
    where duplicates_flagged.duplicate_of_start_date is null
),

repair_chosen as (
    select
        *,
        case
            when episode_end_date is null and following_start_date is not null then 'C1_CLOSED_OPEN_EPISODE'
            when episode_end_date > following_start_date then 'O1_TRUNCATED_OVERLAP'
            when episode_end_date is null and collection_year < latest_collection_year
                then 'S1_CLOSED_STALE_OPEN_EPISODE'
            when
                reason_episode_ceased = 'X1'
                and (following_start_date is null or following_start_date > episode_end_date)
                then 'F1_X1_WITHOUT_NEXT_EPISODE'
        end as repair_code,
        -- 1 April after the episode's collection year ('2023-24' -> 2024-04-01).
        cast(
            cast(cast(substr(collection_year, 1, 4) as integer) + 1 as varchar) || '-04-01' as date
        ) as next_collection_year_start
    from kept
),

final as (
    select
        la_code,
        child_id,
        episode_start_date,
        case
            when repair_code in ('C1_CLOSED_OPEN_EPISODE', 'O1_TRUNCATED_OVERLAP') then following_start_date
            when repair_code = 'S1_CLOSED_STALE_OPEN_EPISODE' then next_collection_year_start
            else episode_end_date
        end as episode_end_date,
        reason_new_episode,
        legal_status,
        category_of_need,
        placement_type,
        placement_provider,
        case
            when repair_code in ('C1_CLOSED_OPEN_EPISODE', 'O1_TRUNCATED_OVERLAP') then cast('X1' as varchar)
            when repair_code = 'S1_CLOSED_STALE_OPEN_EPISODE' then cast(null as varchar)
            else reason_episode_ceased
        end as reason_episode_ceased,
        reason_placement_change,
        home_postcode,
        placement_postcode,
        placement_urn,
        episode_end_date as delivered_episode_end_date,
        reason_episode_ceased as delivered_reason_episode_ceased,
        cast(repair_code as varchar) as repair_code,
        coalesce(repair_code is not null and repair_code not like 'F%', false) as is_repaired,
        reporting_month,
        collection_year,
        load_id,
        source_file,
        source_row
    from repair_chosen
)

select * from final
