-- CIN census CIN plans (CINPlanDates, from 2021-22; cs_cin_plan) as the authoritative census files stood at the
-- period end; a plan open across 1 April takes the later year's end date.
with

source as (
    select * from {{ source('landing', 'cin_plan_dates') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['cin_plan_key'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cin_plan_key as varchar) as cin_plan_key,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(cinplanstartdate as date) as cin_plan_start_date,
        cast(cinplanenddate as date) as cin_plan_end_date,
        cast(reporting_month as varchar) as reporting_month,
        cast(collection_year as varchar) as collection_year,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
