-- One row per child looked after on each period end of the 13 reporting months (kpi-catalogue §0.2, b08, b24,
-- s_cla_count): the current episode's placement, in-house foster flags and the placements in the rolling 12 months.
-- Restricted layer (carries the LA child id); the mart fct_cla_children_at_period_end exposes it pseudonymously.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

placements as (
    select * from {{ ref('int_placements_derived') }}
),

episodes_open_on_period_end as (
    -- Open on date d: start <= d and (end is null or end > d). Short breaks (LS V3/V4) are not CLA.
    select
        periods.period_end,
        periods.period_start,
        periods.rolling_12m_window_start,
        episodes.la_code,
        episodes.child_id,
        episodes.episode_start_date,
        episodes.legal_status,
        episodes.placement_type,
        episodes.placement_provider,
        episodes.load_id,
        row_number() over (
            partition by episodes.la_code, episodes.child_id, periods.period_end
            order by episodes.episode_start_date desc
        ) as recency_rank
    from periods
    inner join episodes
        on
            periods.period_end >= episodes.episode_start_date
            and (episodes.episode_end_date is null or periods.period_end < episodes.episode_end_date)
    where episodes.legal_status not in ('V3', 'V4')
),

current_episodes as (
    -- Overlapping open episodes are a data-quality issue; the latest-starting one describes the child.
    select * from episodes_open_on_period_end
    where recency_rank = 1
),

placements_in_rolling_window as (
    -- A placement counts when it overlaps (window_start, period_end]: it started on or before the period end and
    -- was still open on the window start or began after it (end is null or end > window_start).
    select
        periods.period_end,
        placements.la_code,
        placements.child_id,
        count(*) as placement_count
    from periods
    inner join placements
        on
            periods.period_end >= placements.placement_start_date
            and (
                placements.placement_end_date is null
                or periods.rolling_12m_window_start < placements.placement_end_date
            )
    group by periods.period_end, placements.la_code, placements.child_id
),

final as (
    select
        current_episodes.la_code,
        current_episodes.period_end,
        current_episodes.period_start,
        current_episodes.rolling_12m_window_start,
        current_episodes.child_id,
        current_episodes.episode_start_date as current_episode_start_date,
        current_episodes.legal_status,
        current_episodes.placement_type,
        current_episodes.placement_provider,
        coalesce(
            current_episodes.placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'), false
        ) as is_fostered,
        coalesce(
            current_episodes.placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')
            and current_episodes.placement_provider = 'PR1',
            false
        ) as is_inhouse_foster,
        cast(coalesce(placements_in_rolling_window.placement_count, 0) as integer) as placements_in_rolling_12m,
        coalesce(placements_in_rolling_window.placement_count, 0) >= 3 as has_3plus_placements_12m,
        current_episodes.load_id as current_episode_load_id
    from current_episodes
    left join placements_in_rolling_window
        on
            current_episodes.la_code = placements_in_rolling_window.la_code
            and current_episodes.child_id = placements_in_rolling_window.child_id
            and current_episodes.period_end = placements_in_rolling_window.period_end
)

select * from final
