{% macro sorted_distinct_list(column) %}
    {#- Aggregate: the distinct non-null values of a text column, sorted, joined with commas ('a,b,c'). -#}
    {{ return(adapter.dispatch('sorted_distinct_list', 'csc_warehouse')(column)) }}
{% endmacro %}

{% macro default__sorted_distinct_list(column) -%}
    string_agg(distinct {{ column }}, ',' order by {{ column }})
{%- endmacro %}

{% macro spark__sorted_distinct_list(column) -%}
    {#- Spark has no string_agg ... order by: sort the set of values, then join. Empty (not null) over no rows,
        so a null-if-empty keeps the other engines' null for a group without values. -#}
    nullif(array_join(array_sort(collect_set({{ column }})), ','), '')
{%- endmacro %}
