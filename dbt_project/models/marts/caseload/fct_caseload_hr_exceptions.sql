-- The data-quality table of the case-system / HR reconciliation (docs/marts/caseload.md): the case-holding workers
-- of fct_caseload_hr_reconciliation with no employee or agency assignment active on the month end, where the
-- month's delivery held HR, with the reason and the organisation's exception share that month.
with

reconciliation as (
    select * from {{ ref('fct_caseload_hr_reconciliation') }}
),

shares as (
    select
        la_code,
        period_end,
        count(*) as case_holding_workers,
        count(case when is_exception then 1 end) as exception_workers
    from reconciliation
    where hr_delivered
    group by la_code, period_end
),

final as (
    select
        cast(reconciliation.la_code as varchar) as la_code,
        cast(reconciliation.period_end as date) as period_end,
        cast(reconciliation.worker_key as varchar) as worker_key,
        cast(reconciliation.team_id as varchar) as team_id,
        cast(reconciliation.service_code as varchar) as service_code,
        cast(reconciliation.role_code as varchar) as role_code,
        cast(reconciliation.case_count as integer) as case_count,
        cast(reconciliation.has_hr_person_id as boolean) as has_hr_person_id,
        cast(reconciliation.hr_match_status as varchar) as exception_reason,
        cast(shares.case_holding_workers as integer) as case_holding_workers,
        cast(shares.exception_workers as integer) as exception_workers,
        {{ percent_half_up('shares.exception_workers', 'shares.case_holding_workers', 1) }} as exception_pct
    from reconciliation
    inner join shares
        on
            reconciliation.la_code = shares.la_code
            and reconciliation.period_end = shares.period_end
    where reconciliation.is_exception
)

select * from final
