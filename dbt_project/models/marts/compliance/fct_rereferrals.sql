-- b02_rereferral_12m (kpi-catalogue §1.1, DfE CIN census definition): every referral received in a flow window
-- (month, ytd, rolling_12m of each of the 13 period ends), ReferralNFA included, in the common members shape
-- (docs/marts/compliance.md). A referral is a re-referral when the same child has an earlier referral with a date
-- in [referral date - 12 calendar months, referral date): the lower bound is IN (a referral exactly 12 months
-- before counts), a referral on the same day is not "earlier". Unborn children are matched on their child id like
-- any other child. Attribution (§0.4): the allocation open on the referral date, else the referral's own team
-- (the open episode), else R&A.
with

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

previous_referrals as (
    -- The child's latest referral before this one (any age): shown to the analyst as start_date, and the one
    -- that decides, since any earlier referral inside the 12 months means the latest one is inside too.
    select
        current_referral.la_code,
        current_referral.referral_id,
        max(earlier_referral.referral_date) as previous_referral_date
    from referrals as current_referral
    inner join referrals as earlier_referral
        on
            current_referral.la_code = earlier_referral.la_code
            and current_referral.child_id = earlier_referral.child_id
            and current_referral.referral_date > earlier_referral.referral_date
    group by current_referral.la_code, current_referral.referral_id
),

counted_referrals as (
    -- Only referrals some window can hold; the look-back above reads every referral.
    select
        referrals.la_code,
        referrals.referral_id,
        referrals.child_id,
        referrals.referral_date,
        referrals.team_id,
        cast('RA' as varchar) as episode_service_code,
        previous_referrals.previous_referral_date,
        coalesce(
            previous_referrals.previous_referral_date >= {{ add_months('referrals.referral_date', -12) }}, false
        ) as is_re_referral
    from referrals
    left join previous_referrals
        on
            referrals.la_code = previous_referrals.la_code
            and referrals.referral_id = previous_referrals.referral_id
    where
        referrals.referral_date >= (select min(flow_windows.window_start) from flow_windows)
        and referrals.referral_date <= {{ as_of_date() }}
),

attributed as (
    {{ attributed_to_allocation(
        'counted_referrals', ['la_code', 'referral_id'], 'referral_date', 'team_id', 'episode_service_code'
    ) }}
),

final as (
    select
        cast(attributed.la_code as varchar) as la_code,
        cast('b02_rereferral_12m' as varchar) as kpi_id,
        cast(flow_windows.period_end as date) as period_end,
        cast(flow_windows.measure_window as varchar) as measure_window,
        cast(flow_windows.period_end as date) as snapshot_date,
        cast({{ pseudonymous_key('attributed.la_code', 'attributed.child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('attributed.la_code', "'referral|' || attributed.referral_id") }} as varchar)
            as item_key,
        cast(attributed.previous_referral_date as date) as start_date,
        cast(null as date) as due_date,
        cast(attributed.referral_date as date) as completed_date,
        cast(case when attributed.is_re_referral then 're_referral' else 'not_re_referral' end as varchar)
            as status,
        cast(true as boolean) as in_denominator,
        cast(attributed.is_re_referral as boolean) as in_numerator,
        {{ member_attribution_columns('attributed') }}
    from attributed
    inner join flow_windows
        on attributed.referral_date between flow_windows.window_start and flow_windows.window_end
)

select * from final
