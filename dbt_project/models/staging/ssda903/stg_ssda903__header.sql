-- SSDA903 header (one row per child) as the authoritative deliveries stood at the period end
-- (input contract §1.1.3): readable names, SEX 1/2 staged as M/F, load metadata kept, no business rules.
with

source as (
    select * from {{ source('landing', 'ssda903_header') }}
),

authoritative as (
    -- The latest delivery of each collection year up to the period end; per key, the latest year wins.
    {{ authoritative_903_rows('source', ['child']) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(child as varchar) as child_id,
        cast(
            case sex
                when '1' then 'M'
                when '2' then 'F'
                else sex
            end as varchar
        ) as sex,
        cast(dob as date) as date_of_birth,
        cast(ethnic as varchar) as ethnicity,
        cast(upn as varchar) as unique_pupil_number,
        case mother
            when '1' then true
            when '0' then false
        end as is_mother,
        cast(mc_dob as date) as first_child_date_of_birth,
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
