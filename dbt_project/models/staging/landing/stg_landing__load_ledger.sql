-- The load ledger: one row per delivered file per load (docs/architecture.md). Used to trace every staged row
-- to the load that landed it.
with

source as (
    select * from {{ source('landing', 'load_ledger') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(la_code as varchar) as la_code,
        cast(reporting_month as varchar) as reporting_month,
        cast(collection_year as varchar) as collection_year,
        cast(table_name as varchar) as table_name,
        cast(source_file as varchar) as source_file,
        cast(sha256 as varchar) as file_sha256,
        cast(bytes as bigint) as file_bytes,
        cast(rows_read as bigint) as rows_read,
        cast(rows_landed as bigint) as rows_landed,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(outcome as varchar) as outcome,
        cast(message as varchar) as message
    from source
),

final as (
    select * from renamed
)

select * from final
