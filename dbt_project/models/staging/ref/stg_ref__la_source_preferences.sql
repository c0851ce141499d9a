-- Per organisation, the source an LA asks to be primary for each conformed journey entity (ref_la_profile
-- .source_preference, input contract §5 and §7, e.g. {"cs_assessment":"ssd"}), as it stood at the period end. Only
-- the JSON is read here; 'cin' or 'ssd' (any case) are the recognised values, anything else is null (= the
-- contract's default precedence, applied in the intermediate models). The manifest's source_preference (§0.3) is
-- not landed and so not read.
with

source as (
    select * from {{ source('landing', 'ref_la_profile') }}
),

deliveries_ranked as (
    -- A reference file is a full snapshot: per organisation the latest monthly delivery up to the period end wins;
    -- an LA-level delivery (inbound/<la>/ref/, null reporting month) applies when no monthly one was received.
    select
        *,
        row_number() over (
            partition by la_code
            order by coalesce(reporting_month, '0000-00') desc, load_id desc, source_row asc
        ) as delivery_rank
    from source
    where reporting_month is null or reporting_month <= {{ as_of_month() }}
),

preferences_read as (
    -- The delivered value for each entity, trimmed and lower-cased.
    select
        *,
        lower(trim({{ json_text_value('source_preference', "'cs_referral'") }})) as referral_preference,
        lower(trim({{ json_text_value('source_preference', "'cs_assessment'") }})) as assessment_preference,
        lower(trim({{ json_text_value('source_preference', "'cs_section47'") }})) as section47_preference,
        lower(trim({{ json_text_value('source_preference', "'cs_cp_plan'") }})) as cp_plan_preference,
        lower(trim({{ json_text_value('source_preference', "'cs_cin_plan'") }})) as cin_plan_preference,
        delivery_rank = 1 as is_latest_delivery
    from deliveries_ranked
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(case referral_preference when 'cin' then 'CIN' when 'ssd' then 'SSD' end as varchar) as referral_source,
        cast(
            case assessment_preference when 'cin' then 'CIN' when 'ssd' then 'SSD' end as varchar
        ) as assessment_source,
        cast(
            case section47_preference when 'cin' then 'CIN' when 'ssd' then 'SSD' end as varchar
        ) as section47_source,
        cast(case cp_plan_preference when 'cin' then 'CIN' when 'ssd' then 'SSD' end as varchar) as cp_plan_source,
        cast(
            case cin_plan_preference when 'cin' then 'CIN' when 'ssd' then 'SSD' end as varchar
        ) as cin_plan_source,
        cast(source_preference as varchar) as source_preference_json,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from preferences_read
    where is_latest_delivery
),

final as (
    select * from renamed
)

select * from final
