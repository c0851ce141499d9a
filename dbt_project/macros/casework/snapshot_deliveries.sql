{#
    snapshot_deliveries(relation, table_name)

    The rows of a landed snapshot-only table (input contract §0.7: ssd_department, ssd_professionals,
    ssd_care_leavers, ssd_immigration_status, ssd_address...) as a subquery for a staging model. EVERY delivery up to
    the period end `as_of` is kept as its own snapshot, so a past month can be recomputed from the snapshot it had.
      * only monthly deliveries with reporting_month <= the month of `as_of` (a backfill sees what a run then saw);
      * snapshot_date = the last day of the delivery's reporting month. The contract's snapshot date is the
        manifest's as_at_date, which is not landed; it defaults to that period end and may be at most 15 days
        later (§0.3), so the period end is the date the snapshot describes for monthly reporting;
      * is_latest_snapshot = the row belongs to the organisation's latest delivery of the table up to `as_of`. A
        delivery is a month with rows of the table or a landed ledger load of it (`table_name`, the contract name),
        so a header-only file ("zero records", §0.4) is the latest snapshot and leaves no current row.
    All files of one delivery are kept (the parts of a table are one snapshot).
    `relation` is a CTE or relation holding the landed rows (data columns plus load metadata).
#}

{% macro snapshot_deliveries(relation, table_name) -%}
    select
        delivered.*,
        {{ add_days(add_months("cast(delivered.reporting_month || '-01' as date)", 1), -1) }} as snapshot_date,
        coalesce(delivered.reporting_month = latest_delivery.reporting_month, false) as is_latest_snapshot
    from {{ relation }} as delivered
    left join (
        -- One row per organisation: its latest delivery month of the table up to the period end.
        select
            deliveries.la_code,
            max(deliveries.reporting_month) as reporting_month
        from (
            select
                ledger.la_code,
                ledger.reporting_month
            from {{ source('landing', 'load_ledger') }} as ledger
            where ledger.table_name = '{{ table_name }}' and ledger.outcome = 'landed'
            union all
            select
                landed.la_code,
                landed.reporting_month
            from {{ relation }} as landed
        ) as deliveries
        where deliveries.reporting_month <= {{ as_of_month() }}
        group by deliveries.la_code
    ) as latest_delivery
        on delivered.la_code = latest_delivery.la_code
    where
        delivered.reporting_month is not null
        and delivered.reporting_month <= {{ as_of_month() }}
{%- endmacro %}
