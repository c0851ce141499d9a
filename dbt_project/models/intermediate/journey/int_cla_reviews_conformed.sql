-- cs_cla_review (input contract §7, §2.4): SSDA903 Reviews primary, enriched by ssd_cla_reviews matched on
-- (child, review date) - due date, cancellation, SSD ids - and placed in the child's period of care
-- (int_cla_periods_derived), since b17's due dates restart with each period. Rules in the YAML.
with

reviews as (
    select * from {{ ref('stg_ssda903__reviews') }}
),

ssd_reviews as (
    select
        *,
        row_number() over (
            partition by la_code, child_id, review_date order by cla_review_id
        ) as review_rank
    from {{ ref('stg_ssd__cla_reviews') }}
    where review_date is not null
),

periods as (
    select * from {{ ref('int_cla_periods_derived') }}
),

review_periods as (
    -- The period of care the review was held in (start <= review date <= end, or still open); when two periods
    -- touch on that day, the later one.
    select
        reviews.la_code,
        reviews.child_id,
        reviews.review_date,
        periods.period_of_care_number,
        periods.period_start_date,
        row_number() over (
            partition by reviews.la_code, reviews.child_id, reviews.review_date
            order by periods.period_start_date desc
        ) as period_rank
    from reviews
    inner join periods
        on
            reviews.la_code = periods.la_code
            and reviews.child_id = periods.child_id
            and reviews.review_date >= periods.period_start_date
            and (reviews.review_date <= periods.period_end_date or periods.period_end_date is null)
),

final as (
    select
        reviews.la_code,
        reviews.child_id,
        reviews.review_date,
        reviews.review_participation_code,
        review_periods.period_of_care_number,
        review_periods.period_start_date as period_of_care_start_date,
        ssd_reviews.review_due_date,
        ssd_reviews.is_cancelled,
        ssd_reviews.cla_review_id as ssd_cla_review_id,
        ssd_reviews.period_of_care_id as ssd_period_of_care_id,
        ssd_reviews.cla_review_id is not null as has_alternative_match,
        cast(
            case
                when reviews.review_participation_code != ssd_reviews.review_participation_code then 1 else 0
            end as integer
        ) as source_disagreement_count,
        coalesce(reviews.review_participation_code != ssd_reviews.review_participation_code, false)
            as has_source_disagreement
    from reviews
    left join ssd_reviews
        on
            reviews.la_code = ssd_reviews.la_code
            and reviews.child_id = ssd_reviews.child_id
            and reviews.review_date = ssd_reviews.review_date
            and ssd_reviews.review_rank = 1
    left join review_periods
        on
            reviews.la_code = review_periods.la_code
            and reviews.child_id = review_periods.child_id
            and reviews.review_date = review_periods.review_date
            and review_periods.period_rank = 1
)

select * from final
