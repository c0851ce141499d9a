-- CIN census child protection reviews (CPPreviewDate; cs_cp_review), one row per plan and review date. Each census
-- carries only its own year's reviews, so the key is (plan, review date) and every year's reviews are kept.
with

source as (
    select * from {{ source('landing', 'cin_review') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['cpp_key', 'cppreviewdate'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cpp_key as varchar) as cpp_key,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(cppreviewdate as date) as cp_review_date,
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
