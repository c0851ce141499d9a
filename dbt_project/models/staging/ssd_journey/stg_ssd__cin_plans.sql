-- ssd_cin_plans (input contract §2.3; the alternative to CIN CINPlanDates for cs_cin_plan, and the source of team,
-- worker and step-down) as they stood at the period end: full refresh inside the window; a plan is covered while
-- open or when it ended inside the delivery's window.
with

source as (
    select * from {{ source('landing', 'ssd_cin_plans') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['cinp_cin_plan_id'], 'ssd_cin_plans', 'landed.cinp_cin_plan_end_date') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cinp_cin_plan_id as varchar) as cin_plan_id,
        cast(cinp_referral_id as varchar) as referral_id,
        cast(cinp_person_id as varchar) as child_id,
        cast(cinp_cin_plan_start_date as date) as cin_plan_start_date,
        cast(cinp_cin_plan_end_date as date) as cin_plan_end_date,
        cast(cinp_cin_plan_team as varchar) as team_id,
        cast(cinp_cin_plan_worker_id as varchar) as worker_id,
        cast(local_step_down_to as varchar) as step_down_to,
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
