-- CP visits in timescale (kpi-catalogue §1.1 b04_cp_visits_10wd) in the common members shape
-- (docs/marts/compliance.md): a snapshot on every month end and weekly CR date d.
-- Population: children with a CP plan open on d (start <= d and (end is null or end > d), §0.2), one row per
-- child: the child's latest-starting open plan (an own-LA plan before an other-LA one). A child whose only open
-- plan is another LA's (input contract §2.3 cppl_cp_plan_ola) is listed with status 'excluded', in neither count.
-- last_seen = the latest statutory visit with the child seen from the plan's start to d, whatever its context
-- ("any statutory visit counts once the CPP has started"; a visit where the child was not seen never resets the
-- clock); none -> the plan's start. In timescale <=> d <= add_working_days(last_seen, 10): the interval is the
-- CP row of ref_visit_frequency (10 working days by default; day 0 = the visit, §0.3), so a visit due exactly on
-- d is in time. Attribution (§0.4): the allocation open on d; else the team owning the plan's referral episode;
-- else the CP requirement's owning service (S&FS).
-- Columns: start_date = the plan's start, completed_date = last_seen (the latest visit that reset the clock; null
-- when none since the start), due_date = the last day of the current interval. status: 'in_time', 'overdue',
-- 'excluded'.
with

cp_plans as (
    select * from {{ ref('int_cp_plans_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

visits as (
    select * from {{ ref('int_visits_unioned') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

snapshot_days as (
    select distinct snapshot_date from snapshot_dates
),

frequencies as (
    {{ visit_frequencies('cp_plans') }}
),

cp_frequency as (
    select * from frequencies
    where requirement_code = 'CP'
),

seen_visits as (
    {{ statutory_seen_visits('visits') }}
),

open_on_snapshot as (
    -- Each child's plan on each snapshot date it has one open: own-LA plans first, then the latest start.
    select ranked.*
    from (
        select
            cp_plans.la_code,
            cp_plans.child_id,
            cp_plans.cp_plan_id,
            cp_plans.cp_plan_start_date,
            not cp_plans.is_other_la_plan as is_in_population,
            referrals.team_id as episode_team_id,
            snapshot_days.snapshot_date,
            row_number() over (
                partition by cp_plans.la_code, cp_plans.child_id, snapshot_days.snapshot_date
                order by
                    case when cp_plans.is_other_la_plan then 1 else 0 end asc,
                    cp_plans.cp_plan_start_date desc,
                    cp_plans.cp_plan_id asc
            ) as plan_rank
        from cp_plans
        inner join snapshot_days
            on
                cp_plans.cp_plan_start_date <= snapshot_days.snapshot_date
                and (cp_plans.cp_plan_end_date is null or cp_plans.cp_plan_end_date > snapshot_days.snapshot_date)
        left join referrals
            on
                cp_plans.la_code = referrals.la_code
                and cp_plans.referral_id = referrals.referral_id
    ) as ranked
    where ranked.plan_rank <= 1
),

-- Each child's plan with the child's latest counted visit on or before d.
plans_seen as (
    {{ latest_event_on_each_row(
        'open_on_snapshot',
        ['la_code', 'child_id', 'snapshot_date', 'cp_plan_id', 'cp_plan_start_date', 'is_in_population',
            'episode_team_id'],
        'seen_visits', 'visit_date', 'cast(events.visit_date as varchar)', 'latest_visit_key'
    ) }}
),

clocked as (
    -- The clock runs from the latest visit since the plan started, else from the start.
    select
        seen.*,
        cp_frequency.owning_service_code,
        {{ visit_due_date(
            'coalesce(seen.last_seen_date, seen.cp_plan_start_date)',
            'cp_frequency.interval_value',
            'cp_frequency.interval_unit'
        ) }} as visit_due_date
    from (
        select
            plans_seen.*,
            {{ last_seen_since('cast(plans_seen.latest_visit_key as date)', 'plans_seen.cp_plan_start_date') }}
                as last_seen_date
        from plans_seen
    ) as seen
    -- A left join keeps PostgreSQL's row estimate (the CP requirement always has a default row).
    left join cp_frequency
        on seen.la_code = cp_frequency.la_code
),

attributed as (
    {{ attributed_to_allocation(
        'clocked', ['la_code', 'child_id', 'snapshot_date'], 'snapshot_date', 'episode_team_id',
        'owning_service_code'
    ) }}
),

member_rows as (
    select
        attributed.*,
        snapshot_dates.period_end,
        snapshot_dates.measure_window,
        coalesce(attributed.snapshot_date <= attributed.visit_due_date, false) as is_in_time
    from attributed
    inner join snapshot_dates
        on attributed.snapshot_date = snapshot_dates.snapshot_date
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast('b04_cp_visits_10wd' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', "'cp_plan|' || cp_plan_id") }} as varchar) as item_key,
        cast(cp_plan_start_date as date) as start_date,
        cast(visit_due_date as date) as due_date,
        cast(last_seen_date as date) as completed_date,
        cast(
            case
                when not is_in_population then 'excluded'
                when is_in_time then 'in_time'
                else 'overdue'
            end as varchar
        ) as status,
        cast(is_in_population as boolean) as in_denominator,
        cast(is_in_population and is_in_time as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
