{#- The register's indicators of one mart area in force on `as_of` (the organisation-wide company row: an
    organisation's own or a service's row only changes the target, never the list), with their unit, display
    precision and kind (flow or snapshot). Every fct_<area>_indicators model takes its list of KPIs from here, so a
    KPI is added or retired by a row of seeds/ref_kpi_targets.csv. `register` is the relation (or CTE) holding it. -#}
{% macro kpis_in_force(register, mart_area) %}
    select
        kpi_id,
        unit,
        value_precision,
        measure_kind
    from (
        select
            kpi_id,
            unit,
            precision as value_precision,
            measure_kind,
            row_number() over (partition by kpi_id order by valid_from desc) as preference
        from {{ register }}
        where
            mart_area = '{{ mart_area }}'
            and grain = 'company'
            and grain_key is null
            and valid_from <= {{ as_of_date() }}
            and (valid_to is null or valid_to >= {{ as_of_date() }})
    ) as in_force
    where preference = 1
{% endmacro %}
