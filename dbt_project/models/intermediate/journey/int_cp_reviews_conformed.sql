-- cs_cp_review (input contract §7, §2.3): one row per conformed CP plan and review date held. The census reviews
-- (CPPreviewDate) are primary when the plans are; ssd_cp_reviews rows that were held enrich them (due date,
-- quorate, outcome, participation), matched on (plan, review date). Reviews of a plan that is not in
-- int_cp_plans_conformed, and SSD reviews not held, are not rows here. Rules in the YAML.
with

plans as (
    select * from {{ ref('int_cp_plans_conformed') }}
),

census_reviews as (
    select distinct
        plans.la_code,
        plans.cp_plan_id,
        plans.child_id,
        census.cp_review_date
    from {{ ref('stg_cin__cp_reviews') }} as census
    inner join plans
        on census.la_code = plans.la_code and census.cpp_key = plans.cpp_key
),

ssd_reviews as (
    select
        plans.la_code,
        plans.cp_plan_id,
        plans.child_id,
        ssd.cp_review_date,
        ssd.cp_review_id,
        ssd.cp_review_due_date,
        ssd.is_quorate,
        ssd.is_outcome_continue_cp,
        ssd.participation_code,
        row_number() over (
            partition by plans.la_code, plans.cp_plan_id, ssd.cp_review_date order by ssd.cp_review_id
        ) as review_rank
    from {{ ref('stg_ssd__cp_reviews') }} as ssd
    inner join plans
        on ssd.la_code = plans.la_code and ssd.cp_plan_id = plans.ssd_cp_plan_id
    where ssd.cp_review_date is not null
),

first_ssd_reviews as (
    -- One SSD review per plan and date (the first by id), so a census review matches at most one.
    select * from ssd_reviews
    where review_rank = 1
),

paired as (
    select
        coalesce(census_reviews.la_code, ssd_reviews.la_code) as la_code,
        coalesce(census_reviews.cp_plan_id, ssd_reviews.cp_plan_id) as cp_plan_id,
        coalesce(census_reviews.child_id, ssd_reviews.child_id) as child_id,
        coalesce(census_reviews.cp_review_date, ssd_reviews.cp_review_date) as cp_review_date,
        census_reviews.cp_review_date is not null as is_in_census,
        ssd_reviews.cp_review_id,
        ssd_reviews.cp_review_due_date,
        ssd_reviews.is_quorate,
        ssd_reviews.is_outcome_continue_cp,
        ssd_reviews.participation_code
    from census_reviews
    full outer join first_ssd_reviews as ssd_reviews
        on
            census_reviews.la_code = ssd_reviews.la_code
            and census_reviews.cp_plan_id = ssd_reviews.cp_plan_id
            and census_reviews.cp_review_date = ssd_reviews.cp_review_date
),

final as (
    select
        paired.la_code,
        paired.cp_plan_id,
        paired.child_id,
        paired.cp_review_date,
        paired.cp_review_due_date,
        paired.is_quorate,
        paired.is_outcome_continue_cp,
        paired.participation_code,
        paired.cp_review_id as ssd_cp_review_id,
        sources.cp_plan_source as primary_source,
        paired.is_in_census and paired.cp_review_id is not null as has_alternative_match
    from paired
    inner join {{ ref('int_journey_sources_chosen') }} as sources
        on paired.la_code = sources.la_code
    where
        (sources.cp_plan_source = 'CIN' and paired.is_in_census)
        or (sources.cp_plan_source = 'SSD' and paired.cp_review_id is not null)
)

select * from final
