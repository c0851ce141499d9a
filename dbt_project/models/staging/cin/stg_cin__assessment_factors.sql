-- CIN census factors identified at assessment (cs_assessment_factor), one row per assessment and factor code. The
-- factors of an assessment are a set: the set of the latest collection year that holds any factor for the
-- assessment wins (keyed on assessment_key), so a factor removed in a later year is not carried over.
with

source as (
    select * from {{ source('landing', 'cin_factor') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['assessment_key'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(assessment_key as varchar) as assessment_key,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(assessmentfactors as varchar) as factor_code,
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
