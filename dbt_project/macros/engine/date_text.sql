{% macro month_text(date_expression) %}
    {#- The 'YYYY-MM' month of a DATE, comparable with the landing reporting_month (text formatting differs between
        engines, and a plain cast to text depends on PostgreSQL's DateStyle). -#}
    {{ return(adapter.dispatch('month_text', 'csc_warehouse')(date_expression)) }}
{% endmacro %}

{% macro default__month_text(date_expression) -%}
    to_char({{ date_expression }}, 'YYYY-MM')
{%- endmacro %}

{% macro duckdb__month_text(date_expression) -%}
    strftime({{ date_expression }}, '%Y-%m')
{%- endmacro %}

{% macro spark__month_text(date_expression) -%}
    date_format({{ date_expression }}, 'yyyy-MM')
{%- endmacro %}
