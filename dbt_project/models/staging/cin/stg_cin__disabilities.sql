-- CIN census disabilities (cs_child_disability), one row per child and disability code. A census file carries a
-- child's whole list, so the list of the latest collection year holding any disability for the child wins as a
-- set: a code dropped in a later year is not carried over from an earlier one.
with

source as (
    select * from {{ source('landing', 'cin_disability') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['lachildid'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(lachildid as varchar) as child_id,
        cast(disability as varchar) as disability_code,
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
