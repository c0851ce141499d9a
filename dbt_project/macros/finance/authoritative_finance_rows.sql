{#
    authoritative_finance_rows(relation, key_columns, table_name, record_fy_start_year)

    The rows of a landed finance table that are authoritative at the period end `as_of` (input contract §0.7: a
    finance delivery is a full refresh of the current and previous financial year), as a subquery for a staging
    model. The same three rules as macros/landing/authoritative_event_rows.sql, with the finance window:
      1. only deliveries received for months up to the period end are read;
      2. a key's row comes from the latest delivery that holds the key;
      3. that row is dropped (deleted at source) when a LATER delivery covered the record but no longer holds it.
    A delivery is any month with rows of the table or a landed ledger load of it, so a header-only file deletes
    its whole window.

    Window: the as_at_date is not landed, so it is taken at its latest allowed value, period end + 15 days (§0.3);
    the window then starts on 1 April of the financial year before that date's. For reporting months April to
    February that is the previous year's 1 April; a March delivery (as_at possibly in April) is only taken to cover
    its own year. The cut-off is never earlier than the true window start: a record the delivery was not obliged
    to hold is never taken as deleted.

    Arguments:
      relation              a CTE or relation with the landing metadata columns la_code and reporting_month.
      key_columns           the record's key within an organisation (list of column names).
      table_name            the contract table name as the ledger records it (e.g. 'fin_ledger').
      record_fy_start_year  SQL integer expression over the relation's columns (alias `landed`): the calendar year
                            of the 1 April starting the financial year of the record's LAST day; null while it is
                            open (always covered).
#}

{% macro authoritative_finance_rows(relation, key_columns, table_name, record_fy_start_year) -%}
    select candidate.*
    from (
        select
            landed.*,
            {{ record_fy_start_year }} as window_record_fy_start_year,
            max(landed.reporting_month) over (
                partition by landed.la_code{% for column in key_columns %}, landed.{{ column }}{% endfor %}
            ) as latest_delivery_month
        from {{ relation }} as landed
        where landed.reporting_month <= {{ as_of_month() }}
    ) as candidate
    where
        candidate.reporting_month = candidate.latest_delivery_month
        and not exists (
            select 1
            from (
                select
                    ledger.la_code,
                    ledger.reporting_month
                from {{ source('landing', 'load_ledger') }} as ledger
                where ledger.table_name = '{{ table_name }}' and ledger.outcome = 'landed'
                union
                select
                    delivered.la_code,
                    delivered.reporting_month
                from {{ relation }} as delivered
            ) as later_delivery
            where
                later_delivery.la_code = candidate.la_code
                and later_delivery.reporting_month > candidate.reporting_month
                and later_delivery.reporting_month <= {{ as_of_month() }}
                and (
                    candidate.window_record_fy_start_year is null
                    or candidate.window_record_fy_start_year
                    >= {{ finance_window_first_fy('later_delivery.reporting_month') }}
                )
        )
{%- endmacro %}


{% macro finance_window_first_fy(reporting_month) -%}
    {#- The start year of the first financial year a delivery of `reporting_month` ('YYYY-MM') certainly covers:
        the year before the financial year of (month end + 15 days). March + 15 days is in April, so March
        counts as the next financial year's first month here. -#}
    (cast(substr({{ reporting_month }}, 1, 4) as integer)
        - case when cast(substr({{ reporting_month }}, 6, 2) as integer) >= 3 then 0 else 1 end - 1)
{%- endmacro %}


{% macro fy_start_year(fy_text) -%}
    {#- 'YYYY-YY' -> YYYY, the calendar year of the 1 April the financial year starts on. -#}
    cast(substr({{ fy_text }}, 1, 4) as integer)
{%- endmacro %}


{% macro date_fy_start_year(date_expression) -%}
    {#- The start year of the financial year a date falls in (1 April - 31 March). -#}
    (cast(extract(year from {{ date_expression }}) as integer)
        - case when extract(month from {{ date_expression }}) < 4 then 1 else 0 end)
{%- endmacro %}


{% macro days_overlapping(start_date, end_date_exclusive, window_start, window_end_exclusive) -%}
    {#- Whole days in both [start, end) and [window_start, window_end), 0 when they do not meet. The arguments
        must not be null (coalesce an open end to the window end first). -#}
    greatest(
        0,
        {{ days_between(
            'greatest(' ~ start_date ~ ', ' ~ window_start ~ ')',
            'least(' ~ end_date_exclusive ~ ', ' ~ window_end_exclusive ~ ')'
        ) }}
    )
{%- endmacro %}
