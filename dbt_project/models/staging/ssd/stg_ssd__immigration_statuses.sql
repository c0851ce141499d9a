-- ssd_immigration_status (input contract §2.2), a snapshot table: one snapshot of the children's immigration
-- statuses per delivery up to the period end; the status is a contract code or a local value mapped through
-- ref_local_code_map.
with

source as (
    select * from {{ source('landing', 'ssd_immigration_status') }}
),

snapshots as (
    {{ snapshot_deliveries('source', 'ssd_immigration_status') }}
),

renamed as (
    select
        cast(snapshots.la_code as varchar) as la_code,
        snapshots.snapshot_date,
        snapshots.is_latest_snapshot,
        cast(snapshots.immi_person_id as varchar) as child_id,
        cast(
            {{ mapped_code('snapshots.immi_immigration_status', 'status_map', casework_codes('immigration_status')) }}
            as varchar
        ) as immigration_status,
        cast(snapshots.immi_immigration_status as varchar) as immigration_status_delivered,
        cast(snapshots.immi_immigration_status_start_date as date) as status_start_date,
        cast(snapshots.immi_immigration_status_end_date as date) as status_end_date,
        cast(snapshots.reporting_month as varchar) as reporting_month,
        cast(snapshots.load_id as varchar) as load_id,
        cast(snapshots.source_file as varchar) as source_file,
        cast(snapshots.source_row as integer) as source_row
    from snapshots
    {{ local_code_map_join('status_map', 'ssd_immigration_status', 'immi_immigration_status', 'snapshots',
        'snapshots.immi_immigration_status', 'snapshots.snapshot_date') }}
),

final as (
    select * from renamed
)

select * from final
