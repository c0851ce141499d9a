-- cs_contact (input contract §2.3, §7; kpi-catalogue b01, p_step_ups_from_eh): contacts at the front door with
-- their decision outcome and step-up flag. Rules, in order:
--   decision_outcome   local_decision_outcome when given; else derived from cont_contact_outcome_json, the first
--                      flag set to Y of NEW_REFERRAL -> REF_CSC, EXISTING_REFERRAL -> ALREADY_OPEN,
--                      ADVICE -> INFO_ADVICE, NFA -> NFA (most escalated first, when several are Y); else null.
--   is_duplicate       decision_outcome = DUPLICATE: merged into another contact, excluded from b01.
--   stepped_up_from_eh local_stepped_up_from_eh when given; else the contract's default: Y when the referral source
--                      is 5D (early help) or the child had an early-help episode open on the contact day (start on or
--                      before it, and not ended before it: an episode closed on the day of the step-up counts).
-- The contact day is the Europe/London calendar date of the received timestamp (landed in UTC).
with

contacts as (
    select * from {{ ref('stg_ssd__contacts') }}
),

early_help as (
    select * from {{ ref('stg_ssd__early_help_episodes') }}
),

outcomes_read as (
    select
        *,
        {{ local_date('contact_received_at') }} as contact_received_date,
        case
            when upper({{ json_text_value('outcome_json', "'NEW_REFERRAL_FLAG'") }}) in ('Y', 'YES', 'TRUE', '1')
                then 'REF_CSC'
            when upper({{ json_text_value('outcome_json', "'EXISTING_REFERRAL_FLAG'") }}) in ('Y', 'YES', 'TRUE', '1')
                then 'ALREADY_OPEN'
            when upper({{ json_text_value('outcome_json', "'ADVICE_FLAG'") }}) in ('Y', 'YES', 'TRUE', '1')
                then 'INFO_ADVICE'
            when upper({{ json_text_value('outcome_json', "'NFA_FLAG'") }}) in ('Y', 'YES', 'TRUE', '1')
                then 'NFA'
        end as outcome_from_json
    from contacts
),

early_help_on_contact_day as (
    select distinct
        outcomes_read.la_code,
        outcomes_read.contact_id
    from outcomes_read
    inner join early_help
        on
            outcomes_read.la_code = early_help.la_code
            and outcomes_read.child_id = early_help.child_id
            and outcomes_read.contact_received_date >= early_help.episode_start_date
            and (
                early_help.episode_end_date is null
                or outcomes_read.contact_received_date <= early_help.episode_end_date
            )
),

final as (
    select
        outcomes_read.la_code,
        outcomes_read.contact_id,
        outcomes_read.child_id,
        outcomes_read.contact_received_at,
        outcomes_read.contact_received_date,
        outcomes_read.referral_source,
        outcomes_read.decision_at,
        coalesce(outcomes_read.decision_outcome_delivered, outcomes_read.outcome_from_json) as decision_outcome,
        case
            when outcomes_read.decision_outcome_delivered is not null then 'LOCAL'
            when outcomes_read.outcome_from_json is not null then 'OUTCOME_JSON'
        end as decision_outcome_source,
        coalesce(outcomes_read.decision_outcome_delivered = 'DUPLICATE', false) as is_duplicate,
        coalesce(
            outcomes_read.stepped_up_from_eh_delivered,
            coalesce(outcomes_read.referral_source = '5D', false) or early_help_on_contact_day.contact_id is not null
        ) as stepped_up_from_eh,
        outcomes_read.stepped_up_from_eh_delivered is null as is_stepped_up_from_eh_defaulted,
        outcomes_read.team_id,
        outcomes_read.referral_id,
        outcomes_read.load_id
    from outcomes_read
    left join early_help_on_contact_day
        on
            outcomes_read.la_code = early_help_on_contact_day.la_code
            and outcomes_read.contact_id = early_help_on_contact_day.contact_id
)

select * from final
