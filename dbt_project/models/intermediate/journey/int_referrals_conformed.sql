-- cs_referral (input contract §7): CIN census CINdetails primary, ssd_cin_episodes the alternative, matched on
-- (child, referral date) - the n-th referral of a child on a date in each source pairs with the n-th of the other,
-- so matching is one-to-one. Core fields come from the organisation's primary source (int_journey_sources_chosen),
-- team and worker from the SSD episode; disagreements between matched rows are counted. Rules in the YAML.
with

cin as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, referral_date order by cin_details_key
        ) as match_ordinal
    from {{ ref('stg_cin__referrals') }}
),

ssd as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, referral_date order by referral_id
        ) as match_ordinal
    from {{ ref('stg_ssd__cin_episodes') }}
),

contacts as (
    -- The contact that created the referral (ssd_contacts.local_referral_id); the first received if several.
    select
        la_code,
        referral_id,
        contact_id,
        row_number() over (
            partition by la_code, referral_id order by contact_received_at, contact_id
        ) as contact_rank
    from {{ ref('stg_ssd__contacts') }}
    where referral_id is not null
),

paired as (
    select
        coalesce(cin.la_code, ssd.la_code) as la_code,
        coalesce(cin.child_id, ssd.child_id) as child_id,
        coalesce(cin.referral_date, ssd.referral_date) as referral_date,
        cin.cin_details_key,
        ssd.referral_id as ssd_referral_id,
        cin.referral_source as cin_referral_source,
        ssd.referral_source as ssd_referral_source,
        cin.primary_need_code as cin_primary_need_code,
        ssd.primary_need_code as ssd_primary_need_code,
        cin.is_referral_nfa as cin_is_referral_nfa,
        ssd.is_referral_nfa as ssd_is_referral_nfa,
        cin.closure_date as cin_closure_date,
        ssd.closure_date as ssd_closure_date,
        cin.reason_for_closure as cin_reason_for_closure,
        ssd.reason_for_closure as ssd_reason_for_closure,
        cin.initial_cpc_date,
        ssd.team_id,
        ssd.worker_id,
        cin.cin_details_key is not null and ssd.referral_id is not null as is_matched,
        -- Fields both sources supplied and that differ; an open/closed difference counts for the closure date.
        (
            case
                when cin.referral_source != ssd.referral_source then 1 else 0
            end
            + case when cin.primary_need_code != ssd.primary_need_code then 1 else 0 end
            + case when cin.is_referral_nfa != ssd.is_referral_nfa then 1 else 0 end
            + case when cin.reason_for_closure != ssd.reason_for_closure then 1 else 0 end
            + case
                when cin.closure_date != ssd.closure_date then 1
                when (cin.closure_date is null) != (ssd.closure_date is null) then 1
                else 0
            end
        ) as matched_disagreements
    from cin
    full outer join ssd
        on
            cin.la_code = ssd.la_code
            and cin.child_id = ssd.child_id
            and cin.referral_date = ssd.referral_date
            and cin.match_ordinal = ssd.match_ordinal
),

chosen as (
    select
        paired.*,
        sources.referral_source as primary_source
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.referral_source = 'CIN' and paired.cin_details_key is not null)
        or (sources.referral_source = 'SSD' and paired.ssd_referral_id is not null)
),

final as (
    select
        chosen.la_code,
        case chosen.primary_source when 'CIN' then chosen.cin_details_key else chosen.ssd_referral_id end
            as referral_id,
        chosen.child_id,
        chosen.referral_date,
        case chosen.primary_source when 'CIN' then chosen.cin_referral_source else chosen.ssd_referral_source end
            as referral_source,
        case chosen.primary_source
            when 'CIN' then chosen.cin_primary_need_code else chosen.ssd_primary_need_code
        end as primary_need_code,
        case chosen.primary_source when 'CIN' then chosen.cin_is_referral_nfa else chosen.ssd_is_referral_nfa end
            as is_referral_nfa,
        case chosen.primary_source when 'CIN' then chosen.cin_closure_date else chosen.ssd_closure_date end
            as closure_date,
        case chosen.primary_source
            when 'CIN' then chosen.cin_reason_for_closure else chosen.ssd_reason_for_closure
        end as reason_for_closure,
        chosen.initial_cpc_date,
        chosen.team_id,
        chosen.worker_id,
        contacts.contact_id,
        chosen.cin_details_key,
        chosen.ssd_referral_id,
        chosen.primary_source,
        chosen.is_matched as has_alternative_match,
        cast(case when chosen.is_matched then chosen.matched_disagreements else 0 end as integer)
            as source_disagreement_count,
        coalesce(chosen.is_matched and chosen.matched_disagreements > 0, false) as has_source_disagreement
    from chosen
    left join contacts
        on
            chosen.la_code = contacts.la_code
            and chosen.ssd_referral_id = contacts.referral_id
            and contacts.contact_rank = 1
)

select * from final
