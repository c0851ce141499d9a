-- Assessment timeliness (kpi-catalogue §1.1 b03, §1.3, §2.5 B2) in the common members shape
-- (docs/marts/compliance.md):
--   b03_assess_45wd                 flow: assessments authorised in the window; in time when the authorisation is
--                                   on or before add_working_days(start, 45) (the start is day 0, §0.3).
--   b03v_assess_45wd_from_referral  the same assessments, the clock started at the referral (CINreferralDate).
--   t_assess_open_in_time           snapshot on every month end and weekly CR date d: assessments open on d
--                                   (start <= d, not authorised by d); in time while d <= add_working_days(start, 45).
-- Population: child and family assessments, pre-birth ones included (§1.1 b03: "unless assessment_type says
-- otherwise"); an assessment typed OTHER is listed with status 'excluded', in neither count, as is a b03v
-- assessment whose referral is unknown (no clock start). Attribution (§0.4): the allocation open on the
-- authorisation date (flows) or on the snapshot date; else the assessment's team, else its referral's team, else R&A.
with

assessments as (
    select * from {{ ref('int_assessments_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

snapshot_days as (
    -- A CR date that is also a month end is one day to attribute on.
    select distinct snapshot_date from snapshot_dates
),

assessments_dated as (
    select
        assessments.la_code,
        assessments.assessment_id,
        assessments.child_id,
        assessments.assessment_start_date,
        assessments.assessment_authorisation_date,
        referrals.referral_date,
        coalesce(assessments.team_id, referrals.team_id) as episode_team_id,
        cast('RA' as varchar) as episode_service_code,
        assessments.assessment_type in ('CF', 'PREBIRTH') as is_in_population,
        {{ add_working_days('assessments.assessment_start_date', 45) }} as due_from_start,
        {{ add_working_days('referrals.referral_date', 45) }} as due_from_referral
    from assessments
    left join referrals
        on
            assessments.la_code = referrals.la_code
            and assessments.referral_id = referrals.referral_id
),

-- Flows -----------------------------------------------------------------------------------------------------------

authorised as (
    -- Assessments authorised on a day some window can hold, attributed on the authorisation date.
    select *
    from assessments_dated
    where
        assessment_authorisation_date >= (select min(flow_windows.window_start) from flow_windows)
        and assessment_authorisation_date <= {{ as_of_date() }}
),

authorised_attributed as (
    {{ attributed_to_allocation(
        'authorised', ['la_code', 'assessment_id'], 'assessment_authorisation_date', 'episode_team_id',
        'episode_service_code'
    ) }}
),

flow_members as (
    select
        authorised_attributed.*,
        cast('b03_assess_45wd' as varchar) as kpi_id,
        authorised_attributed.assessment_start_date as clock_start_date,
        authorised_attributed.due_from_start as clock_due_date,
        authorised_attributed.is_in_population as is_counted
    from authorised_attributed
    union all
    select
        authorised_attributed.*,
        cast('b03v_assess_45wd_from_referral' as varchar) as kpi_id,
        authorised_attributed.referral_date as clock_start_date,
        authorised_attributed.due_from_referral as clock_due_date,
        authorised_attributed.is_in_population and authorised_attributed.referral_date is not null as is_counted
    from authorised_attributed
),

flow_rows as (
    select
        flow_members.la_code,
        flow_members.kpi_id,
        flow_windows.period_end,
        flow_windows.measure_window,
        flow_windows.period_end as snapshot_date,
        flow_members.child_id,
        flow_members.assessment_id,
        flow_members.clock_start_date as start_date,
        flow_members.clock_due_date as due_date,
        flow_members.assessment_authorisation_date as completed_date,
        case
            when not flow_members.is_counted then 'excluded'
            when flow_members.assessment_authorisation_date <= flow_members.clock_due_date then 'in_time'
            else 'late'
        end as status,
        flow_members.is_counted as in_denominator,
        coalesce(
            flow_members.is_counted
            and flow_members.assessment_authorisation_date <= flow_members.clock_due_date,
            false
        ) as in_numerator,
        flow_members.attributed_service_code,
        flow_members.attributed_team_id,
        flow_members.attributed_worker_id,
        flow_members.attribution_basis
    from flow_members
    inner join flow_windows
        on flow_members.assessment_authorisation_date between flow_windows.window_start and flow_windows.window_end
),

-- Snapshots -------------------------------------------------------------------------------------------------------

open_on_snapshot as (
    -- Each assessment on each snapshot day it is open on.
    select
        assessments_dated.*,
        snapshot_days.snapshot_date
    from assessments_dated
    inner join snapshot_days
        on
            assessments_dated.assessment_start_date <= snapshot_days.snapshot_date
            and (
                assessments_dated.assessment_authorisation_date is null
                or assessments_dated.assessment_authorisation_date > snapshot_days.snapshot_date
            )
),

open_attributed as (
    {{ attributed_to_allocation(
        'open_on_snapshot', ['la_code', 'assessment_id', 'snapshot_date'], 'snapshot_date', 'episode_team_id',
        'episode_service_code'
    ) }}
),

snapshot_rows as (
    select
        open_attributed.la_code,
        cast('t_assess_open_in_time' as varchar) as kpi_id,
        snapshot_dates.period_end,
        snapshot_dates.measure_window,
        snapshot_dates.snapshot_date,
        open_attributed.child_id,
        open_attributed.assessment_id,
        open_attributed.assessment_start_date as start_date,
        open_attributed.due_from_start as due_date,
        -- Open on the snapshot date: not authorised by then.
        cast(null as date) as completed_date,
        case
            when not open_attributed.is_in_population then 'excluded'
            when open_attributed.snapshot_date <= open_attributed.due_from_start then 'in_time'
            else 'overdue'
        end as status,
        open_attributed.is_in_population as in_denominator,
        coalesce(
            open_attributed.is_in_population and open_attributed.snapshot_date <= open_attributed.due_from_start,
            false
        ) as in_numerator,
        open_attributed.attributed_service_code,
        open_attributed.attributed_team_id,
        open_attributed.attributed_worker_id,
        open_attributed.attribution_basis
    from open_attributed
    inner join snapshot_dates
        on open_attributed.snapshot_date = snapshot_dates.snapshot_date
),

member_rows as (
    select * from flow_rows
    union all
    select * from snapshot_rows
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', "'assessment|' || assessment_id") }} as varchar) as item_key,
        cast(start_date as date) as start_date,
        cast(due_date as date) as due_date,
        cast(completed_date as date) as completed_date,
        cast(status as varchar) as status,
        cast(in_denominator as boolean) as in_denominator,
        cast(in_numerator as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
