-- ssd_professionals (input contract §2.2), a snapshot table: one snapshot of the case-system workers per delivery
-- up to the period end. The role is a contract code, or the delivered local_role_code mapped through
-- ref_local_code_map, or the job title mapped (the contract's "or via ref_local_code_map from the job title";
-- a map row for the title may name either column). The case system's own caseload count is not staged.
with

source as (
    select * from {{ source('landing', 'ssd_professionals') }}
),

snapshots as (
    {{ snapshot_deliveries('source', 'ssd_professionals') }}
),

renamed as (
    select
        cast(snapshots.la_code as varchar) as la_code,
        snapshots.snapshot_date,
        snapshots.is_latest_snapshot,
        cast(snapshots.prof_professional_id as varchar) as worker_id,
        cast(snapshots.prof_staff_id as varchar) as staff_id,
        cast(snapshots.prof_social_worker_registration_no as varchar) as swe_registration_number,
        cast(snapshots.prof_professional_job_title as varchar) as job_title,
        cast(snapshots.prof_professional_department as varchar) as department_text,
        cast(snapshots.prof_full_time_equivalency as numeric(4, 2)) as fte,
        cast(snapshots.prof_agency_worker_flag as boolean) as is_agency_worker,
        cast(coalesce(
            {{ mapped_code('snapshots.local_role_code', 'role_map', casework_codes('worker_role')) }},
            {{ mapped_code(none, 'title_map', casework_codes('worker_role')) }},
            {{ mapped_code(none, 'title_as_role_map', casework_codes('worker_role')) }}
        ) as varchar) as role_code,
        cast(snapshots.local_role_code as varchar) as role_code_delivered,
        cast(snapshots.local_qualified_sw as boolean) as is_qualified_sw,
        cast(snapshots.local_case_holding as boolean) as is_case_holding,
        cast(snapshots.local_team_id as varchar) as team_id,
        cast(snapshots.local_hr_person_id as varchar) as hr_person_id,
        cast(snapshots.local_start_date as date) as start_date,
        cast(snapshots.local_end_date as date) as end_date,
        cast(snapshots.reporting_month as varchar) as reporting_month,
        cast(snapshots.load_id as varchar) as load_id,
        cast(snapshots.source_file as varchar) as source_file,
        cast(snapshots.source_row as integer) as source_row
    from snapshots
    {{ local_code_map_join('role_map', 'ssd_professionals', 'local_role_code', 'snapshots',
        'snapshots.local_role_code', 'snapshots.snapshot_date') }}
    {{ local_code_map_join('title_map', 'ssd_professionals', 'prof_professional_job_title', 'snapshots',
        'snapshots.prof_professional_job_title', 'snapshots.snapshot_date') }}
    {{ local_code_map_join('title_as_role_map', 'ssd_professionals', 'local_role_code', 'snapshots',
        'snapshots.prof_professional_job_title', 'snapshots.snapshot_date') }}
),

final as (
    select * from renamed
)

select * from final
