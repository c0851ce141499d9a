-- ref_postcode_centroid (input contract §5 ref_onspd, §7): one row per organisation and postcode from the latest
-- ONSPD delivery up to the period end (all parts of that delivery), with the OS grid centroid and the upper-tier
-- LA. Readable names only; distances are computed in intermediate/placements.
with

source as (
    select * from {{ source('landing', 'ref_onspd') }}
),

deliveries_ranked as (
    -- A reference file is a full snapshot: the latest monthly delivery up to the period end wins; an LA-level
    -- delivery (null reporting month) applies when no monthly one was received. Parts of one delivery share it.
    select
        *,
        dense_rank() over (
            partition by la_code
            order by coalesce(reporting_month, '0000-00') desc
        ) as delivery_rank,
        row_number() over (
            partition by la_code, coalesce(reporting_month, '0000-00'), pcds
            order by load_id desc, source_row asc
        ) as postcode_rank
    from source
    where pcds is not null and (reporting_month is null or reporting_month <= {{ as_of_month() }})
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(pcds as varchar) as postcode,
        cast(oseast1m as bigint) as easting,
        cast(osnrth1m as bigint) as northing,
        cast(oslaua as varchar) as district_code,
        cast(oscty as varchar) as county_code,
        -- Upper-tier LA: the county when it is a real one, else the district (unitary, metropolitan, London).
        cast(
            case when oscty is not null and oscty <> 'E99999999' then oscty else oslaua end as varchar
        ) as upper_tier_la_code,
        cast(ctry as varchar) as country_code,
        -- Only English and Welsh centroids give a distance (the contract's rule; elsewhere distance is unknown).
        coalesce(ctry in ('E92000001', 'W92000004', 'E92', 'W92') and oseast1m is not null, false) as is_geocoded,
        cast(doterm as varchar) as terminated_month,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from deliveries_ranked
    where delivery_rank = 1 and postcode_rank = 1
),

final as (
    select * from renamed
)

select * from final
