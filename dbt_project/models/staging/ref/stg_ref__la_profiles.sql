-- ref_la_profile (input contract §5): per organisation the profile of the latest delivery up to the period end;
-- the office postcode is the b11v distance origin and the b11 fallback. Readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'ref_la_profile') }}
),

deliveries_ranked as (
    -- A reference file is a full snapshot: the latest monthly delivery up to the period end wins; an LA-level
    -- delivery (null reporting month) applies when no monthly one was received.
    select
        *,
        row_number() over (
            partition by la_code
            order by coalesce(reporting_month, '0000-00') desc, load_id desc, source_row asc
        ) as delivery_rank
    from source
    where reporting_month is null or reporting_month <= {{ as_of_month() }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(la_name as varchar) as la_name,
        cast(office_postcode as varchar) as office_postcode,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from deliveries_ranked
    where delivery_rank = 1
),

final as (
    select * from renamed
)

select * from final
