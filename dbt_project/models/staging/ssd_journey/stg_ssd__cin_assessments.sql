-- ssd_cin_assessments (input contract §2.3; the alternative to CIN Assessments, and the source of assessment type,
-- team and worker) as they stood at the period end: full refresh inside the window; an assessment is covered while
-- unauthorised or when authorised inside the delivery's window. The extension type is staged as delivered (the
-- contract's default CF is applied in int_assessments_conformed).
with

source as (
    select * from {{ source('landing', 'ssd_cin_assessments') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['cina_assessment_id'], 'ssd_cin_assessments',
        'landed.cina_assessment_auth_date'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cina_assessment_id as varchar) as assessment_id,
        cast(cina_person_id as varchar) as child_id,
        cast(cina_referral_id as varchar) as referral_id,
        cast(cina_assessment_start_date as date) as assessment_start_date,
        cast(cina_assessment_child_seen as boolean) as is_child_seen,
        cast(cina_assessment_auth_date as date) as assessment_authorisation_date,
        cast(cina_assessment_outcome_json as varchar) as assessment_outcome_json,
        cast(cina_assessment_outcome_nfa as boolean) as is_outcome_nfa,
        cast(cina_assessment_team as varchar) as team_id,
        cast(cina_assessment_worker_id as varchar) as worker_id,
        cast(local_assessment_type as varchar) as assessment_type,
        cast(local_internal_review_date as date) as assessment_internal_review_date,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
