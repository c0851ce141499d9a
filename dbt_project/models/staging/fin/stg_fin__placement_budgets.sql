-- fin_placement_budget (input contract §4.2): the budgeted FTE, weekly rate and annual total of each finance
-- placement type and financial year (the budget columns of the "demand-led service" table), authoritative at the
-- period end under the finance window rule.
with

source as (
    select * from {{ source('landing', 'fin_placement_budget') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['fy', 'finance_placement_type'], 'fin_placement_budget', fy_start_year('landed.fy')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(fy as varchar) as fy,
        cast(finance_placement_type as varchar) as finance_placement_type,
        cast(budget_fte as numeric(8, 2)) as budget_fte,
        cast(budget_weekly_rate_gbp as numeric(14, 2)) as budget_weekly_rate_gbp,
        cast(budget_total_gbp as numeric(14, 2)) as budget_total_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
