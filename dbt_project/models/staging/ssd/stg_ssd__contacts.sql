-- ssd_contacts with the contract's extension columns (input contract §2.3) as they stood at the period end (full
-- refresh inside the window, macros/landing/authoritative_event_rows.sql; a contact's record date is the day it
-- was received). Timestamps stay in UTC as landed; the outcome JSON is kept as delivered (read in
-- int_contacts_conformed). The source's free-text description is not staged.
with

source as (
    select * from {{ source('landing', 'ssd_contacts') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['cont_contact_id'], 'ssd_contacts', 'cast(cont_contact_date as date)') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cont_contact_id as varchar) as contact_id,
        cast(cont_person_id as varchar) as child_id,
        cont_contact_date as contact_received_at,
        cast(cont_contact_source_code as varchar) as referral_source,
        cast(cont_contact_outcome_json as varchar) as outcome_json,
        local_decision_datetime as decision_at,
        cast(local_decision_outcome as varchar) as decision_outcome_delivered,
        cast(local_team_id as varchar) as team_id,
        cast(local_stepped_up_from_eh as boolean) as stepped_up_from_eh_delivered,
        cast(local_referral_id as varchar) as referral_id,
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
