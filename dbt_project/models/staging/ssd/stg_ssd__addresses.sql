-- ssd_address (input contract §2.2), treated as a snapshot table (§0.7 lists it as one): one snapshot of the
-- children's addresses per delivery up to the period end. The address type is a contract code or a local value
-- mapped through ref_local_code_map. Postcodes are personal: used in the restricted layers only.
with

source as (
    select * from {{ source('landing', 'ssd_address') }}
),

snapshots as (
    {{ snapshot_deliveries('source', 'ssd_address') }}
),

renamed as (
    select
        cast(snapshots.la_code as varchar) as la_code,
        snapshots.snapshot_date,
        snapshots.is_latest_snapshot,
        cast(snapshots.addr_person_id as varchar) as child_id,
        cast(
            {{ mapped_code('snapshots.addr_address_type', 'type_map', casework_codes('address_type')) }} as varchar
        ) as address_type,
        cast(snapshots.addr_address_type as varchar) as address_type_delivered,
        cast(snapshots.addr_address_start_date as date) as address_start_date,
        cast(snapshots.addr_address_end_date as date) as address_end_date,
        cast(snapshots.addr_address_postcode as varchar) as postcode,
        cast(snapshots.reporting_month as varchar) as reporting_month,
        cast(snapshots.load_id as varchar) as load_id,
        cast(snapshots.source_file as varchar) as source_file,
        cast(snapshots.source_row as integer) as source_row
    from snapshots
    {{ local_code_map_join('type_map', 'ssd_address', 'addr_address_type', 'snapshots',
        'snapshots.addr_address_type', 'snapshots.snapshot_date') }}
),

final as (
    select * from renamed
)

select * from final
