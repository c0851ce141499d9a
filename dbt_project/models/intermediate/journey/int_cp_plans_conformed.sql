-- cs_cp_plan (input contract §7, §2.3): CIN census ChildProtectionPlans primary, ssd_cp_plans the alternative,
-- matched one-to-one on (child, start date). The SSD plan supplies the end reason, the other-LA flag (default
-- false, flagged) and the ICPC link; the previous-plan count and categories come from the primary source. Rules in
-- the YAML.
with

cin as (
    select
        *,
        row_number() over (partition by la_code, child_id, cp_plan_start_date order by cpp_key) as match_ordinal
    from {{ ref('stg_cin__cp_plans') }}
),

ssd as (
    select
        *,
        row_number() over (partition by la_code, child_id, cp_plan_start_date order by cp_plan_id) as match_ordinal
    from {{ ref('stg_ssd__cp_plans') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

paired as (
    select
        coalesce(cin.la_code, ssd.la_code) as la_code,
        coalesce(cin.child_id, ssd.child_id) as child_id,
        coalesce(cin.cp_plan_start_date, ssd.cp_plan_start_date) as cp_plan_start_date,
        cin.cpp_key,
        ssd.cp_plan_id as ssd_cp_plan_id,
        cin.cin_details_key,
        ssd.referral_id as ssd_referral_id,
        cin.cp_plan_end_date as cin_end_date,
        ssd.cp_plan_end_date as ssd_end_date,
        cin.initial_category_of_abuse as cin_initial_category,
        ssd.initial_category_of_abuse as ssd_initial_category,
        cin.latest_category_of_abuse as cin_latest_category,
        ssd.latest_category_of_abuse as ssd_latest_category,
        cin.number_of_previous_cp_plans as cin_previous_plans,
        ssd.number_of_previous_cp_plans as ssd_previous_plans,
        ssd.end_reason,
        ssd.is_other_la_plan,
        ssd.icpc_id,
        cin.cpp_key is not null and ssd.cp_plan_id is not null as is_matched,
        (
            case
                when cin.cp_plan_end_date != ssd.cp_plan_end_date then 1
                when (cin.cp_plan_end_date is null) != (ssd.cp_plan_end_date is null) then 1
                else 0
            end
            + case when cin.initial_category_of_abuse != ssd.initial_category_of_abuse then 1 else 0 end
            + case when cin.latest_category_of_abuse != ssd.latest_category_of_abuse then 1 else 0 end
            + case when cin.number_of_previous_cp_plans != ssd.number_of_previous_cp_plans then 1 else 0 end
        ) as matched_disagreements
    from cin
    full outer join ssd
        on
            cin.la_code = ssd.la_code
            and cin.child_id = ssd.child_id
            and cin.cp_plan_start_date = ssd.cp_plan_start_date
            and cin.match_ordinal = ssd.match_ordinal
),

chosen as (
    select
        paired.*,
        sources.cp_plan_source as primary_source
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.cp_plan_source = 'CIN' and paired.cpp_key is not null)
        or (sources.cp_plan_source = 'SSD' and paired.ssd_cp_plan_id is not null)
),

final as (
    select
        chosen.la_code,
        case chosen.primary_source when 'CIN' then chosen.cpp_key else chosen.ssd_cp_plan_id end as cp_plan_id,
        case chosen.primary_source
            when 'CIN' then coalesce(referral_by_census.referral_id, referral_by_ssd.referral_id)
            else coalesce(referral_by_ssd.referral_id, referral_by_census.referral_id)
        end as referral_id,
        chosen.child_id,
        chosen.cp_plan_start_date,
        case chosen.primary_source when 'CIN' then chosen.cin_end_date else chosen.ssd_end_date end
            as cp_plan_end_date,
        case chosen.primary_source when 'CIN' then chosen.cin_initial_category else chosen.ssd_initial_category end
            as initial_category_of_abuse,
        case chosen.primary_source when 'CIN' then chosen.cin_latest_category else chosen.ssd_latest_category end
            as latest_category_of_abuse,
        case chosen.primary_source when 'CIN' then chosen.cin_previous_plans else chosen.ssd_previous_plans end
            as number_of_previous_cp_plans,
        chosen.end_reason,
        coalesce(chosen.is_other_la_plan, false) as is_other_la_plan,
        chosen.is_other_la_plan is null as is_other_la_plan_defaulted,
        chosen.icpc_id,
        chosen.cpp_key,
        chosen.ssd_cp_plan_id,
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
