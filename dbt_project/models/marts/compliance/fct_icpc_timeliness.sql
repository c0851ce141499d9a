-- ICPC timeliness (kpi-catalogue §1.1 b05, §2.5 B3) in the common members shape (docs/marts/compliance.md):
--   b05_icpc_15wd            flow: S47 enquiries whose initial child protection conference (DateOfInitialCPC) falls
--                            in the window; in time when the ICPC is on or before add_working_days(S47 start, 15)
--                            (the start is day 0, §0.3; the census InitialCPCtarget is not trusted, it is recomputed).
--   b05v_icpc_15wd_strategy  the same conferences, the clock started at the last strategy discussion: the latest
--                            discussion of the child held on or before the ICPC and no earlier than the episode
--                            (the S47's referral date, else the S47 start), or the one the S47 names.
-- Excluded (status 'excluded', in neither count): ICPCnotRequired, transfer-in conferences, and for b05v an
-- enquiry with no strategy discussion to start the clock. Attribution (§0.4): the allocation open on the ICPC date;
-- else the enquiry's team, else its referral's team, else R&A (the open episode is the referral).
with

enquiries as (
    select * from {{ ref('int_section47_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

discussions as (
    select * from {{ ref('int_strategy_discussions_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

conferences as (
    -- Enquiries with a conference some window can hold.
    select
        enquiries.la_code,
        enquiries.s47_id,
        enquiries.child_id,
        enquiries.strategy_id,
        enquiries.s47_start_date,
        enquiries.initial_cpc_date,
        coalesce(referrals.referral_date, enquiries.s47_start_date) as episode_start_date,
        coalesce(enquiries.team_id, referrals.team_id) as episode_team_id,
        cast('RA' as varchar) as episode_service_code,
        not coalesce(enquiries.is_icpc_not_required, false) and not enquiries.is_transfer_in as is_in_population,
        {{ add_working_days('enquiries.s47_start_date', 15) }} as due_from_start
    from enquiries
    left join referrals
        on
            enquiries.la_code = referrals.la_code
            and enquiries.referral_id = referrals.referral_id
    where
        enquiries.initial_cpc_date >= (select min(flow_windows.window_start) from flow_windows)
        and enquiries.initial_cpc_date <= {{ as_of_date() }}
),

last_discussions as (
    -- The last strategy discussion before each conference (kpi-catalogue §1.1 b05 variant).
    select
        conferences.la_code,
        conferences.s47_id,
        max(discussions.strategy_date) as strategy_date
    from conferences
    inner join discussions
        on
            conferences.la_code = discussions.la_code
            and conferences.child_id = discussions.child_id
            and conferences.initial_cpc_date >= discussions.strategy_date
            and (
                conferences.episode_start_date <= discussions.strategy_date
                or conferences.strategy_id = discussions.strategy_id
            )
    group by conferences.la_code, conferences.s47_id
),

conferences_dated as (
    select
        conferences.*,
        last_discussions.strategy_date,
        {{ add_working_days('last_discussions.strategy_date', 15) }} as due_from_strategy
    from conferences
    left join last_discussions
        on
            conferences.la_code = last_discussions.la_code
            and conferences.s47_id = last_discussions.s47_id
),

attributed as (
    {{ attributed_to_allocation(
        'conferences_dated', ['la_code', 's47_id'], 'initial_cpc_date', 'episode_team_id', 'episode_service_code'
    ) }}
),

members as (
    select
        attributed.*,
        cast('b05_icpc_15wd' as varchar) as kpi_id,
        attributed.s47_start_date as clock_start_date,
        attributed.due_from_start as clock_due_date,
        attributed.is_in_population as is_counted
    from attributed
    union all
    select
        attributed.*,
        cast('b05v_icpc_15wd_strategy' as varchar) as kpi_id,
        attributed.strategy_date as clock_start_date,
        attributed.due_from_strategy as clock_due_date,
        attributed.is_in_population and attributed.strategy_date is not null as is_counted
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
        cast({{ pseudonymous_key('members.la_code', "'section47|' || members.s47_id") }} as varchar) as item_key,
        cast(members.clock_start_date as date) as start_date,
        cast(members.clock_due_date as date) as due_date,
        cast(members.initial_cpc_date as date) as completed_date,
        cast(
            case
                when not members.is_counted then 'excluded'
                when members.initial_cpc_date <= members.clock_due_date then 'in_time'
                else 'late'
            end as varchar
        ) as status,
        cast(members.is_counted as boolean) as in_denominator,
        cast(coalesce(members.is_counted and members.initial_cpc_date <= members.clock_due_date, false) as boolean)
            as in_numerator,
        {{ member_attribution_columns('members') }}
    from members
    inner join flow_windows
        on members.initial_cpc_date between flow_windows.window_start and flow_windows.window_end
)

select * from final
