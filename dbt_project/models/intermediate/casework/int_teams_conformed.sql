-- cs_team (input contract §2.2, §7): the organisation's teams per ssd_department snapshot, with the TSG service
-- grain (kpi-catalogue §0.4: CLA&SS includes the Children with Disabilities and Care Leavers teams, so CWD and CL
-- roll up to CLASS), the front-door flag and the team's validity on its snapshot date.
with

departments as (
    select * from {{ ref('stg_ssd__departments') }}
),

final as (
    select
        la_code,
        snapshot_date,
        is_latest_snapshot,
        team_id,
        team_name,
        parent_team_id,
        parent_team_name,
        service_code,
        case
            when service_code in ('CWD', 'CL') then 'CLASS'
            else service_code
        end as tsg_service_code,
        coalesce(is_front_door, false) as is_front_door,
        cost_centre,
        valid_from,
        valid_to,
        -- Valid on date d like everything open on d (kpi-catalogue §0.2): from <= d and (to is null or to > d).
        (valid_from is null or valid_from <= snapshot_date)
        and (valid_to is null or valid_to > snapshot_date) as is_valid_on_snapshot_date,
        load_id
    from departments
)

select * from final
