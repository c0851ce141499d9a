-- Placements derived from the repaired SSDA903 episodes (kpi-catalogue b08, b16, §3.3 RNE): consecutive episodes of a
-- child are one placement unless the later one starts a new placement. The rules are spelled out in
-- _placements__models.yml; the episodes are int_cla_episodes_repaired (duplicates, unclosed and overlapping
-- episodes resolved first).
with

episodes as (
    select * from {{ ref('int_cla_episodes_repaired') }}
),

care_episodes as (
    -- Short-break series (LS V3/V4) are not care placements for these measures (the DfE convention, §0.2).
    select
        la_code,
        child_id,
        episode_start_date,
        episode_end_date,
        reason_new_episode,
        placement_type,
        placement_provider,
        placement_postcode,
        placement_urn,
        home_postcode,
        reason_episode_ceased,
        reason_placement_change,
        coalesce(placement_type in ('T0', 'T1', 'T2', 'T3', 'T4'), false) as is_temporary
    from episodes
    where legal_status not in ('V3', 'V4')
),

after_temporary_flagged as (
    -- Whether the episode immediately before this one (of the same child) was a temporary placement.
    select
        *,
        coalesce(
            lag(is_temporary) over (partition by la_code, child_id order by episode_start_date), false
        ) as follows_temporary
    from care_episodes
),

non_temporary_episodes as (
    -- Temporary placements (T0-T4) are not placements: the chain of placements skips them.
    select
        *,
        lag(episode_start_date) over placement_chain as previous_episode_start_date,
        lag(placement_type) over placement_chain as previous_placement_type,
        lag(placement_provider) over placement_chain as previous_placement_provider,
        lag(placement_postcode) over placement_chain as previous_placement_postcode,
        lag(placement_urn) over placement_chain as previous_placement_urn
    from after_temporary_flagged
    where not is_temporary
    window placement_chain as (partition by la_code, child_id order by episode_start_date)
),

starts_flagged as (
    select
        *,
        case
            when previous_episode_start_date is null then true
            when reason_new_episode = 'S' then true
            when not follows_temporary then reason_new_episode != 'L'
            else not (
                    placement_type = previous_placement_type
                    and placement_provider is not distinct from previous_placement_provider
                    and placement_postcode is not distinct from previous_placement_postcode
                    and placement_urn is not distinct from previous_placement_urn
                )
        end as starts_new_placement
    from non_temporary_episodes
),

numbered as (
    select
        *,
        sum(case when starts_new_placement then 1 else 0 end) over (
            partition by la_code, child_id
            order by episode_start_date
            rows between unbounded preceding and current row
        ) as placement_number
    from starts_flagged
),

placement_bounds as (
    select
        *,
        first_value(episode_end_date) over (
            partition by la_code, child_id, placement_number
            order by episode_start_date desc
        ) as last_episode_end_date,
        row_number() over (
            partition by la_code, child_id, placement_number
            order by episode_start_date
        ) as episode_number_in_placement,
        row_number() over (
            partition by la_code, child_id, placement_number
            order by episode_start_date desc
        ) = 1 as is_last_episode_in_placement
    from numbered
),

placements as (
    select
        la_code,
        child_id,
        cast(placement_number as integer) as placement_number,
        min(episode_start_date) as placement_start_date,
        max(last_episode_end_date) as placement_end_date,
        max(case when episode_number_in_placement = 1 then reason_new_episode end) as starting_reason_new_episode,
        max(case when episode_number_in_placement = 1 then placement_type end) as placement_type,
        max(case when episode_number_in_placement = 1 then placement_provider end) as placement_provider,
        max(case when episode_number_in_placement = 1 then placement_postcode end) as placement_postcode,
        max(case when episode_number_in_placement = 1 then placement_urn end) as placement_urn,
        max(case when episode_number_in_placement = 1 then home_postcode end) as home_postcode,
        max(case when is_last_episode_in_placement then reason_episode_ceased end) as reason_placement_ended,
        max(case when is_last_episode_in_placement then reason_placement_change end) as reason_placement_change,
        cast(count(*) as integer) as episode_count
    from placement_bounds
    group by la_code, child_id, placement_number
),

final as (
    -- The category and the placement before (b16: an adoptive placement with the current foster carers, A3/A5,
    -- continues the placement before it).
    select
        *,
        cast({{ placement_category('placement_type', 'placement_provider') }} as varchar) as placement_category,
        -- Why care ended when the placement's last episode ended it (null for X1: another episode followed). Exits
        -- are read through the macro so the SGO codes retired in 2018-19 (E43, E44) count as SGO too.
        cast({{ care_exit_category('reason_placement_ended') }} as varchar) as care_exit_category,
        lag(placement_start_date) over child_placements as previous_placement_start_date,
        lag(placement_end_date) over child_placements as previous_placement_end_date,
        lag(placement_type) over child_placements as previous_placement_type,
        lag(reason_placement_change) over child_placements as previous_reason_placement_change
    from placements
    window child_placements as (partition by la_code, child_id order by placement_number)
)

select * from final
