-- The placement indicators of each organisation at each of the 13 period ends: one row per (la_code, kpi_id,
-- period_end) with numerator, denominator and value (kpi-catalogue b08, b24, b24b, s_cla_count).
with

members as (
    select * from {{ ref('fct_placement_kpi_members') }}
),

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

organisations as (
    -- Every organisation with staged episodes gets every indicator at every period end, even with no CLA then.
    -- The figures are built from the staged episodes, so their loads are the figures' sources.
    select
        la_code,
        {{ sorted_distinct_list('load_id') }} as source_load_ids
    from episodes
    group by la_code
),

indicator_definitions as (
    -- Unit and display precision of each indicator (kpi-catalogue §2.4: 1 decimal for %, 0 for counts).
    -- A data test checks these agree with the seed ref_kpi_targets.
    select
        definitions.kpi_id,
        definitions.unit,
        definitions.value_precision
    from (
        values
        ('s_cla_count', 'count', 0),
        ('b08_cla_3plus_placements_12m', '%', 1),
        ('b24_inhouse_foster_pct', '%', 1),
        ('b24b_inhouse_share_of_fostered', '%', 1)
    ) as definitions (kpi_id, unit, value_precision)
),

counted as (
    select
        la_code,
        kpi_id,
        period_end,
        count(case when in_numerator then 1 end) as numerator_count,
        count(case when in_denominator then 1 end) as denominator_count
    from members
    group by la_code, kpi_id, period_end
),

filled as (
    select
        organisations.la_code,
        indicator_definitions.kpi_id,
        periods.period_end,
        periods.period_start,
        indicator_definitions.unit,
        indicator_definitions.value_precision,
        organisations.source_load_ids,
        coalesce(counted.numerator_count, 0) as numerator_count,
        coalesce(counted.denominator_count, 0) as denominator_count
    from organisations
    cross join indicator_definitions
    cross join periods
    left join counted
        on
            organisations.la_code = counted.la_code
            and indicator_definitions.kpi_id = counted.kpi_id
            and periods.period_end = counted.period_end
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        period_end,
        period_start,
        cast(numerator_count as integer) as numerator,
        case when unit = '%' then cast(denominator_count as integer) end as denominator,
        case
            when unit = '%' then {{ percent_half_up('numerator_count', 'denominator_count', 1) }}
            else cast(numerator_count as numeric(18, 1))
        end as value,
        cast(unit as varchar) as unit,
        cast(value_precision as integer) as value_precision,
        cast(source_load_ids as varchar) as source_load_ids
    from filled
)

select * from final
