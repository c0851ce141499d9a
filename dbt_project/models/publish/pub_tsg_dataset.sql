-- The monthly TSG dataset (contract enforced: the dashboard's API): one row per (la_code, kpi_id, period_end,
-- grain, grain_key) at the period end `as_of`, with its target, previous value and RAG from the KPI register.
-- Company grain. Placement and compliance indicators at the month value of the period: the
-- 'month' window of a flow, the 'month_end' snapshot of a snapshot measure (YTD, rolling-12-month and weekly
-- values stay in fct_compliance_indicators: the register has no published variant of them); finance indicators
-- at company grain, their value in the register's unit (fct_finance_indicators).
with

placement_indicators as (
    -- Company grain at the month-end snapshot (or a flow's month); NO_DATA with the source flag when a required
    -- non-903 table is missing (the ONSPD for b11, ssd_care_leavers for b10, 903 UASC).
    select
        la_code,
        kpi_id,
        period_start,
        period_end,
        numerator,
        denominator,
        value,
        source_load_ids,
        required_sources_delivered,
        data_quality_flag as source_flag
    from {{ ref('fct_placement_indicators') }}
    where grain = 'company' and measure_window in ('month', 'month_end')
),

compliance_indicators as (
    -- Counts publish no denominator (as the placement counts); a KPI whose required source is missing in the
    -- month's delivery is NO_DATA with the source flag (input contract §9.3).
    select
        la_code,
        kpi_id,
        period_start,
        period_end,
        numerator,
        case when unit = '%' then denominator end as denominator,
        value,
        source_load_ids,
        required_sources_delivered,
        data_quality_flag as source_flag
    from {{ ref('fct_compliance_indicators') }}
    where grain = 'company' and measure_window in ('month', 'month_end')
),

workforce_indicators as (
    -- The window each workforce KPI is published at (is_published_window: month end, the month, b22's rolling 12
    -- months, the short-term absence YTD). Its exact amounts (FTE, FTE-weighted days, average headcount) stay in
    -- fct_workforce_indicators; the dataset's whole-number n columns carry them rounded half-up.
    select
        la_code,
        kpi_id,
        period_start,
        period_end,
        cast({{ round_half_up('numerator', 0) }} as integer) as numerator,
        case when unit = '%' then cast({{ round_half_up('denominator', 0) }} as integer) end as denominator,
        value,
        source_load_ids,
        required_sources_delivered,
        data_quality_flag as source_flag
    from {{ ref('fct_workforce_indicators') }}
    where grain = 'company' and is_published_window
),

caseload_indicators as (
    -- Caseload indicators (marts/caseload) at the month-end snapshot. An average caseload (unit 'cases') publishes
    -- its case count as the numerator and no denominator: the publication gates require numerator <= denominator,
    -- a rule for shares; the worker headcount or FTE stays in fct_caseload_indicators.
    select
        la_code,
        kpi_id,
        period_start,
        period_end,
        numerator,
        case when unit = '%' then cast(denominator as integer) end as denominator,
        value,
        source_load_ids,
        required_sources_delivered,
        data_quality_flag as source_flag
    from {{ ref('fct_caseload_indicators') }}
    where grain = 'company' and measure_window = 'month_end'
),

finance_indicators as (
    -- Company grain. Money, FTE and variances are not counts: no numerator or denominator is published (a
    -- variance may be negative); the value is in the register's unit. NO_DATA when a required finance table is
    -- missing from the month's delivery (input contract §9.3).
    select
        la_code,
        kpi_id,
        period_start,
        period_end,
        cast(null as integer) as numerator,
        cast(null as integer) as denominator,
        value,
        source_load_ids,
        required_sources_delivered,
        data_quality_flag as source_flag
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
),

colours as (
    select * from {{ ref('ref_rag_colours') }}
),

this_period as (
    select * from indicators
    where period_end = {{ as_of_date() }}
),

previous_period as (
    -- The same indicator (and window: month or month end) at the previous month end, computed from the same
    -- staged data; null after a NO_DATA month (input contract §9.3 item 4).
    select
        la_code,
        kpi_id,
        value as prev_value
    from indicators
    where period_end = {{ add_days(month_start(as_of_date()), -1) }}
),

register_rows_in_force as (
    -- The register rows for the TSG dataset at company grain, valid on the period end; a row naming this
    -- organisation (grain_key) beats the generic one.
    select
        this_period.la_code,
        register.*,
        row_number() over (
            partition by this_period.la_code, register.kpi_id
            order by case when register.grain_key is null then 1 else 0 end, register.valid_from desc
        ) as preference
    from this_period
    inner join register
        on
            this_period.kpi_id = register.kpi_id
            and register.grain = 'company'
            and (register.grain_key is null or this_period.la_code = register.grain_key)
            and register.valid_from <= {{ as_of_date() }}
            and (register.valid_to is null or register.valid_to >= {{ as_of_date() }})
    where register.publish_tsg
),

rated as (
    select
        this_period.la_code,
        this_period.kpi_id,
        targets.kpi_name,
        targets.definition_version,
        this_period.period_start,
        this_period.period_end,
        this_period.numerator,
        this_period.denominator,
        this_period.value,
        targets.unit,
        targets.target,
        targets.tolerance,
        targets.direction,
        previous_period.prev_value,
        targets.scheme,
        this_period.source_load_ids,
        this_period.required_sources_delivered,
        this_period.source_flag,
        case
            when not this_period.required_sources_delivered then 'NO_DATA'
            else {{ rag_state(
                'this_period.value', 'targets.target', 'targets.tolerance', 'targets.direction',
                'previous_period.prev_value', 'targets.precision'
            ) }}
        end as rag_state
    from this_period
    inner join register_rows_in_force as targets
        on
            this_period.la_code = targets.la_code
            and this_period.kpi_id = targets.kpi_id
            and targets.preference = 1
    left join previous_period
        on
            this_period.la_code = previous_period.la_code
            and this_period.kpi_id = previous_period.kpi_id
),

final as (
    select
        cast(rated.la_code as varchar) as la_code,
        cast(rated.kpi_id as varchar) as kpi_id,
        cast(rated.kpi_name as varchar) as kpi_name,
        cast(rated.definition_version as varchar) as definition_version,
        cast(rated.period_start as date) as period_start,
        cast(rated.period_end as date) as period_end,
        cast(rated.period_end as date) as snapshot_date,
        cast('company' as varchar) as grain,
        cast(rated.la_code as varchar) as grain_key,
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
        coalesce(rated.denominator < 10, false) as low_n_flag,
        -- The source notes, then 'no_prior' when there is no previous value (§2.5 A5); a NO_DATA row for a
        -- missing source carries only the source flag (§9.3), as it is not rated.
        cast(
            case
                when not rated.required_sources_delivered then rated.source_flag
                when rated.prev_value is null then coalesce(rated.source_flag || ',', '') || 'no_prior'
                else rated.source_flag
            end as varchar
        ) as data_quality_flag,
        cast(rated.source_load_ids as varchar) as source_load_ids
    from rated
    left join colours
        on
            rated.scheme = colours.scheme
            and rated.rag_state = colours.rag_state
)

select * from final
