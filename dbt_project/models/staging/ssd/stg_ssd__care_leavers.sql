-- ssd_care_leavers (input contract §2.4), a snapshot table at the as-at date: one snapshot of the care leavers per
-- delivery up to the period end. Eligibility is a contract code, one of the SSD texts the contract accepts
-- case-insensitively ("Former Relevant", "No Current Eligibility" -> NONE, ...), or a local value mapped through
-- ref_local_code_map.
with

source as (
    select * from {{ source('landing', 'ssd_care_leavers') }}
),

snapshots as (
    select
        snapshot_rows.*,
        case upper(trim(snapshot_rows.clea_care_leaver_eligibility))
            when 'FORMER RELEVANT' then 'FORMER_RELEVANT'
            when 'NO CURRENT ELIGIBILITY' then 'NONE'
            else upper(trim(snapshot_rows.clea_care_leaver_eligibility))
        end as eligibility_text_code
    from ({{ snapshot_deliveries('source', 'ssd_care_leavers') }}) as snapshot_rows
),

renamed as (
    select
        cast(snapshots.la_code as varchar) as la_code,
        snapshots.snapshot_date,
        snapshots.is_latest_snapshot,
        cast(snapshots.clea_person_id as varchar) as child_id,
        cast(snapshots.clea_table_id as varchar) as care_leaver_row_id,
        cast(
            {{ mapped_code('snapshots.eligibility_text_code', 'eligibility_map',
                casework_codes('care_leaver_eligibility')) }} as varchar
        ) as eligibility,
        cast(snapshots.clea_care_leaver_eligibility as varchar) as eligibility_delivered,
        cast(snapshots.clea_care_leaver_in_touch as varchar) as in_touch,
        cast(snapshots.clea_care_leaver_latest_contact as date) as latest_contact_date,
        cast(snapshots.clea_care_leaver_accommodation as varchar) as accommodation,
        cast(snapshots.clea_care_leaver_accom_suitable as varchar) as accommodation_suitable,
        cast(snapshots.clea_care_leaver_activity as varchar) as activity,
        cast(snapshots.clea_pathway_plan_review_date as date) as pathway_plan_review_date,
        cast(snapshots.clea_care_leaver_allocated_team as varchar) as allocated_team_id,
        cast(snapshots.clea_care_leaver_worker_id as varchar) as allocated_worker_id,
        cast(snapshots.clea_care_leaver_personal_advisor as varchar) as personal_adviser_worker_id,
        cast(snapshots.local_staying_put as boolean) as is_staying_put,
        cast(snapshots.local_apprenticeship as boolean) as is_apprenticeship,
        cast(snapshots.reporting_month as varchar) as reporting_month,
        cast(snapshots.load_id as varchar) as load_id,
        cast(snapshots.source_file as varchar) as source_file,
        cast(snapshots.source_row as integer) as source_row
    from snapshots
    {{ local_code_map_join('eligibility_map', 'ssd_care_leavers', 'clea_care_leaver_eligibility', 'snapshots',
        'snapshots.clea_care_leaver_eligibility', 'snapshots.snapshot_date') }}
),

final as (
    select * from renamed
)

select * from final
