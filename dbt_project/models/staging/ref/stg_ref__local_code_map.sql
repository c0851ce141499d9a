-- ref_local_code_map (input contract §5) as it stood at the period end: the organisation's map from local free text
-- to contract codes, keyed for a case-insensitive, trimmed match. Staging models join it through
-- macros/casework/local_codes.sql.
with

source as (
    select * from {{ source('landing', 'ref_local_code_map') }}
),

deliveries_ranked as (
    -- A reference delivery is a full snapshot of the map. Per organisation the latest monthly delivery up to the
    -- period end wins; an LA-level delivery (inbound/<la>/ref/, null reporting month) applies when no monthly one
    -- has been received.
    select
        *,
        dense_rank() over (
            partition by la_code
            order by coalesce(reporting_month, '0000-00') desc
        ) as delivery_rank
    from source
    where reporting_month is null or reporting_month <= {{ as_of_month() }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        lower(trim(cast(table_name as varchar))) as table_name,
        lower(trim(cast(column_name as varchar))) as column_name,
        cast(local_value as varchar) as local_value,
        lower(trim(cast(local_value as varchar))) as local_value_key,
        upper(trim(cast(contract_value as varchar))) as contract_value,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from deliveries_ranked
    where delivery_rank = 1
),

deduplicated as (
    -- The delivered key is exact text; two lines differing only in case or spaces would match the same value
    -- twice, so the first in file order is kept and a row can never fan out when it is mapped.
    select
        *,
        row_number() over (
            partition by la_code, table_name, column_name, local_value_key
            order by load_id, source_row
        ) as key_rank
    from renamed
),

final as (
    select
        la_code,
        table_name,
        column_name,
        local_value,
        local_value_key,
        contract_value,
        valid_from,
        valid_to,
        reporting_month,
        load_id,
        source_file,
        source_row
    from deduplicated
    where key_rank = 1
)

select * from final
