-- cs_case_supervision (input contract §3, AM-13; kpi-catalogue b19, p_mgmt_oversight_last_month): case supervision
-- and management-oversight records of local_case_supervision, with flags for the two measures. b19 counts
-- CASE_SUP; when an organisation records only MO, b19 falls back to MO with the flag 'mo_proxy' (decided in the
-- mart, which sees the whole month).
with

supervision as (
    select * from {{ ref('stg_local__case_supervision') }}
),

final as (
    select
        la_code,
        supervision_id,
        child_id,
        referral_id,
        supervision_date,
        supervisor_worker_id,
        case_worker_id,
        supervision_type,
        supervision_type = 'CASE_SUP' as is_case_supervision,
        supervision_type = 'MO' as is_management_oversight,
        load_id
    from supervision
)

select * from final
