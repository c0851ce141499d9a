-- The child-level rows behind each published figure at the period end `as_of` (restricted drill-down, never
-- exported with the aggregate dataset): one row per (la_code, kpi_id, period_end, item_key). Placement figures
-- count children (item_key = child_key, no clock); compliance figures count items (assessments, plans, visit
-- requirements...) with their clock, status and attribution, from the window the dataset publishes; finance
-- placement figures the commitments behind them (fct_finance_kpi_members). A figure
-- published as NO_DATA for a missing source has no detail.
with

published as (
    -- Figures with data: a count or ratio has a numerator; a finance figure (no numerator) a value.
    select * from {{ ref('pub_tsg_dataset') }}
    where numerator is not null or value is not null
),

placement_members as (
    -- Children (placements made: placements) behind the company figures, at the month end or the flow's month.
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        child_key,
        item_key,
        start_date,
        cast(null as date) as due_date,
        cast(null as date) as completed_date,
        breakdown_key as status,
        in_denominator,
        in_numerator,
        cast(null as varchar) as service_code,
        cast(null as varchar) as team_id,
        cast(null as varchar) as worker_key,
        cast(null as varchar) as attribution_basis
    from {{ ref('fct_placement_kpi_members') }}
    where measure_window in ('month', 'month_end')
),

compliance_members as (
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        child_key,
        item_key,
        start_date,
        due_date,
        completed_date,
        status,
        in_denominator,
        in_numerator,
        service_code,
        team_id,
        worker_key,
        attribution_basis
    from {{ ref('fct_compliance_kpi_members') }}
    where measure_window in ('month', 'month_end')
),

workforce_members as (
    -- The staff behind each workforce figure, in the published window: the counted person is a member of staff,
    -- so child_key carries the pseudonymous worker key (the post key for establishment rows).
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        coalesce(worker_key, item_key) as child_key,
        item_key,
        event_date as start_date,
        cast(null as date) as due_date,
        cast(null as date) as completed_date,
        status,
        in_denominator,
        in_numerator,
        service_code,
        team_id,
        worker_key,
        cast(null as varchar) as attribution_basis
    from {{ ref('fct_workforce_kpi_members') }}
    where
        measure_window in ('month', 'month_end')
        or (kpi_id in ('b22_perm_staff_turnover_12m', 'b22v_voluntary_turnover') and measure_window = 'rolling_12m')
        or (kpi_id = 'p_short_term_absence_ytd' and measure_window = 'ytd')
),

caseload_members as (
    -- The cases (child, worker) behind an average caseload, or the children behind a share, of the month end.
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        child_key,
        item_key,
        start_date,
        due_date,
        completed_date,
        status,
        in_denominator,
        in_numerator,
        service_code,
        team_id,
        worker_key,
        attribution_basis
    from {{ ref('fct_caseload_kpi_members') }}
    where measure_window = 'month_end'
),

finance_members as (
    -- The commitments behind the company placement figures (item_key = the commitment's pseudonym).
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        snapshot_date,
        child_key,
        item_key,
        cast(null as date) as start_date,
        cast(null as date) as due_date,
        cast(null as date) as completed_date,
        cast(null as varchar) as status,
        in_denominator,
        in_numerator,
        cast(null as varchar) as service_code,
        cast(null as varchar) as team_id,
        cast(null as varchar) as worker_key,
        cast(null as varchar) as attribution_basis
    from {{ ref('fct_finance_kpi_members') }}
),

members as (
    select * from placement_members
    union all
    select * from compliance_members
    union all
    select * from workforce_members
    union all
    select * from caseload_members
    union all
    select * from finance_members
),

final as (
    select
        cast(members.kpi_id as varchar) as kpi_id,
        cast(members.period_end as date) as period_end,
        cast(members.la_code as varchar) as la_code,
        cast(members.child_key as varchar) as child_key,
        cast(members.in_numerator as boolean) as in_numerator,
        cast(members.in_denominator as boolean) as in_denominator,
        cast(members.measure_window as varchar) as measure_window,
        cast(members.snapshot_date as date) as snapshot_date,
        cast(members.item_key as varchar) as item_key,
        cast(members.start_date as date) as start_date,
        cast(members.due_date as date) as due_date,
        cast(members.completed_date as date) as completed_date,
        cast(members.status as varchar) as status,
        cast(members.service_code as varchar) as service_code,
        cast(members.team_id as varchar) as team_id,
        cast(members.worker_key as varchar) as worker_key,
        cast(members.attribution_basis as varchar) as attribution_basis
    from members
    inner join published
        on
            members.la_code = published.la_code
            and members.kpi_id = published.kpi_id
            and members.period_end = published.period_end
)

select * from final
