-- CIN census child protection plans (cs_cp_plan) as the authoritative census files stood at the period end; a plan
-- open across 1 April takes the later year's end date and latest category.
with

source as (
    select * from {{ source('landing', 'cin_cp_plan') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['cpp_key'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cpp_key as varchar) as cpp_key,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(cppstartdate as date) as cp_plan_start_date,
        cast(cppenddate as date) as cp_plan_end_date,
        cast(initialcategoryofabuse as varchar) as initial_category_of_abuse,
        cast(latestcategoryofabuse as varchar) as latest_category_of_abuse,
        cast(numberofpreviouscpp as integer) as number_of_previous_cp_plans,
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
