-- One row per child looked after on each period end of the 13 reporting months (kpi-catalogue §0.2, b08, b11, b16,
-- b24, s_cla_count, s_plc_mix, s_uasc_count): the current episode and placement, the placements in the rolling
-- 12 months, the period of care, age, UASC status and the placement distance. Built on the repaired episodes
-- (int_cla_episodes_repaired). Restricted layer (LA child id and postcodes); the mart fct_cla_children_at_period_end
-- exposes it pseudonymously without postcodes.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

episodes as (
    select * from {{ ref('int_cla_episodes_repaired') }}
),

placements as (
    select * from {{ ref('int_placements_derived') }}
),

header as (
    select * from {{ ref('stg_ssda903__header') }}
),

uasc as (
    select * from {{ ref('stg_ssda903__uasc') }}
),

centroids as (
    select * from {{ ref('stg_ref__postcode_centroids') }}
),

profiles as (
    select * from {{ ref('stg_ref__la_profiles') }}
),

care_episodes as (
    -- Periods of care: a new one starts at RNE S, at the child's first episode, or after a gap. Short breaks
    -- (LS V3/V4) are not care.
    select
        *,
        sum(case when starts_period then 1 else 0 end) over (
            partition by la_code, child_id
            order by episode_start_date
            rows between unbounded preceding and current row
        ) as care_period_number
    from (
        select
            *,
            coalesce(
                reason_new_episode = 'S'
                or lag(episode_end_date) over child_episodes is null
                or lag(episode_end_date) over child_episodes < episode_start_date,
                true
            ) as starts_period
        from episodes
        where legal_status not in ('V3', 'V4')
        window child_episodes as (partition by la_code, child_id order by episode_start_date)
    ) as flagged
),

care_periods as (
    select
        la_code,
        child_id,
        care_period_number,
        min(episode_start_date) as care_period_start_date
    from care_episodes
    group by la_code, child_id, care_period_number
),

episodes_open_on_period_end as (
    -- Open on date d: start <= d and (end is null or end > d).
    select
        periods.period_end,
        periods.period_start,
        periods.rolling_12m_window_start,
        care_episodes.*,
        row_number() over (
            partition by care_episodes.la_code, care_episodes.child_id, periods.period_end
            order by care_episodes.episode_start_date desc
        ) as recency_rank
    from periods
    inner join care_episodes
        on
            periods.period_end >= care_episodes.episode_start_date
            and (care_episodes.episode_end_date is null or periods.period_end < care_episodes.episode_end_date)
),

current_episodes as (
    -- After the repairs episodes no longer overlap; the rank only guards the snapshot's grain.
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

current_placements as (
    -- The placement the child is in on the period end: the latest placement started by then that has not ended
    -- (a bridged temporary stay lies inside it).
    select
        periods.period_end,
        placements.*,
        row_number() over (
            partition by placements.la_code, placements.child_id, periods.period_end
            order by placements.placement_start_date desc
        ) as recency_rank
    from periods
    inner join placements
        on
            periods.period_end >= placements.placement_start_date
            and (placements.placement_end_date is null or periods.period_end < placements.placement_end_date)
),

joined as (
    select
        current_episodes.*,
        care_periods.care_period_start_date,
        header.date_of_birth,
        current_placements.placement_number as current_placement_number,
        current_placements.placement_start_date as current_placement_start_date,
        current_placements.placement_category as current_placement_category,
        -- b16: an adoptive placement with the current foster carers (A3/A5) continues the placement before it.
        case
            when
                current_placements.placement_type in ('A3', 'A5')
                and current_placements.previous_placement_end_date = current_placements.placement_start_date
                then current_placements.previous_placement_start_date
            else current_placements.placement_start_date
        end as stable_since_date,
        coalesce(placements_in_rolling_window.placement_count, 0) as placement_count,
        coalesce(
            uasc.child_id is not null
            and (uasc.uasc_ceased_date is null or uasc.uasc_ceased_date > current_episodes.period_end),
            false
        ) as is_uasc,
        profiles.office_postcode
    from current_episodes
    inner join care_periods
        on
            current_episodes.la_code = care_periods.la_code
            and current_episodes.child_id = care_periods.child_id
            and current_episodes.care_period_number = care_periods.care_period_number
    left join header
        on
            current_episodes.la_code = header.la_code
            and current_episodes.child_id = header.child_id
    left join current_placements
        on
            current_episodes.la_code = current_placements.la_code
            and current_episodes.child_id = current_placements.child_id
            and current_episodes.period_end = current_placements.period_end
            and current_placements.recency_rank = 1
    left join placements_in_rolling_window
        on
            current_episodes.la_code = placements_in_rolling_window.la_code
            and current_episodes.child_id = placements_in_rolling_window.child_id
            and current_episodes.period_end = placements_in_rolling_window.period_end
    left join uasc
        on
            current_episodes.la_code = uasc.la_code
            and current_episodes.child_id = uasc.child_id
    left join profiles
        on current_episodes.la_code = profiles.la_code
),

located as (
    -- b11 origin (kpi-catalogue §2.5 B12): the child's home postcode, or the office when it is missing or the child
    -- is UASC; b11v always the office. A postcode without an English or Welsh centroid gives no distance.
    select
        joined.*,
        case when joined.is_uasc or joined.home_postcode is null then 'OFFICE' else 'HOME' end as distance_origin,
        destination.easting as destination_easting,
        destination.northing as destination_northing,
        destination.is_geocoded as destination_geocoded,
        destination.upper_tier_la_code as placement_la_code,
        home.easting as home_easting,
        home.northing as home_northing,
        home.is_geocoded as home_geocoded,
        office.easting as office_easting,
        office.northing as office_northing,
        office.is_geocoded as office_geocoded
    from joined
    left join centroids as destination
        on joined.la_code = destination.la_code and joined.placement_postcode = destination.postcode
    left join centroids as home
        on joined.la_code = home.la_code and joined.home_postcode = home.postcode
    left join centroids as office
        on joined.la_code = office.la_code and joined.office_postcode = office.postcode
),

measured as (
    select
        located.*,
        case
            when located.destination_geocoded and located.office_geocoded
                then {{ round_half_up(
                    'sqrt(power(cast(located.destination_easting - located.office_easting as double precision), 2)'
                    ~ ' + power(cast(located.destination_northing - located.office_northing as double precision), 2))'
                    ~ ' / 1609.3', 1) }}
        end as office_distance_miles,
        case
            when located.destination_geocoded and located.home_geocoded
                then {{ round_half_up(
                    'sqrt(power(cast(located.destination_easting - located.home_easting as double precision), 2)'
                    ~ ' + power(cast(located.destination_northing - located.home_northing as double precision), 2))'
                    ~ ' / 1609.3', 1) }}
        end as home_distance_miles
    from located
),

aged as (
    -- Age in whole years on the period end (kpi-catalogue §0.2).
    select
        measured.*,
        cast(
            extract(year from measured.period_end) - extract(year from measured.date_of_birth)
            - case
                when
                    extract(month from measured.period_end) * 100 + extract(day from measured.period_end)
                    < extract(month from measured.date_of_birth) * 100 + extract(day from measured.date_of_birth)
                    then 1
                else 0
            end as integer
        ) as age_years
    from measured
),

final as (
    select
        la_code,
        period_end,
        period_start,
        rolling_12m_window_start,
        child_id,
        episode_start_date as current_episode_start_date,
        legal_status,
        placement_type,
        placement_provider,
        coalesce(placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'), false) as is_fostered,
        coalesce(
            placement_type in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') and placement_provider = 'PR1', false
        ) as is_inhouse_foster,
        cast(placement_count as integer) as placements_in_rolling_12m,
        placement_count >= 3 as has_3plus_placements_12m,
        load_id as current_episode_load_id,
        care_period_start_date,
        date_of_birth,
        age_years,
        current_placement_number,
        current_placement_start_date,
        cast(
            coalesce(current_placement_category, {{ placement_category('placement_type', 'placement_provider') }})
            as varchar
        ) as placement_category,
        stable_since_date,
        is_uasc,
        home_postcode,
        placement_postcode,
        cast(distance_origin as varchar) as distance_origin,
        cast(
            case when distance_origin = 'HOME' then home_distance_miles else office_distance_miles end
            as numeric(6, 1)
        ) as distance_miles,
        cast(office_distance_miles as numeric(6, 1)) as office_distance_miles,
        cast(
            {{ finance_placement_type(
                'placement_type', 'placement_provider', 'legal_status', 'is_uasc', 'age_years'
            ) }} as varchar
        ) as finance_placement_type,
        cast(placement_la_code as varchar) as placement_la_code,
        cast(
            case
                when placement_la_code is null then null
                when placement_la_code = la_code then 'IN'
                else 'OUT'
            end as varchar
        ) as placement_location
    from aged
)

select * from final
