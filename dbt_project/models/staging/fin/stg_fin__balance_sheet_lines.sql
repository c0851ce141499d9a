-- fin_balance_sheet (input contract §4.2, optional): balance-sheet lines per date, authoritative at the period end
-- (finance window rule, the line's date deciding which deliveries covered it).
with

source as (
    select * from {{ source('landing', 'fin_balance_sheet') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['as_at_date', 'line'], 'fin_balance_sheet', date_fy_start_year('landed.as_at_date')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(as_at_date as date) as as_at_date,
        cast(line as varchar) as balance_sheet_line,
        cast(amount_gbp as numeric(14, 2)) as amount_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
