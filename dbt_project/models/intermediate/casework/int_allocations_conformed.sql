-- cs_allocation (input contract §2.2, §7; kpi-catalogue §0.4 attribution, b19, b21): who holds each child's case,
-- from ssd_involvements with the role already mapped to the contract codes in staging.
-- De-duplication rule: rows of the same child, worker (or none: a team-only allocation), role and team whose
-- periods overlap or touch (a row starting on or before the latest end so far, open rows never ending) are one
-- allocation recorded more than once (re-saved rows, one row per referral): they are merged into one allocation
-- from the earliest start to the latest end (open if any row is open). The merged allocation keeps the smallest
-- allocation id, and the referral and change reason of its earliest row (ties broken by allocation id).
-- Different workers holding the same child at once are NOT merged (co-working is real); attribution chooses
-- between them (macros/casework/attributed_to_allocation.sql).
with

involvements as (
    select * from {{ ref('stg_ssd__involvements') }}
),

ordered as (
    select
        *,
        max(coalesce(end_date, cast('9999-12-31' as date))) over (
            partition by la_code, child_id, worker_id, role_code, team_id
            order by start_date, allocation_id
            rows between unbounded preceding and 1 preceding
        ) as latest_end_so_far
    from involvements
),

islands_started as (
    select
        *,
        case
            when latest_end_so_far is null or start_date > latest_end_so_far then 1 else 0
        end as starts_allocation
    from ordered
),

islands_numbered as (
    select
        *,
        sum(starts_allocation) over (
            partition by la_code, child_id, worker_id, role_code, team_id
            order by start_date, allocation_id
            rows between unbounded preceding and current row
        ) as allocation_number,
        row_number() over (
            partition by la_code, child_id, worker_id, role_code, team_id
            order by start_date, allocation_id
        ) as row_order
    from islands_started
),

islands_ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, worker_id, role_code, team_id, allocation_number
            order by row_order
        ) as row_in_allocation
    from islands_numbered
),

merged as (
    select
        la_code,
        child_id,
        worker_id,
        role_code,
        team_id,
        min(allocation_id) as allocation_id,
        min(start_date) as start_date,
        case when max(case when end_date is null then 1 else 0 end) = 1 then null else max(end_date) end as end_date,
        max(case when row_in_allocation = 1 then referral_id end) as referral_id,
        max(case when row_in_allocation = 1 then worker_change_reason end) as worker_change_reason,
        max(case when row_in_allocation = 1 then role_code_delivered end) as role_code_delivered,
        cast(count(*) as integer) as merged_row_count,
        {{ sorted_distinct_list('allocation_id') }} as merged_allocation_ids,
        {{ sorted_distinct_list('load_id') }} as load_ids
    from islands_ranked
    group by la_code, child_id, worker_id, role_code, team_id, allocation_number
),

final as (
    select
        la_code,
        allocation_id,
        child_id,
        worker_id,
        role_code,
        role_code_delivered,
        team_id,
        start_date,
        end_date,
        start_date <= {{ as_of_date() }} and (end_date is null or end_date > {{ as_of_date() }}) as is_open_at_as_of,
        coalesce(role_code = 'ALLOCATED_SW', false) as is_case_holding_role,
        referral_id,
        worker_change_reason,
        merged_row_count,
        merged_allocation_ids,
        load_ids
    from merged
)

select * from final
