-- ssd_cla_reviews (input contract §2.4; enriches cs_cla_review with due dates and cancellations) as they stood at the
-- period end: full refresh inside the window; a review is dated by when it was held, else by its due date. The
-- child is the extension local_person_id (AM-22).
with

source as (
    select * from {{ source('landing', 'ssd_cla_reviews') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['clar_cla_review_id'], 'ssd_cla_reviews',
        'coalesce(landed.clar_cla_review_date, landed.clar_cla_review_due_date)'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(clar_cla_review_id as varchar) as cla_review_id,
        cast(clar_cla_id as varchar) as period_of_care_id,
        cast(local_person_id as varchar) as child_id,
        cast(clar_cla_review_due_date as date) as review_due_date,
        cast(clar_cla_review_date as date) as review_date,
        cast(clar_cla_review_cancelled as boolean) as is_cancelled,
        cast(clar_cla_review_participation as varchar) as review_participation_code,
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
