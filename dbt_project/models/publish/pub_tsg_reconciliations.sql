-- The kpi-catalogue §5.8 item 2 reconciliations that need the warehouse rather than the published figures: one row
-- per organisation and check at the period end `as_of`, both sides counted here, exported beside the candidate
-- dataset and gated by the Great Expectations checkpoint (expectations/tsg_dataset_suite.py). Rules in the YAML.
--   open_children   children open on any record of their journey (referral, assessment, CIN plan, CP plan, 903
--                   episode) = the distinct union of open referrals and open 903 episodes: a plan or assessment
--                   left open outside both means the open-children figure and its parts disagree.
--   cla_903         children looked after from 903 (excluding short breaks, as s_cla_count) within ±2 of the
--                   children the case system's own CLA list (ssd_cla_episodes) shows open (input contract X5);
--                   NOT_CHECKED when the month's delivery has no such list.
-- A record is open on the date when it started on or before it and has no end date or ends after it.
with

delivered as (
    select * from {{ ref('int_source_tables_delivered') }}
    where period_end = {{ as_of_date() }}
),

organisations as (
    select distinct la_code from delivered
),

open_referrals as (
    select
        la_code,
        child_id
    from {{ ref('int_referrals_conformed') }}
    where
        referral_date <= {{ as_of_date() }}
        and (closure_date is null or closure_date > {{ as_of_date() }})
),

open_episodes as (
    select
        la_code,
        child_id
    from {{ ref('int_cla_episodes_repaired') }}
    where
        episode_start_date <= {{ as_of_date() }}
        and (episode_end_date is null or episode_end_date > {{ as_of_date() }})
),

open_assessments as (
    select
        la_code,
        child_id
    from {{ ref('int_assessments_conformed') }}
    where
        assessment_start_date <= {{ as_of_date() }}
        and (assessment_authorisation_date is null or assessment_authorisation_date > {{ as_of_date() }})
),

open_cin_plans as (
    select
        la_code,
        child_id
    from {{ ref('int_cin_plans_conformed') }}
    where
        cin_plan_start_date <= {{ as_of_date() }}
        and (cin_plan_end_date is null or cin_plan_end_date > {{ as_of_date() }})
),

open_cp_plans as (
    select
        la_code,
        child_id
    from {{ ref('int_cp_plans_conformed') }}
    where
        cp_plan_start_date <= {{ as_of_date() }}
        and (cp_plan_end_date is null or cp_plan_end_date > {{ as_of_date() }})
),

union_of_referrals_and_episodes as (
    select
        la_code,
        child_id
    from open_referrals
    union
    select
        la_code,
        child_id
    from open_episodes
),

open_on_any_record as (
    select
        la_code,
        child_id
    from union_of_referrals_and_episodes
    union
    select
        la_code,
        child_id
    from open_assessments
    union
    select
        la_code,
        child_id
    from open_cin_plans
    union
    select
        la_code,
        child_id
    from open_cp_plans
),

open_children_counted as (
    select
        organisations.la_code,
        count(distinct open_on_any_record.child_id) as measured_count,
        count(distinct union_of_referrals_and_episodes.child_id) as reference_count
    from organisations
    left join open_on_any_record on organisations.la_code = open_on_any_record.la_code
    left join union_of_referrals_and_episodes
        on
            open_on_any_record.la_code = union_of_referrals_and_episodes.la_code
            and open_on_any_record.child_id = union_of_referrals_and_episodes.child_id
    group by organisations.la_code
),

cla_903 as (
    select
        la_code,
        count(*) as children
    from {{ ref('fct_cla_children_at_period_end') }}
    where period_end = {{ as_of_date() }}
    group by la_code
),

cla_case_system as (
    select
        la_code,
        count(distinct child_id) as children
    from {{ ref('stg_ssd__cla_episodes') }}
    where
        episode_start_date <= {{ as_of_date() }}
        and (episode_end_date is null or episode_end_date > {{ as_of_date() }})
    group by la_code
),

case_system_list_delivered as (
    -- A header-only file is a delivery (an empty list); an absent or wholly rejected one is not.
    select la_code
    from delivered
    where table_name = 'ssd_cla_episodes' and delivery_status in ('landed', 'empty', 'partly_rejected')
),

counted as (
    select
        organisations.la_code,
        'open_children' as check_id,
        'open children = distinct union of open referrals and 903 episodes' as check_name,
        'children open on any referral, assessment, CIN plan, CP plan or 903 episode' as measured_basis,
        'children with an open referral or 903 episode' as reference_basis,
        open_children_counted.measured_count,
        open_children_counted.reference_count,
        {{ var('gate_open_children_tolerance') }} as tolerance,
        cast(null as varchar) as note
    from organisations
    inner join open_children_counted on organisations.la_code = open_children_counted.la_code
    union all
    select
        organisations.la_code,
        'cla_903' as check_id,
        'CLA from 903 episodes within tolerance of the case-system CLA list' as check_name,
        'children looked after from 903 episodes (excluding short breaks V3/V4)' as measured_basis,
        'children open on the case-system CLA list (ssd_cla_episodes)' as reference_basis,
        coalesce(cla_903.children, 0) as measured_count,
        case
            when case_system_list_delivered.la_code is not null then coalesce(cla_case_system.children, 0)
        end as reference_count,
        {{ var('gate_cla_903_tolerance') }} as tolerance,
        case
            when case_system_list_delivered.la_code is null
                then 'not checked: the month''s delivery has no ssd_cla_episodes (input contract X5)'
        end as note
    from organisations
    left join cla_903 on organisations.la_code = cla_903.la_code
    left join cla_case_system on organisations.la_code = cla_case_system.la_code
    left join case_system_list_delivered on organisations.la_code = case_system_list_delivered.la_code
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast({{ as_of_date() }} as date) as period_end,
        cast(check_id as varchar) as check_id,
        cast(check_name as varchar) as check_name,
        cast(measured_basis as varchar) as measured_basis,
        cast(measured_count as integer) as measured_count,
        cast(reference_basis as varchar) as reference_basis,
        cast(reference_count as integer) as reference_count,
        cast(measured_count - reference_count as integer) as difference,
        cast(tolerance as integer) as tolerance,
        cast(
            case
                when reference_count is null then 'NOT_CHECKED'
                when abs(measured_count - reference_count) <= tolerance then 'PASS'
                else 'FAIL'
            end as varchar
        ) as status,
        cast(note as varchar) as note
    from counted
)

select * from final
