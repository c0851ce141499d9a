-- How long open CIN and CP plans have been open (kpi-catalogue §1.3, S2 1.10) in the common members shape
-- (docs/marts/compliance.md): snapshots on every month end and weekly CR date d, over the plans open on d
-- (start <= d and (end is null or end > d), §0.2). Durations are calendar months, month-end clamped (§0.3):
-- a plan is "open 12 months or more" on d when add_months(start, 12) <= d (started 2024-02-29: from 2025-02-28).
--   t_cin_plans_open_1y_plus  % of open CIN plans open 12 months or more.
--   t_cp_plans_open_1_2y      % of open CP plans open 12 months or more but under 24.
--   t_cp_plans_open_2y_plus   number of CHILDREN on a CP plan open 24 months or more (one row per child on a CP
--                             plan, item_key = child_key; a child with two open plans is counted on the older).
--   t_cp_plans_open_12m_plus  number of CP PLANS open 12 months or more (the Challenge Panel cohort).
-- status is the plan's duration band: 'under_12m', '12_to_24m' or '24m_plus' (other-LA CP plans: 'excluded', in
-- neither count), so the 1-2 year and 2 year+ split of CIN plans S2 asks for is `group by status` of
-- t_cin_plans_open_1y_plus, without KPIs of its own (no target exists for them, §2.5 B17); the S&FS subset is its
-- service grain. due_date is the day the plan reaches the KPI's threshold. Attribution (§0.4): the allocation
-- open on d; else the plan's team (CIN plans), else the team owning its referral episode.
with

cin_plans as (
    select * from {{ ref('int_cin_plans_conformed') }}
),

cp_plans as (
    select * from {{ ref('int_cp_plans_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

snapshot_days as (
    select distinct snapshot_date from snapshot_dates
),

plans as (
    select
        cin_plans.la_code,
        cast('cin_plan' as varchar) as plan_kind,
        cin_plans.cin_plan_id as plan_id,
        cin_plans.child_id,
        cin_plans.cin_plan_start_date as plan_start_date,
        cin_plans.cin_plan_end_date as plan_end_date,
        coalesce(cin_plans.team_id, referrals.team_id) as episode_team_id,
        true as is_own_plan
    from cin_plans
    left join referrals
        on
            cin_plans.la_code = referrals.la_code
            and cin_plans.referral_id = referrals.referral_id
    union all
    select
        cp_plans.la_code,
        cast('cp_plan' as varchar) as plan_kind,
        cp_plans.cp_plan_id as plan_id,
        cp_plans.child_id,
        cp_plans.cp_plan_start_date as plan_start_date,
        cp_plans.cp_plan_end_date as plan_end_date,
        referrals.team_id as episode_team_id,
        not cp_plans.is_other_la_plan as is_own_plan
    from cp_plans
    left join referrals
        on
            cp_plans.la_code = referrals.la_code
            and cp_plans.referral_id = referrals.referral_id
),

open_on_snapshot as (
    select
        plans.*,
        snapshot_days.snapshot_date,
        {{ add_months('plans.plan_start_date', 12) }} as one_year_date,
        {{ add_months('plans.plan_start_date', 24) }} as two_year_date
    from plans
    inner join snapshot_days
        on
            plans.plan_start_date <= snapshot_days.snapshot_date
            and (plans.plan_end_date is null or plans.plan_end_date > snapshot_days.snapshot_date)
),

banded as (
    select
        open_on_snapshot.*,
        case
            when not open_on_snapshot.is_own_plan then 'excluded'
            when open_on_snapshot.two_year_date <= open_on_snapshot.snapshot_date then '24m_plus'
            when open_on_snapshot.one_year_date <= open_on_snapshot.snapshot_date then '12_to_24m'
            else 'under_12m'
        end as duration_band,
        -- The child's own CP plan the 2y+ count is taken on: the oldest open one (then the smallest id).
        row_number() over (
            partition by
                open_on_snapshot.la_code,
                open_on_snapshot.child_id,
                open_on_snapshot.snapshot_date,
                open_on_snapshot.plan_kind
            order by
                case when open_on_snapshot.is_own_plan then 0 else 1 end,
                open_on_snapshot.plan_start_date,
                open_on_snapshot.plan_id
        ) as child_plan_rank
    from open_on_snapshot
),

attributed as (
    {{ attributed_to_allocation(
        'banded', ['la_code', 'plan_kind', 'plan_id', 'snapshot_date'], 'snapshot_date', 'episode_team_id'
    ) }}
),

members as (
    select
        attributed.*,
        cast('t_cin_plans_open_1y_plus' as varchar) as kpi_id,
        attributed.one_year_date as threshold_date,
        attributed.duration_band in ('12_to_24m', '24m_plus') as is_hit,
        false as is_child_item
    from attributed
    where attributed.plan_kind = 'cin_plan'
    union all
    select
        attributed.*,
        cast('t_cp_plans_open_1_2y' as varchar) as kpi_id,
        attributed.one_year_date as threshold_date,
        attributed.duration_band = '12_to_24m' as is_hit,
        false as is_child_item
    from attributed
    where attributed.plan_kind = 'cp_plan'
    union all
    select
        attributed.*,
        cast('t_cp_plans_open_12m_plus' as varchar) as kpi_id,
        attributed.one_year_date as threshold_date,
        attributed.duration_band in ('12_to_24m', '24m_plus') as is_hit,
        false as is_child_item
    from attributed
    where attributed.plan_kind = 'cp_plan'
    union all
    select
        attributed.*,
        cast('t_cp_plans_open_2y_plus' as varchar) as kpi_id,
        attributed.two_year_date as threshold_date,
        attributed.duration_band = '24m_plus' as is_hit,
        true as is_child_item
    from attributed
    where attributed.plan_kind = 'cp_plan' and attributed.child_plan_rank = 1
),

final as (
    select
        cast(members.la_code as varchar) as la_code,
        cast(members.kpi_id as varchar) as kpi_id,
        cast(snapshot_dates.period_end as date) as period_end,
        cast(snapshot_dates.measure_window as varchar) as measure_window,
        cast(snapshot_dates.snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('members.la_code', 'members.child_id') }} as varchar) as child_key,
        cast(
            case
                when members.is_child_item then {{ pseudonymous_key('members.la_code', 'members.child_id') }}
                else {{ pseudonymous_key('members.la_code', "members.plan_kind || '|' || members.plan_id") }}
            end as varchar
        ) as item_key,
        cast(members.plan_start_date as date) as start_date,
        cast(members.threshold_date as date) as due_date,
        -- Open on the snapshot date: not ended by then.
        cast(null as date) as completed_date,
        cast(members.duration_band as varchar) as status,
        cast(members.is_own_plan as boolean) as in_denominator,
        cast(members.is_own_plan and members.is_hit as boolean) as in_numerator,
        {{ member_attribution_columns('members') }}
    from members
    inner join snapshot_dates
        on members.snapshot_date = snapshot_dates.snapshot_date
)

select * from final
