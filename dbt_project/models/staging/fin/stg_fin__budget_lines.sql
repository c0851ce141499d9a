-- fin_budget (input contract §4.2): the budget lines authoritative at the period end (finance window rule), of the
-- version in force: per organisation and financial year the REVISED budget when one has been delivered, else the
-- ORIGINAL. An annual line (null period) is kept as delivered; int_fin_budget_phased spreads it over the months.
with

source as (
    select * from {{ source('landing', 'fin_budget') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['fy', 'budget_version', 'cost_centre', 'subjective_code', 'period'], 'fin_budget',
        fy_start_year('landed.fy')
    ) }}
),

versioned as (
    select
        *,
        max(case when budget_version = 'REVISED' then 1 else 0 end) over (partition by la_code, fy) as has_revised
    from authoritative
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(fy as varchar) as fy,
        cast(budget_version as varchar) as budget_version,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        upper(trim(cast(subjective_code as varchar))) as subjective_code,
        cast(period as varchar) as period,
        cast(budget_gbp as numeric(14, 2)) as budget_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from versioned
    where budget_version = case when has_revised = 1 then 'REVISED' else 'ORIGINAL' end
)

select * from final
