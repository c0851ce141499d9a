-- CIN census children (ChildIdentifiers, ChildCharacteristics; input contract §1.2.6 cs_child) as the authoritative
-- census files stood at the period end: GenderCurrent (files up to 2023-24) staged as Sex M/F/U, no business rules.
with

source as (
    select * from {{ source('landing', 'cin_child') }}
),

authoritative as (
    -- The latest census file of each collection year up to the period end; per child, the latest year wins.
    {{ authoritative_statutory_rows('source', ['lachildid'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(lachildid as varchar) as child_id,
        cast(upn as varchar) as unique_pupil_number,
        cast(formerupn as varchar) as former_unique_pupil_number,
        cast(upnunknown as varchar) as upn_unknown_reason,
        cast(personbirthdate as date) as date_of_birth,
        cast(expectedpersonbirthdate as date) as expected_date_of_birth,
        cast(
            coalesce(
                sex,
                case gendercurrent
                    when '1' then 'M'
                    when '2' then 'F'
                    when '0' then 'U'
                    when '9' then 'U'
                end
            ) as varchar
        ) as sex,
        cast(persondeathdate as date) as date_of_death,
        cast(ethnicity as varchar) as ethnicity,
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
