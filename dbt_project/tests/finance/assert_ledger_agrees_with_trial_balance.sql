-- Input contract X7, kpi-catalogue §5.8 gate 3: for every period a delivered fin_trial_balance covers, the ledger's
-- year-to-date sum by (cost centre, subjective) equals the trial balance within var fin_trial_balance_tolerance_gbp
-- (default £1,000). Blocking (error) when the trial balance is delivered; with none delivered there is nothing to
-- compare (the gate is skipped). Every ledger line counts, whatever its type (the contract sums fin_ledger).
-- Returns every (organisation, year, period, cost centre, subjective) that disagrees.
with

ledger as (
    select * from {{ ref('stg_fin__ledger_lines') }}
),

trial_balance as (
    select * from {{ ref('stg_fin__trial_balance_lines') }}
),

periods as (
    select distinct
        la_code,
        fy,
        period
    from trial_balance
),

ledger_ytd as (
    select
        periods.la_code,
        periods.fy,
        periods.period,
        ledger.cost_centre,
        ledger.subjective_code,
        sum(ledger.amount_gbp) as ledger_ytd_gbp
    from periods
    inner join ledger
        on
            periods.la_code = ledger.la_code
            and periods.fy = ledger.fy
            and periods.period >= ledger.period
    group by periods.la_code, periods.fy, periods.period, ledger.cost_centre, ledger.subjective_code
),

compared as (
    select
        coalesce(trial_balance.la_code, ledger_ytd.la_code) as la_code,
        coalesce(trial_balance.fy, ledger_ytd.fy) as fy,
        coalesce(trial_balance.period, ledger_ytd.period) as period,
        coalesce(trial_balance.cost_centre, ledger_ytd.cost_centre) as cost_centre,
        coalesce(trial_balance.subjective_code, ledger_ytd.subjective_code) as subjective_code,
        coalesce(ledger_ytd.ledger_ytd_gbp, 0) as ledger_ytd_gbp,
        coalesce(trial_balance.ytd_amount_gbp, 0) as trial_balance_ytd_gbp
    from trial_balance
    full outer join ledger_ytd
        on
            trial_balance.la_code = ledger_ytd.la_code
            and trial_balance.fy = ledger_ytd.fy
            and trial_balance.period = ledger_ytd.period
            and trial_balance.cost_centre = ledger_ytd.cost_centre
            and trial_balance.subjective_code = ledger_ytd.subjective_code
)

select * from compared
where abs(ledger_ytd_gbp - trial_balance_ytd_gbp) > {{ var('fin_trial_balance_tolerance_gbp') }}
