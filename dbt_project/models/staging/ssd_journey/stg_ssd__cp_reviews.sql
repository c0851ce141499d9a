-- ssd_cp_reviews (input contract §2.3; enriches cs_cp_review) as they stood at the period end: full refresh inside
-- the window; a review is dated by when it was held, else by its due date.
with

source as (
    select * from {{ source('landing', 'ssd_cp_reviews') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['cppr_cp_review_id'], 'ssd_cp_reviews',
        'coalesce(landed.cppr_cp_review_date, landed.cppr_cp_review_due)'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cppr_cp_review_id as varchar) as cp_review_id,
        cast(cppr_person_id as varchar) as child_id,
        cast(cppr_cp_plan_id as varchar) as cp_plan_id,
        cast(cppr_cp_review_due as date) as cp_review_due_date,
        cast(cppr_cp_review_date as date) as cp_review_date,
        cast(cppr_cp_review_meeting_id as varchar) as meeting_id,
        cast(cppr_cp_review_outcome_continue_cp as boolean) as is_outcome_continue_cp,
        cast(cppr_cp_review_quorate as boolean) as is_quorate,
        cast(cppr_cp_review_participation as varchar) as participation_code,
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
