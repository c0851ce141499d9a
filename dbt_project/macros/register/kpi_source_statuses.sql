{#- Whether each KPI of an area has the sources it needs, per organisation and period end (input contract §8,
    §9.3), as the CTEs `table_statuses`, `requirements`, `flags`, `source_loads`, `blocking_flags`, `note_flags` and
    `kpi_sources` of the calling model (call it inside its `with`, after a comma; it ends without one).
    The caller defines the CTEs `source_tables` (seeds/ref_kpi_source_tables), `deliveries`
    (int_source_tables_delivered), `ledger` (landed loads), `organisations`, the area's KPIs in force (`kpis`,
    macros/register/kpis_in_force.sql) and its period ends (`periods`, with a `period_end` column).
    kpi_sources has one row per (la_code, period_end, kpi_id): required_sources_delivered (false makes the figure
    NO_DATA), data_quality_flag (the blocking flags, or else the notes) and source_load_ids (the figure's lineage to
    the ledger; `extra_loads`, a CTE of (la_code, period_end, kpi_id, load_id), adds loads every figure reads
    beyond its listed tables, e.g. the placements' staged 903 episodes). One rule for every fct_<area>_indicators model, so a KPI reads as NO_DATA for the same reasons in
    every area. -#}
{% macro kpi_source_statuses(kpis, periods, extra_loads=none) %}
table_statuses as (
    -- Each table each KPI needs, per organisation and month: its delivery status (a table the warehouse does not
    -- read, e.g. an enrichment source not staged yet, is absent).
    select
        organisations.la_code,
        {{ periods }}.period_end,
        source_tables.kpi_id,
        source_tables.table_name,
        source_tables.need,
        source_tables.requirement,
        source_tables.flag_when_absent,
        deliveries.reporting_month,
        deliveries.input_family,
        deliveries.ledger_table_name,
        coalesce(deliveries.delivery_status, 'absent') as delivery_status,
        case
            when deliveries.table_name is null then 'source_absent:' || source_tables.table_name
            else deliveries.data_quality_flag
        end as delivery_flag
    from source_tables
    inner join {{ kpis }}
        on source_tables.kpi_id = {{ kpis }}.kpi_id
    cross join organisations
    cross join {{ periods }}
    left join deliveries
        on
            organisations.la_code = deliveries.la_code
            and {{ periods }}.period_end = deliveries.period_end
            and source_tables.table_name = deliveries.table_name
),

requirements as (
    -- A requirement (one required table, or alternatives sharing a label, e.g. the CIN census or ssd_cp_plans)
    -- is met when one of its tables was delivered, even empty or partly rejected; it is clean when one landed.
    select
        la_code,
        period_end,
        kpi_id,
        requirement,
        max(case when delivery_status in ('landed', 'empty', 'partly_rejected') then 1 else 0 end) as is_met,
        max(case when delivery_status = 'landed' then 1 else 0 end) as is_clean
    from table_statuses
    where need = 'required'
    group by la_code, period_end, kpi_id, requirement
),

flags as (
    -- The notes on a figure: every table of an unmet requirement (blocking: the figure is null); the empty or
    -- partly rejected tables a met but unclean requirement was computed from; the default an absent or empty
    -- enrichment source put in place (input contract §9.3 item 2).
    select
        table_statuses.la_code,
        table_statuses.period_end,
        table_statuses.kpi_id,
        table_statuses.delivery_flag as flag,
        true as is_blocking
    from table_statuses
    inner join requirements
        on
            table_statuses.la_code = requirements.la_code
            and table_statuses.period_end = requirements.period_end
            and table_statuses.kpi_id = requirements.kpi_id
            and table_statuses.requirement = requirements.requirement
    where table_statuses.need = 'required' and requirements.is_met = 0
    union all
    select
        table_statuses.la_code,
        table_statuses.period_end,
        table_statuses.kpi_id,
        table_statuses.delivery_flag as flag,
        false as is_blocking
    from table_statuses
    inner join requirements
        on
            table_statuses.la_code = requirements.la_code
            and table_statuses.period_end = requirements.period_end
            and table_statuses.kpi_id = requirements.kpi_id
            and table_statuses.requirement = requirements.requirement
    where
        table_statuses.need = 'required'
        and requirements.is_met = 1
        and requirements.is_clean = 0
        and table_statuses.delivery_status in ('empty', 'partly_rejected')
    union all
    select
        la_code,
        period_end,
        kpi_id,
        case
            when delivery_status = 'partly_rejected' then delivery_flag
            else flag_when_absent
        end as flag,
        false as is_blocking
    from table_statuses
    where need = 'enrichment' and delivery_status <> 'landed'
),

source_loads as (
    -- The landed loads of the month's delivery of the tables the KPI reads (LA-level reference files count for
    -- every month): the figure's lineage to the ledger.
    select
        la_code,
        period_end,
        kpi_id,
        {{ sorted_distinct_list('load_id') }} as source_load_ids
    from (
        select
            table_statuses.la_code,
            table_statuses.period_end,
            table_statuses.kpi_id,
            ledger.load_id
        from table_statuses
        inner join ledger
            on
                table_statuses.la_code = ledger.la_code
                and table_statuses.ledger_table_name = ledger.table_name
                and (
                    table_statuses.reporting_month = ledger.reporting_month
                    or (table_statuses.input_family = 'ref' and ledger.reporting_month is null)
                )
        {%- if extra_loads %}
            union all
            select
                la_code,
                period_end,
                kpi_id,
                load_id
            from {{ extra_loads }}
        {%- endif %}
    ) as loads
    group by la_code, period_end, kpi_id
),

blocking_flags as (
    select
        la_code,
        period_end,
        kpi_id,
        {{ sorted_distinct_list('flag') }} as flags
    from flags
    where is_blocking
    group by la_code, period_end, kpi_id
),

note_flags as (
    select
        la_code,
        period_end,
        kpi_id,
        {{ sorted_distinct_list('flag') }} as flags
    from flags
    where not is_blocking
    group by la_code, period_end, kpi_id
),

kpi_sources as (
    -- Per organisation, KPI and period end: are the required sources there, and the notes and loads to show.
    select
        organisations.la_code,
        {{ periods }}.period_end,
        {{ kpis }}.kpi_id,
        blocking_flags.kpi_id is null as required_sources_delivered,
        case
            when blocking_flags.kpi_id is null then note_flags.flags else blocking_flags.flags
        end as data_quality_flag,
        case when blocking_flags.kpi_id is null then source_loads.source_load_ids end as source_load_ids
    from organisations
    cross join {{ periods }}
    cross join {{ kpis }}
    left join blocking_flags
        on
            organisations.la_code = blocking_flags.la_code
            and {{ periods }}.period_end = blocking_flags.period_end
            and {{ kpis }}.kpi_id = blocking_flags.kpi_id
    left join note_flags
        on
            organisations.la_code = note_flags.la_code
            and {{ periods }}.period_end = note_flags.period_end
            and {{ kpis }}.kpi_id = note_flags.kpi_id
    left join source_loads
        on
            organisations.la_code = source_loads.la_code
            and {{ periods }}.period_end = source_loads.period_end
            and {{ kpis }}.kpi_id = source_loads.kpi_id
)
{% endmacro %}
