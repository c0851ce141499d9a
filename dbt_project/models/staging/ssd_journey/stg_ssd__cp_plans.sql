-- ssd_cp_plans (input contract §2.3; the alternative to CIN ChildProtectionPlans for cs_cp_plan, and the source of
-- the end reason, the other-LA flag and the previous-plan count) as they stood at the period end: full refresh
-- inside the window; a plan is covered while open or when it ended inside the delivery's window. The categories
-- are contract codes or local text mapped through ref_local_code_map on the plan's start date (null when unmapped,
-- the delivered text kept beside them).
{%- set categories = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] %}
with

source as (
    select * from {{ source('landing', 'ssd_cp_plans') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['cppl_cp_plan_id'], 'ssd_cp_plans', 'landed.cppl_cp_plan_end_date') }}
),

renamed as (
    select
        cast(authoritative.la_code as varchar) as la_code,
        cast(authoritative.cppl_cp_plan_id as varchar) as cp_plan_id,
        cast(authoritative.cppl_referral_id as varchar) as referral_id,
        cast(authoritative.cppl_icpc_id as varchar) as icpc_id,
        cast(authoritative.cppl_person_id as varchar) as child_id,
        cast(authoritative.cppl_cp_plan_start_date as date) as cp_plan_start_date,
        cast(authoritative.cppl_cp_plan_end_date as date) as cp_plan_end_date,
        cast(
            {{ mapped_code('authoritative.cppl_cp_plan_initial_category', 'initial_map', categories) }} as varchar
        ) as initial_category_of_abuse,
        cast(authoritative.cppl_cp_plan_initial_category as varchar) as initial_category_delivered,
        cast(
            {{ mapped_code('authoritative.cppl_cp_plan_latest_category', 'latest_map', categories) }} as varchar
        ) as latest_category_of_abuse,
        cast(authoritative.cppl_cp_plan_latest_category as varchar) as latest_category_delivered,
        cast(authoritative.cppl_cp_plan_ola as boolean) as is_other_la_plan,
        cast(authoritative.local_end_reason as varchar) as end_reason,
        cast(authoritative.local_number_of_previous_cpp as integer) as number_of_previous_cp_plans,
        cast(authoritative.reporting_month as varchar) as reporting_month,
        cast(authoritative.load_id as varchar) as load_id,
        cast(authoritative.source_file as varchar) as source_file,
        cast(authoritative.source_row as integer) as source_row
    from authoritative
    {{ local_code_map_join('initial_map', 'ssd_cp_plans', 'cppl_cp_plan_initial_category', 'authoritative',
        'authoritative.cppl_cp_plan_initial_category', 'authoritative.cppl_cp_plan_start_date') }}
    {{ local_code_map_join('latest_map', 'ssd_cp_plans', 'cppl_cp_plan_latest_category', 'authoritative',
        'authoritative.cppl_cp_plan_latest_category', 'authoritative.cppl_cp_plan_start_date') }}
),

final as (
    select * from renamed
)

select * from final
