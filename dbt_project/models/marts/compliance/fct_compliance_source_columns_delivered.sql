-- Source columns (not tables) two casework KPIs cannot do without, per organisation and period end, in the shape of
-- int_source_tables_delivered so the NO_DATA mechanism of fct_compliance_indicators can read them as pseudo-tables
-- named '<table>.<column>' (input contract §8, §9.3; docs/marts/compliance.md):
--   ssd_contacts.local_decision_datetime  b01's decision time (§9.3 item 3: its absence makes b01 NO_DATA).
--   local_case_supervision.case_sup       b19's CASE_SUP records (AM-13: with only MO recorded, b19 counts MO and
--                                         is flagged 'mo_proxy').
-- The extract layer lands a column a file lacks as nulls (the landed schema is the contract's), so absence is read
-- from the data: 'absent' when the month's delivery of the table landed with rows (landed or partly_rejected) but
-- the column says nothing - every contact of the latest delivery the b01 figures read has a null decision time; no
-- supervision record is CASE_SUP while some are MO. Otherwise 'landed': the column is there, or the table's own
-- status (absent, rejected, empty) already decides and is reported by int_source_tables_delivered.
-- The figures of every period end read the latest delivery up to `as_of` (full refresh inside the window), so the
-- column's presence is judged on it for every period end.
with

deliveries as (
    select * from {{ ref('int_source_tables_delivered') }}
    where table_name in ('ssd_contacts', 'local_case_supervision')
),

contacts as (
    select * from {{ ref('int_contacts_conformed') }}
),

supervision as (
    select * from {{ ref('int_case_supervision_conformed') }}
),

ledger as (
    select * from {{ ref('stg_landing__load_ledger') }}
),

contacts_by_delivery as (
    -- The contacts each delivery month supplies, and how many carry a decision time.
    select
        contacts.la_code,
        ledger.reporting_month,
        count(*) as contact_rows,
        count(contacts.decision_at) as decided_rows
    from contacts
    inner join ledger
        on
            contacts.la_code = ledger.la_code
            and contacts.load_id = ledger.load_id
    group by contacts.la_code, ledger.reporting_month
),

latest_contacts as (
    select ranked.*
    from (
        select
            *,
            row_number() over (partition by la_code order by reporting_month desc) as delivery_rank
        from contacts_by_delivery
    ) as ranked
    where ranked.delivery_rank = 1
),

supervision_kinds as (
    select
        la_code,
        sum(case when is_case_supervision then 1 else 0 end) as case_supervision_rows,
        sum(case when is_management_oversight then 1 else 0 end) as management_oversight_rows
    from supervision
    group by la_code
),

judged as (
    select
        deliveries.*,
        case
            when deliveries.table_name = 'ssd_contacts' then 'ssd_contacts.local_decision_datetime'
            else 'local_case_supervision.case_sup'
        end as column_table_name,
        deliveries.delivery_status in ('landed', 'partly_rejected')
        and case
            when deliveries.table_name = 'ssd_contacts'
                then coalesce(latest_contacts.contact_rows > 0 and latest_contacts.decided_rows = 0, false)
            else
                coalesce(
                    supervision_kinds.case_supervision_rows = 0 and supervision_kinds.management_oversight_rows > 0,
                    false
                )
        end as is_column_absent
    from deliveries
    left join latest_contacts
        on deliveries.la_code = latest_contacts.la_code
    left join supervision_kinds
        on deliveries.la_code = supervision_kinds.la_code
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_end as date) as period_end,
        cast(reporting_month as varchar) as reporting_month,
        cast(column_table_name as varchar) as table_name,
        cast(input_family as varchar) as input_family,
        cast(ledger_table_name as varchar) as ledger_table_name,
        cast(landed_loads as integer) as landed_loads,
        cast(rejected_loads as integer) as rejected_loads,
        cast(rows_landed as bigint) as rows_landed,
        cast(case when is_column_absent then 'absent' else 'landed' end as varchar) as delivery_status,
        cast(case when is_column_absent then 'source_absent:' || column_table_name end as varchar)
            as data_quality_flag
    from judged
)

select * from final
