{#
    Datetimes of the CSV families land as UTC timestamps (input contract §0.5: local times are Europe/London). A
    working-day or calendar rule needs the day as the organisation lived it, so a contact received at 00:30 BST on
    1 July (23:30 UTC on 30 June) belongs to 1 July.
#}

{% macro local_date(timestamp_expression) %}
    {#- The Europe/London calendar date of a timestamp with time zone, as a DATE. -#}
    {{ return(adapter.dispatch('local_date', 'csc_warehouse')(timestamp_expression)) }}
{% endmacro %}

{% macro default__local_date(timestamp_expression) -%}
    {#- PostgreSQL and DuckDB (ICU) both convert timestamptz AT TIME ZONE to the local wall-clock timestamp. -#}
    cast(({{ timestamp_expression }}) at time zone 'Europe/London' as date)
{%- endmacro %}

{% macro spark__local_date(timestamp_expression) -%}
    {#- Spark timestamps are instants shown in the session time zone (UTC in the profiles): shift to London. -#}
    to_date(from_utc_timestamp({{ timestamp_expression }}, 'Europe/London'))
{%- endmacro %}
