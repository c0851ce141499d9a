-- cs_strategy_discussion (input contract §3, §7): local_strategy_discussions is the only source. The delivered
-- referral id is the case system's (SSD) id: it is resolved to the conformed referral, and the S47 enquiries that
-- name the discussion (ssd_s47_enquiry.local_strategy_id) are counted.
with

discussions as (
    select * from {{ ref('stg_local__strategy_discussions') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

enquiries as (
    select
        la_code,
        strategy_id,
        min(s47_id) as s47_id,
        count(*) as s47_count
    from {{ ref('int_section47_conformed') }}
    where strategy_id is not null
    group by la_code, strategy_id
),

final as (
    select
        discussions.la_code,
        discussions.strategy_id,
        referrals.referral_id,
        discussions.child_id,
        discussions.strategy_date,
        discussions.is_police_present,
        discussions.is_health_present,
        discussions.is_education_present,
        discussions.is_social_worker_present,
        discussions.outcome,
        enquiries.s47_id,
        cast(coalesce(enquiries.s47_count, 0) as integer) as s47_count,
        discussions.referral_id as ssd_referral_id
    from discussions
    left join referrals
        on discussions.la_code = referrals.la_code and discussions.referral_id = referrals.ssd_referral_id
    left join enquiries
        on discussions.la_code = enquiries.la_code and discussions.strategy_id = enquiries.strategy_id
)

select * from final
