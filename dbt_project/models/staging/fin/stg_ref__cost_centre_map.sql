-- ref_cost_centre_map (input contract §5): the organisation's cost centres with their finance placement type (null
-- for a non-placement cost centre) and service, as it stood at the period end (latest delivery wins, as
-- stg_ref__subjective_map).
with

source as (
    select * from {{ source('landing', 'ref_cost_centre_map') }}
),

deliveries_ranked as (
    select
        *,
        dense_rank() over (
            partition by la_code
            order by coalesce(reporting_month, '0000-00') desc
        ) as delivery_rank
    from source
    where reporting_month is null or reporting_month <= {{ as_of_month() }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        cast(description as varchar) as cost_centre_description,
        cast(finance_placement_type as varchar) as finance_placement_type,
        cast(service_code as varchar) as service_code,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from deliveries_ranked
    where delivery_rank = 1
)

select * from final
