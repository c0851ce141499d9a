-- ssd_involvements (input contract §2.2) as they stood at the period end (full refresh inside the window,
-- macros/landing/authoritative_event_rows.sql; an allocation's record date is its end date, null while open).
-- The role is a contract code or a local value mapped through ref_local_code_map on the allocation's start date.
with

source as (
    select * from {{ source('landing', 'ssd_involvements') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['invo_involvements_id'], 'ssd_involvements', 'invo_involvement_end_date') }}
),

renamed as (
    select
        cast(authoritative.la_code as varchar) as la_code,
        cast(authoritative.invo_involvements_id as varchar) as allocation_id,
        cast(authoritative.invo_person_id as varchar) as child_id,
        cast(authoritative.invo_professional_id as varchar) as worker_id,
        cast(
            {{ mapped_code('authoritative.invo_professional_role_id', 'role_map', casework_codes('involvement_role')) }}
            as varchar
        ) as role_code,
        cast(authoritative.invo_professional_role_id as varchar) as role_code_delivered,
        cast(authoritative.invo_professional_team as varchar) as team_id,
        cast(authoritative.invo_involvement_start_date as date) as start_date,
        cast(authoritative.invo_involvement_end_date as date) as end_date,
        cast(authoritative.invo_worker_change_reason as varchar) as worker_change_reason,
        cast(authoritative.invo_referral_id as varchar) as referral_id,
        cast(authoritative.reporting_month as varchar) as reporting_month,
        cast(authoritative.load_id as varchar) as load_id,
        cast(authoritative.source_file as varchar) as source_file,
        cast(authoritative.source_row as integer) as source_row
    from authoritative
    {{ local_code_map_join('role_map', 'ssd_involvements', 'invo_professional_role_id', 'authoritative',
        'authoritative.invo_professional_role_id', 'authoritative.invo_involvement_start_date') }}
),

final as (
    select * from renamed
)

select * from final
