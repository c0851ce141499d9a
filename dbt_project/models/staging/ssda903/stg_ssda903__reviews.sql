-- SSDA903 CLA reviews (cs_cla_review) as the authoritative deliveries stood at the period end (input contract
-- §1.1.3, key (CHILD, REVIEW)): the same delivery selection as the episodes, readable names, no business rules.
with

source as (
    select * from {{ source('landing', 'ssda903_reviews') }}
),

authoritative as (
    -- The latest delivery of each collection year up to the period end; per key, the latest year wins.
    {{ authoritative_903_rows('source', ['child', 'review']) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(child as varchar) as child_id,
        cast(dob as date) as date_of_birth,
        cast(review as date) as review_date,
        cast(review_code as varchar) as review_participation_code,
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
