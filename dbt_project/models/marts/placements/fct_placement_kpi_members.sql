-- Which children (or placements) are behind each placement indicator (kpi-catalogue §1.1, §1.3, §1.5;
-- docs/marts/placements.md): one row per (la_code, kpi_id, period_end, measure_window, snapshot_date, item_key)
-- for every item in the numerator or the denominator. Snapshot measures are taken at the period end ('month_end');
-- placements made and return-home interviews are flows over the month, the financial year to date and the rolling
-- 12 months. breakdown_key
-- is the placement category of the mix measures (the 'placement_category' grain of fct_placement_indicators).
-- The indicator table is the sum of these rows and the published drill-down is their as_of slice.
with

children as (
    select * from {{ ref('int_cla_children_snapshotted') }}
),

placements as (
    select * from {{ ref('int_placements_derived') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

care_leaver_rows as (
    -- Only the snapshots of the 13 reporting months; several rows of one person (clea_table_id) rank by the latest
    -- contact (input contract §2.4: the latest contact wins).
    select
        *,
        row_number() over (
            partition by la_code, snapshot_date, child_id
            order by latest_contact_date desc nulls last, care_leaver_row_id desc nulls last
        ) as contact_rank
    from {{ ref('stg_ssd__care_leavers') }}
    where snapshot_date in (select periods.period_end from periods)
),

care_leavers as (
    select * from care_leaver_rows
    where contact_rank = 1
),

conformed_children as (
    select * from {{ ref('int_children_conformed') }}
),

missing_episodes as (
    -- Missing (not 'away') episodes that have ended (kpi-catalogue p_missing_rhi_offered, proposed: A excluded).
    select * from {{ ref('stg_ssd__missing') }}
    where missing_type = 'M' and missing_end_at is not null
),

snapshot_kpis as (
    select snapshot_kpi.kpi_id
    from (
        values
        ('s_cla_count'),
        ('b08_cla_3plus_placements_12m'),
        ('b24_inhouse_foster_pct'),
        ('b24b_inhouse_share_of_fostered'),
        ('b16_cla_stable_2y'),
        ('b11_cla_over_20_miles'),
        ('t_cla_over_20_miles'),
        ('b11v_office_base'),
        ('s_out_of_borough_within_20mi'),
        ('s_uasc_count'),
        ('s_plc_mix'),
        ('s_cla_16plus_pct')
    ) as snapshot_kpi (kpi_id)
),

cla_rules as (
    -- Each CLA snapshot KPI's population (is_member), denominator and numerator, per child:
    --   s_cla_count   every CLA, a count (no denominator);
    --   b08           all CLA / 3 or more placements in the rolling 12 months;
    --   b24           all CLA / in-house foster (U1-U6 with PR1); b24b the same over fostered CLA (U1-U6);
    --   b16 (DfE A2)  CLA under 16 looked after continuously for at least 2.5 years / in the same placement (or an
    --                 adoptive placement with the same carers) for at least 2 years (month-end clamped months);
    --   b11, t_cla_over_20_miles  CLA with a known distance (origin home, else office) / more than 20 miles;
    --   b11v          the same from the office for every child;
    --   s_out_of_borough_within_20mi  CLA placed outside the area with a known distance / within 20 miles;
    --   s_uasc_count  UASC looked after (903 UASC, DUC blank or after the snapshot date), a count;
    --   s_plc_mix     every CLA, by placement category (breakdown_key);
    --   s_cla_16plus_pct  all CLA / aged 16 or over on the snapshot date.
    select
        children.la_code,
        children.period_end,
        children.child_id,
        snapshot_kpis.kpi_id,
        case snapshot_kpis.kpi_id
            when 'b24b_inhouse_share_of_fostered' then children.is_fostered
            when 'b16_cla_stable_2y'
                then coalesce(
                        children.age_years < 16
                        and children.care_period_start_date <= {{ add_months('children.period_end', -30) }},
                        false
                    )
            when 'b11_cla_over_20_miles' then children.distance_miles is not null
            when 't_cla_over_20_miles' then children.distance_miles is not null
            when 'b11v_office_base' then children.office_distance_miles is not null
            when 's_out_of_borough_within_20mi'
                then coalesce(children.placement_location = 'OUT' and children.distance_miles is not null, false)
            when 's_uasc_count' then children.is_uasc
            else true
        end as is_member,
        snapshot_kpis.kpi_id not in ('s_cla_count', 's_uasc_count') as in_denominator,
        coalesce(
            case snapshot_kpis.kpi_id
                when 'b08_cla_3plus_placements_12m' then children.has_3plus_placements_12m
                when 'b24_inhouse_foster_pct' then children.is_inhouse_foster
                when 'b24b_inhouse_share_of_fostered' then children.is_inhouse_foster
                when 'b16_cla_stable_2y'
                    then children.stable_since_date <= {{ add_months('children.period_end', -24) }}
                when 'b11_cla_over_20_miles' then children.distance_miles > 20
                when 't_cla_over_20_miles' then children.distance_miles > 20
                when 'b11v_office_base' then children.office_distance_miles > 20
                when 's_out_of_borough_within_20mi' then children.distance_miles <= 20
                when 's_cla_16plus_pct' then children.age_years >= 16
                else true
            end,
            false
        ) as in_numerator,
        case when snapshot_kpis.kpi_id = 's_plc_mix' then children.placement_category end as breakdown_key
    from children
    cross join snapshot_kpis
),

snapshot_members as (
    select
        la_code,
        kpi_id,
        period_end,
        cast('month_end' as varchar) as measure_window,
        period_end as snapshot_date,
        child_id,
        cast(null as varchar) as item_id,
        cast(null as varchar) as worker_id,
        cast(null as varchar) as status,
        cast(null as date) as start_date,
        breakdown_key,
        in_numerator,
        in_denominator
    from cla_rules
    where is_member
),

placements_made as (
    -- Placements made (kpi-catalogue s_plc_made_by_type, §2.5 B11): derived placements starting in the window, by
    -- category; a legal-status-only change or a return from a bridged temporary stay is not a placement made.
    select
        placements.la_code,
        cast('s_plc_made_by_type' as varchar) as kpi_id,
        flow_windows.period_end,
        flow_windows.measure_window,
        flow_windows.period_end as snapshot_date,
        placements.child_id,
        cast(placements.placement_number as varchar) as item_id,
        cast(null as varchar) as worker_id,
        cast(null as varchar) as status,
        placements.placement_start_date as start_date,
        placements.placement_category as breakdown_key,
        true as in_numerator,
        true as in_denominator
    from flow_windows
    inner join placements
        on placements.placement_start_date between flow_windows.window_start and flow_windows.window_end
),

care_leavers_aged as (
    -- The care-leaver snapshot delivered for the month (ssd_care_leavers, snapshot date = the period end), with age
    -- on that date from the conformed child (903 Header, CIN, ssd_person).
    select
        care_leavers.*,
        cast(
            extract(year from care_leavers.snapshot_date) - extract(year from conformed_children.date_of_birth)
            - case
                when
                    extract(month from care_leavers.snapshot_date) * 100 + extract(day from care_leavers.snapshot_date)
                    < extract(month from conformed_children.date_of_birth) * 100
                    + extract(day from conformed_children.date_of_birth)
                    then 1
                else 0
            end as integer
        ) as age_years,
        -- b10: the latest contact within the last 3 months supplies the activity (proposed window).
        coalesce(
            care_leavers.latest_contact_date > {{ add_months('care_leavers.snapshot_date', -3) }}
            and care_leavers.activity in ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5'),
            false
        ) as is_eet,
        -- Suitable accommodation: the 903 ACCOM ends in 1, or the letter with the suitability column 1; unknown
        -- accommodation stays in the denominator.
        coalesce(
            care_leavers.accommodation like '_1' or care_leavers.accommodation_suitable = '1', false
        ) as is_suitably_accommodated
    from care_leavers
    left join conformed_children
        on
            care_leavers.la_code = conformed_children.la_code
            and care_leavers.child_id = conformed_children.child_id
    where care_leavers.eligibility in ('RELEVANT', 'FORMER_RELEVANT')
),

care_leaver_kpis as (
    select care_leaver_kpi.kpi_id
    from (
        values
        ('b10_cl_eet_19_21'),
        ('b10b_cl_eet_18_21'),
        ('s_staying_put_count'),
        ('t_cl_suitable_accom_18_21'),
        ('t_cl_suitable_accom_19_21'),
        ('p_cl_suitable_accom_16plus')
    ) as care_leaver_kpi (kpi_id)
),

care_leaver_rules as (
    -- b10 (19-21) and b10b (18-21): care leavers / in education, employment or training; the denominator includes
    -- the not-in-touch and unknown. s_staying_put_count: care leavers 18-21 with former foster carers (ACCOM Z or
    -- the staying_put flag), a count. Suitable accommodation (18-21, 19-21, 16+): care leavers / ACCOM suitable.
    select
        care_leavers_aged.*,
        care_leaver_kpis.kpi_id,
        case care_leaver_kpis.kpi_id
            when 'b10_cl_eet_19_21' then coalesce(care_leavers_aged.age_years between 19 and 21, false)
            when 'b10b_cl_eet_18_21' then coalesce(care_leavers_aged.age_years between 18 and 21, false)
            when 't_cl_suitable_accom_18_21' then coalesce(care_leavers_aged.age_years between 18 and 21, false)
            when 't_cl_suitable_accom_19_21' then coalesce(care_leavers_aged.age_years between 19 and 21, false)
            when 'p_cl_suitable_accom_16plus' then coalesce(care_leavers_aged.age_years >= 16, false)
            else coalesce(
                    care_leavers_aged.age_years between 18 and 21
                    and (
                        coalesce(care_leavers_aged.is_staying_put, false)
                        or upper(care_leavers_aged.accommodation) like 'Z%'
                    ),
                    false
                )
        end as is_member,
        care_leaver_kpis.kpi_id <> 's_staying_put_count' as in_denominator,
        case
            when care_leaver_kpis.kpi_id = 's_staying_put_count' then true
            when care_leaver_kpis.kpi_id like '%suitable_accom%' then care_leavers_aged.is_suitably_accommodated
            else care_leavers_aged.is_eet
        end as in_numerator
    from care_leavers_aged
    cross join care_leaver_kpis
),

care_leaver_members as (
    select
        la_code,
        kpi_id,
        snapshot_date as period_end,
        cast('month_end' as varchar) as measure_window,
        snapshot_date,
        child_id,
        cast(null as varchar) as item_id,
        personal_adviser_worker_id as worker_id,
        cast(null as varchar) as status,
        cast(null as date) as start_date,
        cast(null as varchar) as breakdown_key,
        in_numerator,
        in_denominator
    from care_leaver_rules
    where is_member
),

missing_rules as (
    -- p_missing_rhi_offered: missing episodes ended in the window / a return-home interview offered within 72 hours
    -- of the end (local_rhi_offered_date), or, without that date, recorded as offered (timing unverified).
    -- p_missing_rhi_uptake: the offered ones / accepted (Y) or held (a completion date).
    select
        missing_episodes.*,
        flow_windows.period_end,
        flow_windows.measure_window,
        coalesce(
            missing_episodes.rhi_offered_at <= missing_episodes.missing_end_at + interval '72 hours'
            or (missing_episodes.rhi_offered_at is null and missing_episodes.rhi_offered = 'Y'),
            false
        ) as is_offered_in_time,
        coalesce(missing_episodes.rhi_accepted = 'Y' or missing_episodes.rhi_completed_at is not null, false)
            as is_taken_up
    from flow_windows
    inner join missing_episodes
        on
            missing_episodes.missing_end_date between flow_windows.window_start and flow_windows.window_end
),

missing_members as (
    select
        la_code,
        cast('p_missing_rhi_offered' as varchar) as kpi_id,
        period_end,
        measure_window,
        period_end as snapshot_date,
        child_id,
        cast('missing:' || missing_episode_id as varchar) as item_id,
        cast(null as varchar) as worker_id,
        -- Counted on the offered flag alone, without an offer time (the catalogue's 'timing_unverified').
        cast(
            case when is_offered_in_time and rhi_offered_at is null then 'timing_unverified' end as varchar
        ) as status,
        missing_start_date as start_date,
        cast(null as varchar) as breakdown_key,
        is_offered_in_time as in_numerator,
        true as in_denominator
    from missing_rules
    union all
    select
        la_code,
        cast('p_missing_rhi_uptake' as varchar) as kpi_id,
        period_end,
        measure_window,
        period_end as snapshot_date,
        child_id,
        cast('missing:' || missing_episode_id as varchar) as item_id,
        cast(null as varchar) as worker_id,
        cast(null as varchar) as status,
        missing_start_date as start_date,
        cast(null as varchar) as breakdown_key,
        is_taken_up as in_numerator,
        true as in_denominator
    from missing_rules
    where is_offered_in_time
),

unioned as (
    select * from snapshot_members
    union all
    select * from placements_made
    union all
    select * from care_leaver_members
    union all
    select * from missing_members
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        -- The child, or a pseudonym of the child's placement / missing episode (never a case-system id).
        cast(
            case
                when item_id is null then {{ pseudonymous_key('la_code', 'child_id') }}
                else {{ pseudonymous_key('la_code', "child_id || '#' || item_id") }}
            end as varchar
        ) as item_key,
        cast(start_date as date) as start_date,
        cast(breakdown_key as varchar) as breakdown_key,
        cast(status as varchar) as status,
        cast(
            case when worker_id is not null then {{ pseudonymous_key('la_code', 'worker_id') }} end as varchar
        ) as worker_key,
        cast(in_denominator as boolean) as in_denominator,
        cast(in_numerator as boolean) as in_numerator
    from unioned
)

select * from final
