-- ssd_assessment_factors (input contract §2.3; cs_assessment_factor) as they stood at the period end, one row per
-- delivered row with its JSON list kept as text (read into codes in int_assessment_factors_conformed). The rows
-- carry no date, so a row is dated by its assessment's authorisation date in the same delivery (full refresh
-- inside the window: factors of an assessment authorised before a later delivery's window are kept from the last
-- delivery that covered them; factors of an open or unknown assessment are covered by every delivery).
with

source as (
    select * from {{ source('landing', 'ssd_assessment_factors') }}
),

assessments as (
    select * from {{ source('landing', 'ssd_cin_assessments') }}
),

assessment_dates as (
    -- One row per assessment and delivery; an assessment still open in that delivery has no authorisation date.
    select
        la_code,
        reporting_month,
        cina_assessment_id,
        case
            when count(*) = count(cina_assessment_auth_date) then max(cina_assessment_auth_date)
        end as assessment_authorisation_date
    from assessments
    group by la_code, reporting_month, cina_assessment_id
),

dated as (
    select
        source.*,
        assessment_dates.assessment_authorisation_date
    from source
    left join assessment_dates
        on
            source.la_code = assessment_dates.la_code
            and source.reporting_month = assessment_dates.reporting_month
            and source.cinf_assessment_id = assessment_dates.cina_assessment_id
),

authoritative as (
    {{ authoritative_event_rows('dated', ['cinf_table_id'], 'ssd_assessment_factors',
        'landed.assessment_authorisation_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cinf_table_id as varchar) as factor_row_id,
        cast(cinf_assessment_id as varchar) as assessment_id,
        cast(cinf_assessment_factors_json as varchar) as assessment_factors_json,
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
