-- The organisation's delivered bank holidays (input contract §5, ref_bank_holidays) as they stood at the period end:
-- readable names, no business rules. Only compared with the seed ref_bank_holidays (a warning test); the
-- warehouse's working days come from the seed (docs/architecture.md, "Calendar").
with

source as (
    select * from {{ source('landing', 'ref_bank_holidays') }}
),

visible as (
    -- LA-level ref/ files carry no reporting month and always count; monthly ones up to the period end.
    select
        source.*,
        coalesce(source.reporting_month, '0000-00') as delivery_month
    from source
    where source.reporting_month is null or source.reporting_month <= {{ as_of_month() }}
),

latest as (
    -- A snapshot table (§0.7): the organisation's latest delivery replaces the earlier ones; a monthly delivery
    -- is newer than the standing LA-level file.
    select
        la_code,
        max(delivery_month) as latest_delivery_month
    from visible
    group by la_code
),

authoritative as (
    -- All files of that delivery are kept, so a date delivered twice is caught by the uniqueness test instead of
    -- being dropped silently.
    select visible.*
    from visible
    inner join latest
        on
            visible.la_code = latest.la_code
            and visible.delivery_month = latest.latest_delivery_month
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(date as date) as holiday_date,
        cast(title as varchar) as holiday_title,
        cast(division as varchar) as division,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
