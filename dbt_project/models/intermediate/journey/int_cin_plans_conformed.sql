-- cs_cin_plan (input contract §7, §2.3): CIN census CINPlanDates primary, ssd_cin_plans the alternative, matched
-- one-to-one on (child, start date); the SSD plan supplies team, worker and step-down. Rules in the YAML.
with

cin as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, cin_plan_start_date order by cin_plan_key
        ) as match_ordinal
    from {{ ref('stg_cin__cin_plans') }}
),

ssd as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, cin_plan_start_date order by cin_plan_id
        ) as match_ordinal
    from {{ ref('stg_ssd__cin_plans') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

paired as (
    select
        coalesce(cin.la_code, ssd.la_code) as la_code,
        coalesce(cin.child_id, ssd.child_id) as child_id,
        coalesce(cin.cin_plan_start_date, ssd.cin_plan_start_date) as cin_plan_start_date,
        cin.cin_plan_key,
        ssd.cin_plan_id as ssd_cin_plan_id,
        cin.cin_details_key,
        ssd.referral_id as ssd_referral_id,
        cin.cin_plan_end_date as cin_end_date,
        ssd.cin_plan_end_date as ssd_end_date,
        ssd.team_id,
        ssd.worker_id,
        ssd.step_down_to,
        cin.cin_plan_key is not null and ssd.cin_plan_id is not null as is_matched,
        case
            when cin.cin_plan_end_date != ssd.cin_plan_end_date then 1
            when (cin.cin_plan_end_date is null) != (ssd.cin_plan_end_date is null) then 1
            else 0
        end as matched_disagreements
    from cin
    full outer join ssd
        on
            cin.la_code = ssd.la_code
            and cin.child_id = ssd.child_id
            and cin.cin_plan_start_date = ssd.cin_plan_start_date
            and cin.match_ordinal = ssd.match_ordinal
),

chosen as (
    select
        paired.*,
        sources.cin_plan_source as primary_source
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.cin_plan_source = 'CIN' and paired.cin_plan_key is not null)
        or (sources.cin_plan_source = 'SSD' and paired.ssd_cin_plan_id is not null)
),

final as (
    select
        chosen.la_code,
        case chosen.primary_source when 'CIN' then chosen.cin_plan_key else chosen.ssd_cin_plan_id end
            as cin_plan_id,
        case chosen.primary_source
            when 'CIN' then coalesce(referral_by_census.referral_id, referral_by_ssd.referral_id)
            else coalesce(referral_by_ssd.referral_id, referral_by_census.referral_id)
        end as referral_id,
        chosen.child_id,
        chosen.cin_plan_start_date,
        case chosen.primary_source when 'CIN' then chosen.cin_end_date else chosen.ssd_end_date end
            as cin_plan_end_date,
        chosen.team_id,
        chosen.worker_id,
        chosen.step_down_to,
        chosen.cin_plan_key,
        chosen.ssd_cin_plan_id,
        chosen.primary_source,
        chosen.is_matched as has_alternative_match,
        cast(case when chosen.is_matched then chosen.matched_disagreements else 0 end as integer)
            as source_disagreement_count,
        coalesce(chosen.is_matched and chosen.matched_disagreements > 0, false) as has_source_disagreement
    from chosen
    left join referrals as referral_by_census
        on chosen.la_code = referral_by_census.la_code and chosen.cin_details_key = referral_by_census.cin_details_key
    left join referrals as referral_by_ssd
        on chosen.la_code = referral_by_ssd.la_code and chosen.ssd_referral_id = referral_by_ssd.ssd_referral_id
)

select * from final
