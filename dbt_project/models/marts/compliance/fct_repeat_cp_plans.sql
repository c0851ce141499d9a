-- Repeat child protection plans (kpi-catalogue §1.1 b06) in the common members shape (docs/marts/compliance.md):
-- flows over the CP plans started in the window (CPPstartDate).
--   b06_cpp_repeat_2y              numerator: the child has an earlier plan that ENDED in
--                                  [start - 24 calendar months, start) (month-end clamped, §0.3): a plan ended
--                                  exactly 24 months before counts, one ending on the new plan's start day does not.
--   b06b_cpp_second_or_subsequent  numerator: the child had a plan before (an earlier start in the data, or the
--                                  census NumberOfPreviousCPP > 0).
-- Other-LA plans (is_other_la_plan) are not own-LA plans (input contract §2.3): listed with status 'excluded', in
-- neither count; as earlier plans they still make a later own plan a repeat (the child's history). Attribution
-- (§0.4): the allocation open on the plan start date; else the team owning the plan's referral episode.
with

plans as (
    select * from {{ ref('int_cp_plans_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

earlier_plans as (
    -- Per plan: the latest end of an earlier-started plan of the child that ended before this start, and the
    -- latest earlier start (any plan started before this one).
    select
        current_plan.la_code,
        current_plan.cp_plan_id,
        max(
            case
                when earlier_plan.cp_plan_end_date < current_plan.cp_plan_start_date
                    then earlier_plan.cp_plan_end_date
            end
        ) as previous_plan_end_date,
        max(earlier_plan.cp_plan_start_date) as previous_plan_start_date
    from plans as current_plan
    inner join plans as earlier_plan
        on
            current_plan.la_code = earlier_plan.la_code
            and current_plan.child_id = earlier_plan.child_id
            and current_plan.cp_plan_start_date > earlier_plan.cp_plan_start_date
    group by current_plan.la_code, current_plan.cp_plan_id
),

started as (
    select
        plans.la_code,
        plans.cp_plan_id,
        plans.child_id,
        plans.cp_plan_start_date,
        referrals.team_id as episode_team_id,
        not plans.is_other_la_plan as is_in_population,
        earlier_plans.previous_plan_end_date,
        earlier_plans.previous_plan_start_date,
        coalesce(
            earlier_plans.previous_plan_end_date >= {{ add_months('plans.cp_plan_start_date', -24) }}, false
        ) as is_repeat_within_2y,
        earlier_plans.previous_plan_start_date is not null
        or coalesce(plans.number_of_previous_cp_plans, 0) > 0 as is_second_or_subsequent
    from plans
    left join earlier_plans
        on
            plans.la_code = earlier_plans.la_code
            and plans.cp_plan_id = earlier_plans.cp_plan_id
    left join referrals
        on
            plans.la_code = referrals.la_code
            and plans.referral_id = referrals.referral_id
    where
        plans.cp_plan_start_date >= (select min(flow_windows.window_start) from flow_windows)
        and plans.cp_plan_start_date <= {{ as_of_date() }}
),

attributed as (
    {{ attributed_to_allocation('started', ['la_code', 'cp_plan_id'], 'cp_plan_start_date', 'episode_team_id') }}
),

members as (
    select
        attributed.*,
        cast('b06_cpp_repeat_2y' as varchar) as kpi_id,
        attributed.previous_plan_end_date as clock_start_date,
        attributed.is_repeat_within_2y as is_hit,
        'repeat_within_2y' as hit_status,
        'not_repeat_within_2y' as miss_status
    from attributed
    union all
    select
        attributed.*,
        cast('b06b_cpp_second_or_subsequent' as varchar) as kpi_id,
        attributed.previous_plan_start_date as clock_start_date,
        attributed.is_second_or_subsequent as is_hit,
        'second_or_subsequent' as hit_status,
        'first_plan' as miss_status
    from attributed
),

final as (
    select
        cast(members.la_code as varchar) as la_code,
        cast(members.kpi_id as varchar) as kpi_id,
        cast(flow_windows.period_end as date) as period_end,
        cast(flow_windows.measure_window as varchar) as measure_window,
        cast(flow_windows.period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('members.la_code', 'members.child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('members.la_code', "'cp_plan|' || members.cp_plan_id") }} as varchar) as item_key,
        cast(members.clock_start_date as date) as start_date,
        cast(null as date) as due_date,
        cast(members.cp_plan_start_date as date) as completed_date,
        cast(
            case
                when not members.is_in_population then 'excluded'
                when members.is_hit then members.hit_status
                else members.miss_status
            end as varchar
        ) as status,
        cast(members.is_in_population as boolean) as in_denominator,
        cast(members.is_in_population and members.is_hit as boolean) as in_numerator,
        {{ member_attribution_columns('members') }}
    from members
    inner join flow_windows
        on members.cp_plan_start_date between flow_windows.window_start and flow_windows.window_end
)

select * from final
