{#
    The rows of a landed SSDA903 table that are authoritative at the period end `as_of` (input contract §0.7,
    §1.1.3), as a subquery for a staging model: the statutory-return rule of
    macros/landing/authoritative_statutory_rows.sql (latest delivery per collection year up to `as_of`, then the
    latest collection year per key), with deliveries read from the table's own rows only.
    `relation` is a CTE or relation name; `key_columns` the table's primary key within an organisation.
#}

{% macro authoritative_903_rows(relation, key_columns) -%}
    {{ authoritative_statutory_rows(relation, key_columns) }}
{%- endmacro %}
