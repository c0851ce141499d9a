-- cs_assessment (input contract §7, §1.2.6, §2.3): CIN census Assessments primary, ssd_cin_assessments the
-- alternative, matched one-to-one on (child, start date). Even when the census is primary the SSD row supplies the
-- assessment type, team and worker. Without an SSD type the type is derived from the census child (§1.2.6):
-- PREBIRTH when the assessment started before the date of birth, or when only an expected date of birth is known;
-- CF otherwise. Rules in the YAML.
with

cin as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, assessment_start_date order by assessment_key
        ) as match_ordinal
    from {{ ref('stg_cin__assessments') }}
),

ssd as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, assessment_start_date order by assessment_id
        ) as match_ordinal
    from {{ ref('stg_ssd__cin_assessments') }}
),

children as (
    select * from {{ ref('stg_cin__children') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

paired as (
    select
        coalesce(cin.la_code, ssd.la_code) as la_code,
        coalesce(cin.child_id, ssd.child_id) as child_id,
        coalesce(cin.assessment_start_date, ssd.assessment_start_date) as assessment_start_date,
        cin.assessment_key,
        ssd.assessment_id as ssd_assessment_id,
        cin.cin_details_key,
        ssd.referral_id as ssd_referral_id,
        cin.assessment_internal_review_date as cin_internal_review_date,
        ssd.assessment_internal_review_date as ssd_internal_review_date,
        cin.assessment_authorisation_date as cin_authorisation_date,
        ssd.assessment_authorisation_date as ssd_authorisation_date,
        ssd.assessment_type as ssd_assessment_type,
        ssd.is_child_seen,
        ssd.is_outcome_nfa,
        ssd.team_id,
        ssd.worker_id,
        cin.assessment_key is not null and ssd.assessment_id is not null as is_matched,
        (
            case
                when cin.assessment_authorisation_date != ssd.assessment_authorisation_date then 1
                when (cin.assessment_authorisation_date is null) != (ssd.assessment_authorisation_date is null) then 1
                else 0
            end
            + case
                when cin.assessment_internal_review_date != ssd.assessment_internal_review_date then 1 else 0
            end
        ) as matched_disagreements
    from cin
    full outer join ssd
        on
            cin.la_code = ssd.la_code
            and cin.child_id = ssd.child_id
            and cin.assessment_start_date = ssd.assessment_start_date
            and cin.match_ordinal = ssd.match_ordinal
),

chosen as (
    select
        paired.*,
        sources.assessment_source as primary_source
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.assessment_source = 'CIN' and paired.assessment_key is not null)
        or (sources.assessment_source = 'SSD' and paired.ssd_assessment_id is not null)
),

final as (
    select
        chosen.la_code,
        case chosen.primary_source when 'CIN' then chosen.assessment_key else chosen.ssd_assessment_id end
            as assessment_id,
        -- The conformed referral, found through the primary side's link first, else the alternative's.
        case chosen.primary_source
            when 'CIN' then coalesce(referral_by_census.referral_id, referral_by_ssd.referral_id)
            else coalesce(referral_by_ssd.referral_id, referral_by_census.referral_id)
        end as referral_id,
        chosen.child_id,
        cast(
            case
                when chosen.ssd_assessment_type is not null then chosen.ssd_assessment_type
                when chosen.assessment_start_date < children.date_of_birth then 'PREBIRTH'
                when children.date_of_birth is null and children.expected_date_of_birth is not null then 'PREBIRTH'
                else 'CF'
            end as varchar
        ) as assessment_type,
        cast(case when chosen.ssd_assessment_type is not null then 'SSD' else 'DERIVED' end as varchar)
            as assessment_type_source,
        chosen.assessment_start_date,
        case chosen.primary_source
            when 'CIN' then chosen.cin_internal_review_date else chosen.ssd_internal_review_date
        end as assessment_internal_review_date,
        case chosen.primary_source when 'CIN' then chosen.cin_authorisation_date else chosen.ssd_authorisation_date end
            as assessment_authorisation_date,
        chosen.is_child_seen,
        chosen.is_outcome_nfa,
        chosen.team_id,
        chosen.worker_id,
        chosen.assessment_key,
        chosen.ssd_assessment_id,
        chosen.primary_source,
        chosen.is_matched as has_alternative_match,
        cast(case when chosen.is_matched then chosen.matched_disagreements else 0 end as integer)
            as source_disagreement_count,
        coalesce(chosen.is_matched and chosen.matched_disagreements > 0, false) as has_source_disagreement
    from chosen
    left join children
        on chosen.la_code = children.la_code and chosen.child_id = children.child_id
    left join referrals as referral_by_census
        on chosen.la_code = referral_by_census.la_code and chosen.cin_details_key = referral_by_census.cin_details_key
    left join referrals as referral_by_ssd
        on chosen.la_code = referral_by_ssd.la_code and chosen.ssd_referral_id = referral_by_ssd.ssd_referral_id
)

select * from final
