{#
    The rows of a landed SSDA903 table that are authoritative at the period end `as_of` (input contract §0.7,
    §1.1.3), as a subquery for a staging model:
      1. only deliveries received for months up to the period end (a backfill sees what a run then would have seen);
      2. a delivery is a full refresh of its collection year: per organisation and year, the latest reporting
         month's files replace earlier ones;
      3. the same key in several collection years: the latest year wins for every column, so an episode open in
         year N and closed in year N+1 takes N+1's end date and reason.
    `relation` is a CTE or relation name; `key_columns` the table's primary key within an organisation.
#}

{% macro authoritative_903_rows(relation, key_columns) -%}
    select keyed.*
    from (
        select
            delivered.*,
            max(delivered.collection_year) over (
                partition by delivered.la_code{% for column in key_columns %}, delivered.{{ column }}{% endfor %}
            ) as latest_collection_year
        from (
            select
                landed.*,
                max(landed.reporting_month) over (
                    partition by landed.la_code, landed.collection_year
                ) as latest_reporting_month
            from {{ relation }} as landed
            where landed.reporting_month <= {{ as_of_month() }}
        ) as delivered
        where delivered.reporting_month = delivered.latest_reporting_month
    ) as keyed
    where keyed.collection_year = keyed.latest_collection_year
{%- endmacro %}
