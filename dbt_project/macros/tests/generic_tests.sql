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


{% test dates_in_order(model, start_column, end_column, allow_equal=true, column_name=none) %}
    {#- Where both dates are present, the end is not before the start (strictly after it when allow_equal is false).
        Returns the rows that break the order; a null date never fails (open records). -#}
    select *
    from {{ model }}
    where
        {{ start_column }} is not null
        and {{ end_column }} is not null
        and {{ end_column }} {{ '<' if allow_equal else '<=' }} {{ start_column }}
{% endtest %}


{% test relationships_within_la(model, column_name, to, field, to_condition=none) %}
    {#- Every non-null value of the column exists in `to`.`field` for the SAME la_code (ids are unique only within
        an organisation, input contract §0.9). `to_condition` restricts the parent rows (e.g. the latest snapshot).
        Returns the orphan rows. -#}
    select child_rows.*
    from {{ model }} as child_rows
    where
        child_rows.{{ column_name }} is not null
        and not exists (
            select 1
            from {{ to }} as parent_rows
            where
                parent_rows.la_code = child_rows.la_code
                and parent_rows.{{ field }} = child_rows.{{ column_name }}
                {%- if to_condition %}
                and ({{ to_condition }})
                {%- endif %}
        )
{% endtest %}


{% test columns_not_null(model, column_names) %}
    {#- None of these columns holds a null: one test node per model instead of one `not_null` per column (each dbt
        test node costs about 25 ms of CPU whatever its size, docs/benchmarks.md "Nightly build CPU"). One pass over
        the table counts the nulls of every column, then the single aggregated row is unpivoted with `union all`
        (plain ANSI SQL, the same on DuckDB, PostgreSQL and Spark). A failure returns one row per column that holds
        nulls, naming it: column_name, null_rows. -#}
    with null_counts as (
        select
            {%- for column_name in column_names %}
            count(*) - count({{ column_name }}) as null_rows_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ model }}
    ),

    per_column as (
        {%- for column_name in column_names %}
        select
            '{{ column_name }}' as column_name,
            null_rows_{{ loop.index }} as null_rows
        from null_counts
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )

    select
        column_name,
        null_rows
    from per_column
    where null_rows > 0
{% endtest %}
