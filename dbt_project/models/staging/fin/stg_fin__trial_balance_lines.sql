-- fin_trial_balance (input contract §4.2): year-to-date balances per (financial year, period, cost centre,
-- subjective), authoritative at the period end under the finance window rule. Read by the trial-balance
-- reconciliation (catalogue §5.8 gate 3, input contract X7).
with

source as (
    select * from {{ source('landing', 'fin_trial_balance') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['fy', 'period', 'cost_centre', 'subjective_code'], 'fin_trial_balance', fy_start_year('landed.fy')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(fy as varchar) as fy,
        cast(period as varchar) as period,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        upper(trim(cast(subjective_code as varchar))) as subjective_code,
        cast(ytd_amount_gbp as numeric(14, 2)) as ytd_amount_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
