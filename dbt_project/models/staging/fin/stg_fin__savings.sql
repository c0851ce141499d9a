-- fin_savings_tracker (input contract §4.2, optional): savings required and delivered per financial year, saving
-- and month the position was stated, authoritative at the period end (finance window rule). The free-text
-- description is dropped (§11).
with

source as (
    select * from {{ source('landing', 'fin_savings_tracker') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['fy', 'saving_id', 'as_of_period'], 'fin_savings_tracker', fy_start_year('landed.fy')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(fy as varchar) as fy,
        cast(saving_id as varchar) as saving_id,
        cast(as_of_period as varchar) as as_of_period,
        cast(required_gbp as numeric(14, 2)) as required_gbp,
        cast(delivered_gbp as numeric(14, 2)) as delivered_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
