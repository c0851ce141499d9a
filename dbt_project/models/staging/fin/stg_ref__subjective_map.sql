-- ref_subjective_map (input contract §5): the organisation's subjective codes and their P&L group, as it stood at
-- the period end. A reference delivery is a full snapshot: the latest monthly delivery up to the period end wins;
-- an LA-level delivery (inbound/<la>/ref/, null reporting month) applies when no monthly one has been received.
with

source as (
    select * from {{ source('landing', 'ref_subjective_map') }}
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
        upper(trim(cast(subjective_code as varchar))) as subjective_code,
        cast(description as varchar) as subjective_description,
        cast(subjective_group as varchar) as subjective_group,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from deliveries_ranked
    where delivery_rank = 1
)

select * from final
