-- SSDA903 header (one row per child) as the authoritative deliveries stood at the period end
-- (input contract §1.1.3): readable names, SEX 1/2 staged as M/F, load metadata kept, no business rules.
with

source as (
    select * from {{ source('landing', 'ssda903_header') }}
),

delivered_by_period_end as (
    -- Only deliveries received for months up to the period end.
    select * from source
    where reporting_month <= {{ as_of_month() }}
),

latest_delivery_of_each_year as (
    -- A delivery is a full refresh of its collection year: the latest reporting month's files replace earlier ones.
    select
        *,
        max(reporting_month) over (partition by la_code, collection_year) as latest_reporting_month
    from delivered_by_period_end
),

latest_year_of_each_child as (
    -- The same child in several collection years: the latest year's row wins.
    select
        *,
        max(collection_year) over (partition by la_code, child) as latest_collection_year
    from latest_delivery_of_each_year
    where reporting_month = latest_reporting_month
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
    from latest_year_of_each_child
    where collection_year = latest_collection_year
),

final as (
    select * from renamed
)

select * from final
