-- SSDA903 Missing rows (cs_missing fallback, input contract §1.1.4, key (CHILD, MIS_START)) as the authoritative
-- deliveries stood at the period end: readable names, no business rules. No return interview is recorded here.
with

source as (
    select * from {{ source('landing', 'ssda903_missing') }}
),

authoritative as (
    -- The latest delivery of each collection year up to the period end; per key, the latest year wins.
    {{ authoritative_903_rows('source', ['child', 'mis_start']) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(child as varchar) as child_id,
        cast(missing as varchar) as missing_type,
        cast(mis_start as date) as missing_start_date,
        cast(mis_end as date) as missing_end_date,
        cast(reporting_month as varchar) as reporting_month,
        cast(collection_year as varchar) as collection_year,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
