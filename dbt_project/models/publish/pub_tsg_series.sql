-- The TSG indicators over the 13 period ends ending `as_of`, at company and service grain, rated as the dataset
-- is (register in force on each period end, previous month of the same definition version): the dashboard's
-- 13-month trend charts and service breakdowns, and the publication gate's service-to-company reconciliation.
-- pub_tsg_dataset stays the month's figures of record; the gate checks that this model's company rows at `as_of`
-- agree with it. An area that adds a block to pub_tsg_dataset adds the same block here (all period ends, company
-- and any service rows); until it does, its tiles show no trend and the gate warns.
with

placement_indicators as (
    -- Company grain (the placement-category rows are a breakdown by type, not by service).
    select
        la_code,
        kpi_id,
        period_end,
        grain,
        grain_key,
        numerator,
        denominator,
        value,
        required_sources_delivered
    from {{ ref('fct_placement_indicators') }}
    where grain = 'company' and measure_window in ('month', 'month_end')
),

compliance_indicators as (
    select
        la_code,
        kpi_id,
        period_end,
        grain,
        grain_key,
        numerator,
        case when unit = '%' then denominator end as denominator,
        value,
        required_sources_delivered
    from {{ ref('fct_compliance_indicators') }}
    where grain in ('company', 'service') and measure_window in ('month', 'month_end')
),

workforce_indicators as (
    -- The published window of each workforce KPI (as pub_tsg_dataset), whole-number counts rounded half-up.
    -- Company grain only: the amounts are FTE and FTE-weighted days, so service figures rounded one by one need
    -- not add up to the rounded company figure and would trip the gate's service-to-company reconciliation; the
    -- service breakdown stays exact in marts.fct_workforce_indicators.
    select
        la_code,
        kpi_id,
        period_end,
        grain,
        grain_key,
        cast({{ round_half_up('numerator', 0) }} as integer) as numerator,
        case when unit = '%' then cast({{ round_half_up('denominator', 0) }} as integer) end as denominator,
        value,
        required_sources_delivered
    from {{ ref('fct_workforce_indicators') }}
    where grain = 'company' and is_published_window
),

caseload_indicators as (
    -- Month-end averages publish the case count and no denominator (as pub_tsg_dataset).
    select
        la_code,
        kpi_id,
        period_end,
        grain,
        grain_key,
        numerator,
        case when unit = '%' then cast(denominator as integer) end as denominator,
        value,
        required_sources_delivered
    from {{ ref('fct_caseload_indicators') }}
    where grain in ('company', 'service') and measure_window = 'month_end'
),

finance_indicators as (
    -- Money, FTE and variances: the value only (as pub_tsg_dataset).
    select
        la_code,
        kpi_id,
        period_end,
        grain,
        grain_key,
        cast(null as integer) as numerator,
        cast(null as integer) as denominator,
        value,
        required_sources_delivered
    from {{ ref('fct_finance_indicators') }}
    where grain = 'company'
),

indicators as (
    select * from placement_indicators
    union all
    select * from compliance_indicators
    union all
    select * from workforce_indicators
    union all
    select * from caseload_indicators
    union all
    select * from finance_indicators
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
    where publish_tsg
),

colours as (
    select * from {{ ref('ref_rag_colours') }}
),

targeted as (
    -- The register row in force on each period end: a service's own row (grain 'service', grain_key = the
    -- service) first, then this organisation's company row, then the generic company row.
    select
        indicators.*,
        register.unit,
        register.precision,
        register.target,
        register.tolerance,
        register.direction,
        register.scheme,
        register.impact_from,
        register.definition_version,
        row_number() over (
            partition by
                indicators.la_code, indicators.kpi_id, indicators.period_end, indicators.grain, indicators.grain_key
            order by
                case
                    when register.grain = 'service' then 0
                    when register.grain_key is not null then 1
                    else 2
                end,
                register.valid_from desc
        ) as preference
    from indicators
    inner join register
        on
            indicators.kpi_id = register.kpi_id
            and indicators.period_end >= register.valid_from
            and (register.valid_to is null or indicators.period_end <= register.valid_to)
            and (
                (register.grain = 'company' and (register.grain_key is null or indicators.la_code = register.grain_key))
                or (
                    indicators.grain = 'service'
                    and register.grain = 'service'
                    and indicators.grain_key = register.grain_key
                )
            )
),

in_force as (
    select
        *,
        lag(value) over (
            partition by la_code, kpi_id, grain, grain_key order by period_end
        ) as lagged_value,
        lag(period_end) over (
            partition by la_code, kpi_id, grain, grain_key order by period_end
        ) as lagged_period_end,
        lag(definition_version) over (
            partition by la_code, kpi_id, grain, grain_key order by period_end
        ) as lagged_definition_version
    from targeted
    where preference = 1
),

compared as (
    -- The previous value counts only from the month just before, under the same definition version.
    select
        *,
        case
            when
                lagged_period_end = {{ add_days(month_start('period_end'), -1) }}
                and lagged_definition_version = definition_version
                then lagged_value
        end as prev_value
    from in_force
),

rated as (
    select
        *,
        case
            when not required_sources_delivered then 'NO_DATA'
            else {{ rag_state(
                'value', 'target', 'tolerance', 'direction', 'prev_value', 'precision',
                period_end='period_end', impact_from='impact_from'
            ) }}
        end as rag_state
    from compared
),

final as (
    select
        cast(rated.la_code as varchar) as la_code,
        cast(rated.kpi_id as varchar) as kpi_id,
        cast(rated.definition_version as varchar) as definition_version,
        cast(rated.period_end as date) as period_end,
        cast(rated.grain as varchar) as grain,
        cast(rated.grain_key as varchar) as grain_key,
        cast(rated.numerator as integer) as numerator,
        cast(rated.denominator as integer) as denominator,
        cast(rated.value as numeric(18, 1)) as value,
        cast(rated.unit as varchar) as unit,
        cast(rated.target as numeric(18, 1)) as target,
        cast(rated.tolerance as numeric(18, 1)) as tolerance,
        cast(rated.direction as varchar) as direction,
        cast(rated.prev_value as numeric(18, 1)) as prev_value,
        cast(rated.rag_state as varchar) as rag_state,
        cast(colours.rag_colour as varchar) as rag_colour,
        cast(rated.scheme as varchar) as rag_scheme,
        coalesce(rated.denominator < 10, false) as low_n_flag
    from rated
    left join colours
        on
            rated.scheme = colours.scheme
            and rated.rag_state = colours.rag_state
    where rated.period_end >= {{ add_months(month_start(as_of_date()), -12) }}
)

select * from final
