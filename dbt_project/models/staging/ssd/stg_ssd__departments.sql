-- ssd_department (input contract §2.2), a snapshot table: one snapshot of the organisation's teams per delivery up
-- to the period end (macros/casework/snapshot_deliveries.sql). The reporting service is a contract code, or a local
-- value mapped through ref_local_code_map, or - when the team carries no usable code - the map of its team id.
with

source as (
    select * from {{ source('landing', 'ssd_department') }}
),

snapshots as (
    {{ snapshot_deliveries('source', 'ssd_department') }}
),

renamed as (
    select
        cast(snapshots.la_code as varchar) as la_code,
        snapshots.snapshot_date,
        snapshots.is_latest_snapshot,
        cast(snapshots.dept_team_id as varchar) as team_id,
        cast(snapshots.dept_team_name as varchar) as team_name,
        cast(snapshots.dept_team_parent_id as varchar) as parent_team_id,
        cast(snapshots.dept_team_parent_name as varchar) as parent_team_name,
        cast(coalesce(
            {{ mapped_code('snapshots.local_service_code', 'service_map', casework_codes('service')) }},
            {{ mapped_code(none, 'team_map', casework_codes('service')) }}
        ) as varchar) as service_code,
        cast(snapshots.local_service_code as varchar) as service_code_delivered,
        cast(snapshots.local_front_door as boolean) as is_front_door,
        cast(snapshots.local_cost_centre as varchar) as cost_centre,
        cast(snapshots.local_valid_from as date) as valid_from,
        cast(snapshots.local_valid_to as date) as valid_to,
        cast(snapshots.reporting_month as varchar) as reporting_month,
        cast(snapshots.load_id as varchar) as load_id,
        cast(snapshots.source_file as varchar) as source_file,
        cast(snapshots.source_row as integer) as source_row
    from snapshots
    {{ local_code_map_join('service_map', 'ssd_department', 'local_service_code', 'snapshots',
        'snapshots.local_service_code', 'snapshots.snapshot_date') }}
    {{ local_code_map_join('team_map', 'ssd_department', 'dept_team_id', 'snapshots',
        'snapshots.dept_team_id', 'snapshots.snapshot_date') }}
),

final as (
    select * from renamed
)

select * from final
