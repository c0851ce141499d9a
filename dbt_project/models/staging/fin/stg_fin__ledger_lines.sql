-- fin_ledger (input contract §4.2): the general-ledger lines authoritative at the period end. A finance delivery is
-- a full refresh of the current and previous financial year (macros/finance/authoritative_finance_rows.sql); the
-- line's financial year decides whether a later delivery covered it. The free-text description is dropped here
-- (§11); child_id stays in this restricted layer.
with

source as (
    select * from {{ source('landing', 'fin_ledger') }}
),

authoritative as (
    {{ authoritative_finance_rows('source', ['ledger_line_id'], 'fin_ledger', fy_start_year('landed.fy')) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(ledger_line_id as varchar) as ledger_line_id,
        cast(fy as varchar) as fy,
        cast(period as varchar) as period,
        cast(cast(period || '-01' as date) as date) as period_start,
        cast(fin_period as integer) as fin_period,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        upper(trim(cast(subjective_code as varchar))) as subjective_code,
        cast(amount_gbp as numeric(14, 2)) as amount_gbp,
        cast(line_type as varchar) as line_type,
        cast(supplier_id as varchar) as supplier_id,
        cast(child_id as varchar) as child_id,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
