-- Which landed tables each organisation's delivery held, per reporting month of the 13 months ending at `as_of`
-- (input contract §9.1, §9.3): the basis of the NO_DATA rows the marts publish for an absent or rejected table.
-- One row per (la_code, period_end, table) for every organisation in the ledger and every table the warehouse
-- reads (int_landing_tables_listed). A month's loads of the table are its ledger rows of that reporting month;
-- reference tables delivered at LA level (inbound/<la>/ref/, null reporting month) count for every month.
-- Superseded loads are ignored (their re-delivery has its own row). Status:
--   landed           at least one landed load with rows, none rejected
--   empty            landed, but every landed file was header-only (§9.1 'empty_source:<table>')
--   partly_rejected  some loads landed, some rejected (e.g. one part of a split table, or a rejected re-delivery)
--   rejected         only rejected loads ('source_rejected:<table>')
--   absent           no load at all ('source_absent:<table>')
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

tables_listed as (
    select * from {{ ref('int_landing_tables_listed') }}
),

ledger as (
    select * from {{ ref('stg_landing__load_ledger') }}
    where outcome in ('landed', 'rejected')
),

organisations as (
    select distinct la_code
    from ledger
    where la_code is not null and (reporting_month is null or reporting_month <= {{ as_of_month() }})
),

grid as (
    select
        organisations.la_code,
        periods.period_end,
        periods.period_start,
        tables_listed.table_name,
        tables_listed.input_family,
        tables_listed.ledger_table_name,
        {{ month_text('periods.period_start') }} as reporting_month
    from organisations
    cross join periods
    cross join tables_listed
),

loads_by_month as (
    select
        grid.la_code,
        grid.period_end,
        grid.table_name,
        sum(case when ledger.outcome = 'landed' then 1 else 0 end) as landed_loads,
        sum(case when ledger.outcome = 'rejected' then 1 else 0 end) as rejected_loads,
        sum(case when ledger.outcome = 'landed' then ledger.rows_landed else 0 end) as rows_landed
    from grid
    inner join ledger
        on
            grid.la_code = ledger.la_code
            and grid.ledger_table_name = ledger.table_name
            and (
                grid.reporting_month = ledger.reporting_month
                or (grid.input_family = 'ref' and ledger.reporting_month is null)
            )
    group by grid.la_code, grid.period_end, grid.table_name
),

statused as (
    select
        grid.la_code,
        grid.period_end,
        grid.reporting_month,
        grid.table_name,
        grid.input_family,
        grid.ledger_table_name,
        cast(coalesce(loads_by_month.landed_loads, 0) as integer) as landed_loads,
        cast(coalesce(loads_by_month.rejected_loads, 0) as integer) as rejected_loads,
        cast(coalesce(loads_by_month.rows_landed, 0) as bigint) as rows_landed,
        case
            when coalesce(loads_by_month.landed_loads, 0) > 0 and loads_by_month.rejected_loads > 0
                then 'partly_rejected'
            when coalesce(loads_by_month.landed_loads, 0) > 0 and loads_by_month.rows_landed = 0 then 'empty'
            when coalesce(loads_by_month.landed_loads, 0) > 0 then 'landed'
            when coalesce(loads_by_month.rejected_loads, 0) > 0 then 'rejected'
            else 'absent'
        end as delivery_status
    from grid
    left join loads_by_month
        on
            grid.la_code = loads_by_month.la_code
            and grid.period_end = loads_by_month.period_end
            and grid.table_name = loads_by_month.table_name
),

final as (
    select
        *,
        case delivery_status
            when 'absent' then 'source_absent:' || table_name
            when 'rejected' then 'source_rejected:' || table_name
            when 'partly_rejected' then 'source_partly_rejected:' || table_name
            when 'empty' then 'empty_source:' || table_name
        end as data_quality_flag
    from statused
)

select * from final
