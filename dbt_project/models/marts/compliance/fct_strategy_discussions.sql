-- Strategy discussions that are Working Together compliant (kpi-catalogue §1.2 p_strategy_wt_compliant, S1 plan
-- 1.10) in the common members shape (docs/marts/compliance.md): a flow, one row per discussion per window (month,
-- ytd, rolling_12m) of each period end that holds its date.
--   denominator  strategy discussions dated in the window (int_strategy_discussions_conformed);
--   numerator    police AND health AND social care present. A presence left blank is not evidence of presence
--                (counted as absent). Education "where relevant" is not required: the contract has no flag saying
--                when it is relevant (local_strategy_discussions, input contract §3).
-- status: 'compliant' or 'not_compliant'. start_date = completed_date = the discussion date, due_date null.
-- Attribution (§0.4): the case-holding allocation open on the discussion date; else the discussion's referral team,
-- else the R&A service (the front door holds a child before a plan).
with

discussions as (
    select * from {{ ref('int_strategy_discussions_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

held as (
    -- The discussions some window can hold.
    select
        discussions.la_code,
        discussions.child_id,
        discussions.strategy_id,
        discussions.strategy_date,
        referrals.team_id as episode_team_id,
        cast('RA' as varchar) as episode_service_code,
        case
            when
                coalesce(discussions.is_police_present, false)
                and coalesce(discussions.is_health_present, false)
                and coalesce(discussions.is_social_worker_present, false)
                then 'compliant'
            else 'not_compliant'
        end as status
    from discussions
    left join referrals
        on
            discussions.la_code = referrals.la_code
            and discussions.referral_id = referrals.referral_id
    where
        discussions.strategy_date >= (select min(flow_windows.window_start) from flow_windows)
        and discussions.strategy_date <= {{ as_of_date() }}
),

attributed as (
    {{ attributed_to_allocation(
        'held', ['la_code', 'strategy_id'], 'strategy_date', 'episode_team_id', 'episode_service_code'
    ) }}
),

member_rows as (
    select
        attributed.*,
        flow_windows.period_end,
        flow_windows.measure_window,
        'strategy|' || attributed.strategy_id as strategy_item_id
    from attributed
    inner join flow_windows
        on attributed.strategy_date between flow_windows.window_start and flow_windows.window_end
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast('p_strategy_wt_compliant' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', 'strategy_item_id') }} as varchar) as item_key,
        cast(strategy_date as date) as start_date,
        cast(null as date) as due_date,
        cast(strategy_date as date) as completed_date,
        cast(status as varchar) as status,
        cast(true as boolean) as in_denominator,
        cast(status = 'compliant' as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
