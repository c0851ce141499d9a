-- CIN census assessments (cs_assessment) as the authoritative census files stood at the period end. A census file
-- carries the assessments open in its year, so an assessment appears in every year it was open: the later year wins.
with

source as (
    select * from {{ source('landing', 'cin_assessment') }}
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
        cast(assessmentactualstartdate as date) as assessment_start_date,
        cast(assessmentinternalreviewdate as date) as assessment_internal_review_date,
        cast(assessmentauthorisationdate as date) as assessment_authorisation_date,
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
