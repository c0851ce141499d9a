{#
    Date arithmetic that differs between engines. Both return a DATE (not a timestamp), so models can compare
    and join on the result directly.
#}

{% macro add_months(date_expression, months) %}
    {#- Calendar months, clamped to the month end: 2024-03-31 - 1 month = 2024-02-29 (kpi-catalogue §0.3). -#}
    {{ return(adapter.dispatch('add_months', 'csc_warehouse')(date_expression, months)) }}
{% endmacro %}

{% macro default__add_months(date_expression, months) -%}
    cast(({{ date_expression }}) + interval '1 month' * ({{ months }}) as date)
{%- endmacro %}

{% macro duckdb__add_months(date_expression, months) -%}
    cast(({{ date_expression }}) + to_months(cast({{ months }} as integer)) as date)
{%- endmacro %}


{% macro add_days(date_expression, days) %}
    {#- Whole days; date + integer is a DATE on PostgreSQL and DuckDB, other engines may need their own. -#}
    {{ return(adapter.dispatch('add_days', 'csc_warehouse')(date_expression, days)) }}
{% endmacro %}

{% macro default__add_days(date_expression, days) -%}
    cast(({{ date_expression }}) + ({{ days }}) as date)
{%- endmacro %}


{% macro month_start(date_expression) %}
    {#- The first day of the month of a date, as a DATE. -#}
    {{ return(adapter.dispatch('month_start', 'csc_warehouse')(date_expression)) }}
{% endmacro %}

{% macro default__month_start(date_expression) -%}
    cast(date_trunc('month', {{ date_expression }}) as date)
{%- endmacro %}

{#- Spark: add_months clamps to the month end like the others; date_add keeps a DATE (date + integer is not
    portable across Spark versions); trunc(date, 'MM') returns a DATE where date_trunc returns a timestamp. -#}
{% macro spark__add_months(date_expression, months) -%}
    add_months(cast({{ date_expression }} as date), cast({{ months }} as integer))
{%- endmacro %}

{% macro spark__add_days(date_expression, days) -%}
    date_add(cast({{ date_expression }} as date), cast({{ days }} as integer))
{%- endmacro %}

{% macro spark__month_start(date_expression) -%}
    trunc(cast({{ date_expression }} as date), 'MM')
{%- endmacro %}


{% macro iso_day_of_week(date_expression) %}
    {#- ISO day of the week as an integer, Monday 1 ... Sunday 7. -#}
    {{ return(adapter.dispatch('iso_day_of_week', 'csc_warehouse')(date_expression)) }}
{% endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    cast(extract(dayofweek_iso from {{ date_expression }}) as integer)
{%- endmacro %}


{% macro iso_year(date_expression) %}
    {#- The ISO week-numbering year (2024-12-30 is in ISO year 2025), as an integer. -#}
    {{ return(adapter.dispatch('iso_year', 'csc_warehouse')(date_expression)) }}
{% endmacro %}

{% macro default__iso_year(date_expression) -%}
    cast(extract(isoyear from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_year(date_expression) -%}
    cast(extract(yearofweek from {{ date_expression }}) as integer)
{%- endmacro %}


{% macro days_between(start_date, end_date) %}
    {#- Whole days from start_date to end_date (negative when end is earlier), an integer. date - date is that on
        DuckDB and PostgreSQL; on Spark it is an INTERVAL, so Spark counts with datediff. -#}
    {{ return(adapter.dispatch('days_between', 'csc_warehouse')(start_date, end_date)) }}
{% endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    ({{ end_date }}) - ({{ start_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
