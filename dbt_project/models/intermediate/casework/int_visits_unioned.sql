-- cs_visit (input contract §2.3, §3, §7; kpi-catalogue b04, b07, t_visits_in_time_all): the three SSD visit tables
-- and local_visits as one table. Rules:
--   visit_context  CIN visits: local_visit_context (CIN by default, ASSESS during an open assessment); CP; CLA;
--                  local visits: their own context (ASSESS, PATHWAY, PF, EH, OTHER).
--   is_statutory   local_statutory / statutory, default true (only statutory visits count).
--   child_seen     Y or N; a blank seen column counts as not seen (N) with is_child_seen_blank as the flag.
--   seen_alone     Y, N or NA as delivered (null when blank).
--   de-duplication a local visit with the same child, date and context as an SSD visit is the same visit recorded
--                  twice (local_visits is for visits the SSD tables do not hold): the SSD row is kept.
-- Visit ids are unique within their source table only, so the key is (la_code, source_table, visit_id).
with

cin_visits as (
    select * from {{ ref('stg_ssd__cin_visits') }}
),

cp_visits as (
    select * from {{ ref('stg_ssd__cp_visits') }}
),

cla_visits as (
    select * from {{ ref('stg_ssd__cla_visits') }}
),

local_visits as (
    select * from {{ ref('stg_local__visits') }}
),

ssd_unioned as (
    select
        la_code,
        'ssd_cin_visits' as source_table,
        visit_id,
        child_id,
        visit_date,
        coalesce(visit_context, 'CIN') as visit_context,
        cast(null as varchar) as plan_id,
        is_statutory,
        is_child_seen,
        seen_alone,
        worker_id,
        load_id
    from cin_visits
    union all
    select
        la_code,
        'ssd_cp_visits' as source_table,
        visit_id,
        child_id,
        visit_date,
        'CP' as visit_context,
        cp_plan_id as plan_id,
        is_statutory,
        is_child_seen,
        seen_alone,
        worker_id,
        load_id
    from cp_visits
    union all
    select
        la_code,
        'ssd_cla_visits' as source_table,
        visit_id,
        child_id,
        visit_date,
        'CLA' as visit_context,
        period_of_care_id as plan_id,
        is_statutory,
        is_child_seen,
        seen_alone,
        worker_id,
        load_id
    from cla_visits
),

local_not_in_ssd as (
    select
        local_visits.la_code,
        'local_visits' as source_table,
        local_visits.visit_id,
        local_visits.child_id,
        local_visits.visit_date,
        local_visits.visit_context,
        cast(null as varchar) as plan_id,
        local_visits.is_statutory,
        local_visits.is_child_seen,
        local_visits.seen_alone,
        local_visits.worker_id,
        local_visits.load_id
    from local_visits
    left join ssd_unioned
        on
            local_visits.la_code = ssd_unioned.la_code
            and local_visits.child_id = ssd_unioned.child_id
            and local_visits.visit_date = ssd_unioned.visit_date
            and local_visits.visit_context = ssd_unioned.visit_context
    where ssd_unioned.visit_id is null
),

unioned as (
    select * from ssd_unioned
    union all
    select * from local_not_in_ssd
),

final as (
    select
        la_code,
        source_table,
        visit_id,
        child_id,
        visit_date,
        visit_context,
        plan_id,
        coalesce(is_statutory, true) as is_statutory,
        case when is_child_seen then 'Y' else 'N' end as child_seen,
        is_child_seen is null as is_child_seen_blank,
        seen_alone,
        worker_id,
        load_id
    from unioned
)

select * from final
