{#- Give PostgreSQL statistics on a table the moment dbt has built it. A table made by CREATE TABLE AS has none
    until autovacuum gets to it, so the planner takes every freshly built staging table and mart for a handful of
    rows and chooses nested loops that run for minutes on an organisation's data (fct_case_supervision took 731 s,
    fct_cla_review_timeliness 442 s). A project-wide post-hook; nothing on DuckDB, nothing for a view. -#}
{% macro analyze_after_build() %}
    {{ return(adapter.dispatch('analyze_after_build', 'csc_warehouse')()) }}
{% endmacro %}

{% macro default__analyze_after_build() %}{% endmacro %}

{% macro postgres__analyze_after_build() %}
    {%- if model.config.materialized in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{% endmacro %}
