{#
    authoritative_event_rows(relation, key_columns, table_name, record_date, window_months=36)

    The rows of a landed SSD or local event/episode table that are authoritative at the period end `as_of` (input
    contract §0.7 "full refresh inside a window", AM-21), as a subquery for a staging model. Each delivery of the
    table is a full refresh of the records inside its window; records entirely before that window are kept from the
    last earlier delivery that covered them. Rules, per organisation:
      1. only deliveries received for months up to the period end are read;
      2. a key's row comes from the latest delivery that holds the key (later values win for every column);
      3. that row is dropped (the record was deleted, e.g. recorded in error) when any LATER delivery of the table
         covered the record but no longer holds it. A delivery covers a record when the record is open
         (`record_date` null) or `record_date` is on or after the delivery's window start.
    A delivery is any month with rows of the table or a landed ledger load of it (`table_name`), so an empty file
    (header only: "zero records", §0.4) deletes every record of its window.

    Window start: the window is not landed (neither the `_delivery.json` as_at_date nor a window size reaches the
    landing area), so it is taken as the contract's minimum, `as_at_date - window_months` (36, §0.7), with as_at_date
    at its latest allowed value, period_end + 15 days (§0.3). The cut-off is then never earlier than the true window
    start: a record the delivery was not obliged to include is never taken as deleted. For reporting month 2025-02
    the window starts 2022-03-15.

    Arguments:
      relation       a CTE or relation with the landing metadata columns la_code and reporting_month.
      key_columns    the record's primary key within an organisation (list of column names).
      table_name     the contract table name, as the ledger records it (e.g. 'ssd_cin_episodes').
      record_date    SQL expression over the relation's columns (qualify them with the alias `landed` if needed,
                     e.g. 'landed.cine_close_date'): the record's LAST date, null while it is open (an episode's end
                     date; an event's own date; for undated rows null, i.e. always covered).
      window_months  the window length assumed (36 = the contract minimum).
    Output: every column of `relation`, plus window_record_date (the record_date value) and latest_delivery_month
    (the month the row comes from); the staging model does not select them.
#}

{% macro authoritative_event_rows(relation, key_columns, table_name, record_date, window_months=36) -%}
    {#- Rule 3 needs only the NEXT delivery after a row's own: a window's start never moves back as deliveries get
        later, so a record any later delivery covers is covered by the next one. Joining each row to its delivery's
        next one (a handful of rows per organisation) replaces a correlated scan of every later delivery. -#}
    select candidate.*
    from (
        select
            landed.*,
            {{ record_date }} as window_record_date,
            max(landed.reporting_month) over (
                partition by landed.la_code{% for column in key_columns %}, landed.{{ column }}{% endfor %}
            ) as latest_delivery_month
        from {{ relation }} as landed
        where landed.reporting_month <= {{ as_of_month() }}
    ) as candidate
    left join (
        select
            la_code,
            reporting_month,
            lead(reporting_month) over (partition by la_code order by reporting_month) as next_delivery_month
        from (
            select
                ledger.la_code,
                ledger.reporting_month
            from {{ source('landing', 'load_ledger') }} as ledger
            where
                ledger.table_name = '{{ table_name }}'
                and ledger.outcome = 'landed'
                and ledger.reporting_month <= {{ as_of_month() }}
            union
            select distinct
                delivered.la_code,
                delivered.reporting_month
            from {{ relation }} as delivered
            where delivered.reporting_month <= {{ as_of_month() }}
        ) as deliveries
    ) as next_delivery
        on
            candidate.la_code = next_delivery.la_code
            and candidate.reporting_month = next_delivery.reporting_month
    where
        candidate.reporting_month = candidate.latest_delivery_month
        and not coalesce(
            next_delivery.next_delivery_month is not null
            and (
                candidate.window_record_date is null
                or candidate.window_record_date
                >= {{ event_window_start('next_delivery.next_delivery_month', window_months) }}
            ),
            false
        )
{%- endmacro %}


{% macro event_window_start(reporting_month, window_months=36) -%}
    {#- The first date a delivery of `reporting_month` ('YYYY-MM') certainly covers: the 15th of the month
        (window_months - 1) months before it, = (month end + 15 days) - window_months, with no month-end clamping. -#}
    {{ add_days(add_months("cast(" ~ reporting_month ~ " || '-01' as date)", 1 - window_months), 14) }}
{%- endmacro %}
