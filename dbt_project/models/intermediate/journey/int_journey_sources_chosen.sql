-- Per organisation, the primary source of each conformed journey entity (input contract §7, AM-1): the LA's own
-- choice in ref_la_profile.source_preference when it names 'cin' or 'ssd'; otherwise the CIN census when the LA has
-- delivered any census file, else the SSD alternative (an LA that sends SSD extracts instead of a CIN census).
with

census_organisations as (
    select distinct la_code from {{ ref('stg_cin__children') }}
),

preferences as (
    select * from {{ ref('stg_ref__la_source_preferences') }}
),

organisations as (
    select la_code from census_organisations
    union
    select la_code from preferences
    union
    select la_code from {{ ref('stg_ssd__cin_episodes') }}
    union
    select la_code from {{ ref('stg_ssd__cin_assessments') }}
    union
    select la_code from {{ ref('stg_ssd__s47_enquiries') }}
    union
    select la_code from {{ ref('stg_ssd__cp_plans') }}
    union
    select la_code from {{ ref('stg_ssd__cin_plans') }}
),

defaults as (
    select
        organisations.la_code,
        census_organisations.la_code is not null as has_cin_census,
        case when census_organisations.la_code is not null then 'CIN' else 'SSD' end as default_source
    from organisations
    left join census_organisations
        on organisations.la_code = census_organisations.la_code
),

final as (
    select
        defaults.la_code,
        cast(coalesce(preferences.referral_source, defaults.default_source) as varchar) as referral_source,
        preferences.referral_source is not null as is_referral_source_preferred,
        cast(coalesce(preferences.assessment_source, defaults.default_source) as varchar) as assessment_source,
        preferences.assessment_source is not null as is_assessment_source_preferred,
        cast(coalesce(preferences.section47_source, defaults.default_source) as varchar) as section47_source,
        preferences.section47_source is not null as is_section47_source_preferred,
        cast(coalesce(preferences.cp_plan_source, defaults.default_source) as varchar) as cp_plan_source,
        preferences.cp_plan_source is not null as is_cp_plan_source_preferred,
        cast(coalesce(preferences.cin_plan_source, defaults.default_source) as varchar) as cin_plan_source,
        preferences.cin_plan_source is not null as is_cin_plan_source_preferred,
        defaults.has_cin_census
    from defaults
    left join preferences
        on defaults.la_code = preferences.la_code
)

select * from final
