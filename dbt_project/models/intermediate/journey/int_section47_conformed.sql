-- cs_section47 (input contract §7, §1.2.6, §2.3): CIN census Section47 primary, ssd_s47_enquiry the alternative,
-- matched one-to-one on (child, start date); the S47 supplies the strategy discussion link, end date, team and
-- worker. ssd_initial_cp_conference supplies transfer_in and, when SSD is primary, the ICPC target and date: the
-- conference of the matched SSD enquiry, else a conference of the same child held on the census ICPC date.
-- transfer_in defaults to false (is_transfer_in_defaulted) when no conference row says. Rules in the YAML.
with

cin as (
    select
        *,
        row_number() over (partition by la_code, child_id, s47_start_date order by s47_key) as match_ordinal
    from {{ ref('stg_cin__section47') }}
),

ssd as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, s47_start_date order by s47_enquiry_id
        ) as match_ordinal
    from {{ ref('stg_ssd__s47_enquiries') }}
),

conferences as (
    select * from {{ ref('stg_ssd__initial_cp_conferences') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

paired as (
    select
        coalesce(cin.la_code, ssd.la_code) as la_code,
        coalesce(cin.child_id, ssd.child_id) as child_id,
        coalesce(cin.s47_start_date, ssd.s47_start_date) as s47_start_date,
        cin.s47_key,
        ssd.s47_enquiry_id as ssd_s47_enquiry_id,
        cin.cin_details_key,
        ssd.referral_id as ssd_referral_id,
        cin.initial_cpc_target_date as cin_initial_cpc_target_date,
        cin.initial_cpc_date as cin_initial_cpc_date,
        cin.is_icpc_not_required,
        ssd.s47_end_date,
        ssd.strategy_id,
        ssd.team_id,
        ssd.worker_id,
        cin.s47_key is not null and ssd.s47_enquiry_id is not null as is_matched
    from cin
    full outer join ssd
        on
            cin.la_code = ssd.la_code
            and cin.child_id = ssd.child_id
            and cin.s47_start_date = ssd.s47_start_date
            and cin.match_ordinal = ssd.match_ordinal
),

chosen as (
    select
        paired.*,
        sources.section47_source as primary_source
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.section47_source = 'CIN' and paired.s47_key is not null)
        or (sources.section47_source = 'SSD' and paired.ssd_s47_enquiry_id is not null)
),

conference_candidates as (
    -- Each enquiry's conference: through the SSD enquiry id (rank 0), else the same child's conference held on the
    -- census ICPC date (rank 1); one per enquiry, the earliest held.
    select
        chosen.la_code,
        coalesce(chosen.s47_key, chosen.ssd_s47_enquiry_id) as pair_key,
        conferences.icpc_id,
        conferences.is_transfer_in,
        conferences.icpc_target_date,
        conferences.icpc_date,
        row_number() over (
            partition by chosen.la_code, coalesce(chosen.s47_key, chosen.ssd_s47_enquiry_id)
            order by
                case when conferences.s47_enquiry_id = chosen.ssd_s47_enquiry_id then 0 else 1 end,
                conferences.icpc_date,
                conferences.icpc_id
        ) as conference_rank
    from chosen
    inner join conferences
        on
            chosen.la_code = conferences.la_code
            and (
                chosen.ssd_s47_enquiry_id = conferences.s47_enquiry_id
                or (chosen.child_id = conferences.child_id and chosen.cin_initial_cpc_date = conferences.icpc_date)
            )
),

final as (
    select
        chosen.la_code,
        case chosen.primary_source when 'CIN' then chosen.s47_key else chosen.ssd_s47_enquiry_id end as s47_id,
        case chosen.primary_source
            when 'CIN' then coalesce(referral_by_census.referral_id, referral_by_ssd.referral_id)
            else coalesce(referral_by_ssd.referral_id, referral_by_census.referral_id)
        end as referral_id,
        chosen.child_id,
        chosen.strategy_id,
        chosen.s47_start_date,
        chosen.s47_end_date,
        case chosen.primary_source
            when 'CIN' then chosen.cin_initial_cpc_target_date else conference.icpc_target_date
        end as initial_cpc_target_date,
        case chosen.primary_source when 'CIN' then chosen.cin_initial_cpc_date else conference.icpc_date end
            as initial_cpc_date,
        chosen.is_icpc_not_required,
        coalesce(conference.is_transfer_in, false) as is_transfer_in,
        conference.is_transfer_in is null as is_transfer_in_defaulted,
        conference.icpc_id,
        chosen.team_id,
        chosen.worker_id,
        chosen.s47_key,
        chosen.ssd_s47_enquiry_id,
        chosen.primary_source,
        chosen.is_matched as has_alternative_match,
        -- The only core field both sides can hold is the conference date (census vs the conference row).
        cast(
            case
                when chosen.is_matched and chosen.cin_initial_cpc_date != conference.icpc_date then 1 else 0
            end as integer
        ) as source_disagreement_count,
        coalesce(chosen.is_matched and chosen.cin_initial_cpc_date != conference.icpc_date, false)
            as has_source_disagreement
    from chosen
    left join conference_candidates as conference
        on
            chosen.la_code = conference.la_code
            and coalesce(chosen.s47_key, chosen.ssd_s47_enquiry_id) = conference.pair_key
            and conference.conference_rank = 1
    left join referrals as referral_by_census
        on chosen.la_code = referral_by_census.la_code and chosen.cin_details_key = referral_by_census.cin_details_key
    left join referrals as referral_by_ssd
        on chosen.la_code = referral_by_ssd.la_code and chosen.ssd_referral_id = referral_by_ssd.ssd_referral_id
)

select * from final
