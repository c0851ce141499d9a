-- ssd_initial_cp_conference (input contract §2.3: transfer-in flag, ICPC date and target for cs_section47) as it
-- stood at the period end: full refresh inside the window; a conference is dated by when it was held, else by its
-- target date (a pending one with a future target is covered by every delivery).
with

source as (
    select * from {{ source('landing', 'ssd_initial_cp_conference') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['icpc_icpc_id'], 'ssd_initial_cp_conference',
        'coalesce(landed.icpc_icpc_date, landed.icpc_icpc_target_date)'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(icpc_icpc_id as varchar) as icpc_id,
        cast(icpc_s47_enquiry_id as varchar) as s47_enquiry_id,
        cast(icpc_person_id as varchar) as child_id,
        cast(icpc_referral_id as varchar) as referral_id,
        cast(icpc_cp_plan_id as varchar) as cp_plan_id,
        cast(icpc_icpc_transfer_in as boolean) as is_transfer_in,
        cast(icpc_icpc_target_date as date) as icpc_target_date,
        cast(icpc_icpc_date as date) as icpc_date,
        cast(icpc_icpc_outcome_cp_flag as boolean) as is_outcome_cp_plan,
        cast(icpc_icpc_outcome_json as varchar) as icpc_outcome_json,
        cast(icpc_icpc_team as varchar) as team_id,
        cast(icpc_icpc_worker_id as varchar) as worker_id,
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
