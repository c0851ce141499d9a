-- SSDA903 UASC rows (cs_uasc, input contract §1.1.4) as the authoritative deliveries stood at the period end: one
-- row per child, readable names, no business rules (a child is UASC on a date while DUC is blank or later).
with

source as (
    select * from {{ source('landing', 'ssda903_uasc') }}
),

authoritative as (
    -- The latest delivery of each collection year up to the period end; per key, the latest year wins.
    {{ authoritative_903_rows('source', ['child']) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(child as varchar) as child_id,
        cast(dob as date) as date_of_birth,
        cast(duc as date) as uasc_ceased_date,
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
