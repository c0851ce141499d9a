{#
    Small generic tests (dbt hub packages such as dbt_utils cannot be installed here). Each returns the rows that
    break the rule, so an empty result passes.
#}

{% test unique_combination_of_columns(model, combination_of_columns) %}
    {#- No two rows share the same values in these columns. -#}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}


{% test expression_is_true(model, expression, column_name=none) %}
    {#- Every row satisfies the boolean SQL expression; null counts as false. Restrict rows with config `where`. -#}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}


{% test not_empty(model) %}
    {#- The relation has at least one row (an empty Header or Episodes table blocks publication, input contract §9.1). -#}
    select 'no rows' as problem
    from (select count(*) as row_count from {{ model }}) as counted
    where counted.row_count = 0
{% endtest %}
