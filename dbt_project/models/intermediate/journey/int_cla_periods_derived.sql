-- Periods of care derived from the SSDA903 episodes after the episode repairs (int_cla_episodes_repaired: an
-- unclosed or overlapping episode would otherwise hold a period open, and keep reviews due, long after care ended),
-- as every placement figure reads them (kpi-catalogue b17: "a new period of care restarts the sequence" of review
-- due dates; §0.2 short breaks). One row per child and period; rules in the YAML.
with

care_episodes as (
    -- Short-break series (LS V3/V4) are not care (the DfE convention of §0.2): they neither start nor extend a
    -- period of care.
    select
        la_code,
        child_id,
        episode_start_date,
        episode_end_date,
        reason_new_episode,
        legal_status,
        category_of_need,
        reason_episode_ceased
    from {{ ref('int_cla_episodes_repaired') }}
    where legal_status not in ('V3', 'V4')
),

ordered as (
    select
        *,
        row_number() over child_episodes as episode_order,
        lag(episode_end_date) over child_episodes as previous_episode_end_date
    from care_episodes
    window child_episodes as (partition by la_code, child_id order by episode_start_date)
),

starts_flagged as (
    -- A period starts at RNE S, at the child's first episode on record, or after a gap (the previous episode ended
    -- before this one started, which a correct return would code S).
    select
        *,
        case
            when reason_new_episode = 'S' then 'RNE_S'
            when episode_order = 1 then 'FIRST_EPISODE'
            when previous_episode_end_date < episode_start_date then 'GAP'
        end as period_start_reason
    from ordered
),

numbered as (
    select
        *,
        sum(case when period_start_reason is not null then 1 else 0 end) over (
            partition by la_code, child_id
            order by episode_start_date
            rows between unbounded preceding and current row
        ) as period_of_care_number
    from starts_flagged
),

last_episodes as (
    -- The last episode of each period, for its end reason.
    select
        *,
        row_number() over (
            partition by la_code, child_id, period_of_care_number
            order by episode_start_date desc
        ) as rank_from_last
    from numbered
),

final as (
    select
        la_code,
        child_id,
        cast(period_of_care_number as integer) as period_of_care_number,
        min(episode_start_date) as period_start_date,
        case when count(*) = count(episode_end_date) then max(episode_end_date) end as period_end_date,
        max(period_start_reason) as period_start_reason,
        max(case when period_start_reason is not null then reason_new_episode end) as starting_reason_new_episode,
        max(case when period_start_reason is not null then legal_status end) as starting_legal_status,
        max(case when period_start_reason is not null then category_of_need end) as category_of_need,
        max(case when rank_from_last = 1 then reason_episode_ceased end) as reason_period_ceased,
        coalesce(max(period_start_reason) = 'FIRST_EPISODE', false) as is_start_censored,
        cast(count(*) as integer) as episode_count
    from last_episodes
    group by la_code, child_id, period_of_care_number
)

select * from final
