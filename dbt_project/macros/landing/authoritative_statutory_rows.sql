{#
    authoritative_statutory_rows(relation, key_columns, ledger_table_name=none)

    The rows of a landed statutory-return table (SSDA903 CSV, CIN census XML) that are authoritative at the period
    end `as_of` (input contract §0.7, §1.1.3, §1.2.3), as a subquery for a staging model:
      1. only deliveries received for months up to the period end (a backfill sees what a run then would have seen);
      2. a delivery is a full refresh of its collection year: per organisation and collection year, the latest
         reporting month's rows replace earlier ones (history files carry the month of 31 March of their year);
      3. the same key in several collection years: the latest year wins for every column, so an episode or a CIN
         referral open across 1 April takes the later year's end date and reason.

    Arguments:
      relation           a CTE or relation with the landing metadata columns la_code, reporting_month, collection_year.
      key_columns        the record's key within an organisation (list of column names). Passing a parent key instead
                         (e.g. ['assessment_key'] for assessment factors) makes the latest year's SET of rows win for
                         that parent.
      ledger_table_name  optional ledger `table_name` (e.g. 'cin'). When given, every landed load of that table in the
                         ledger counts as a delivery in step 2, so a later file holding no row of this table (a CIN file
                         without any CP plan) still replaces the earlier month's rows. Without it (the SSDA903 tables,
                         unchanged) only months that have rows count.
    Output: every column of `relation`, plus latest_reporting_month and latest_collection_year (helpers the staging
    model does not select). All files of the chosen delivery are kept: a duplicated key is left for the uniqueness
    test to catch rather than dropped silently.
#}

{% macro authoritative_statutory_rows(relation, key_columns, ledger_table_name=none) -%}
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
                {%- if ledger_table_name is none %}
                max(landed.reporting_month) over (
                    partition by landed.la_code, landed.collection_year
                ) as latest_reporting_month
                {%- else %}
                greatest(
                    max(landed.reporting_month) over (partition by landed.la_code, landed.collection_year),
                    coalesce(ledger_deliveries.latest_ledger_month, '')
                ) as latest_reporting_month
                {%- endif %}
            from {{ relation }} as landed
            {%- if ledger_table_name is not none %}
            left join (
                select
                    ledger.la_code,
                    ledger.collection_year,
                    max(ledger.reporting_month) as latest_ledger_month
                from {{ source('landing', 'load_ledger') }} as ledger
                where
                    ledger.table_name = '{{ ledger_table_name }}'
                    and ledger.outcome = 'landed'
                    and ledger.reporting_month <= {{ as_of_month() }}
                group by ledger.la_code, ledger.collection_year
            ) as ledger_deliveries
                on
                    landed.la_code = ledger_deliveries.la_code
                    and landed.collection_year = ledger_deliveries.collection_year
            {%- endif %}
            where landed.reporting_month <= {{ as_of_month() }}
        ) as delivered
        where delivered.reporting_month = delivered.latest_reporting_month
    ) as keyed
    where keyed.collection_year = keyed.latest_collection_year
{%- endmacro %}
