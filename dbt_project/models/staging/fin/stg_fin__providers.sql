-- fin_provider (input contract §4.2, snapshot-only): one snapshot per delivery up to the period end, with
-- snapshot_date = the delivery's period end and is_latest_snapshot (macros/casework/snapshot_deliveries.sql).
-- Postcodes are kept only for organisations (the contract forbids them for individual carers).
with

source as (
    select * from {{ source('landing', 'fin_provider') }}
),

snapshots as (
    {{ snapshot_deliveries('source', 'fin_provider') }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(snapshot_date as date) as snapshot_date,
        cast(is_latest_snapshot as boolean) as is_latest_snapshot,
        cast(provider_id as varchar) as provider_id,
        cast(urn as varchar) as urn,
        cast(provider_name as varchar) as provider_name,
        cast(provider_type as varchar) as provider_type,
        cast(inhouse as boolean) as is_inhouse,
        cast(postcode as varchar) as postcode,
        cast(registered_places as integer) as registered_places,
        cast(ofsted_grade as varchar) as ofsted_grade,
        cast(ofsted_date as date) as ofsted_date,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from snapshots
)

select * from final
