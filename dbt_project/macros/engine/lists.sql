{% macro sorted_distinct_list(column) %}
    {#- Aggregate: the distinct non-null values of a text column, sorted, joined with commas ('a,b,c'). -#}
    {{ return(adapter.dispatch('sorted_distinct_list', 'csc_warehouse')(column)) }}
{% endmacro %}

{% macro default__sorted_distinct_list(column) -%}
    string_agg(distinct {{ column }}, ',' order by {{ column }})
{%- endmacro %}
