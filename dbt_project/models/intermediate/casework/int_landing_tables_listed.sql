-- The landed tables the warehouse reads: one row per table of the `landing` source (every family's YAML source
-- files), with the name the load ledger records it under (macros/casework/landing_source_tables.sql). Built from
-- dbt's own graph, so a table gets a row as soon as a staging model reads it, and int_source_tables_delivered can
-- say for every one of them whether a month's delivery held it.
{%- set tables = landing_source_tables() %}
with

listed as (
    -- A typed zero-row select, then one select per table.
    select
        cast(null as varchar) as table_name,
        cast(null as varchar) as input_family,
        cast(null as varchar) as ledger_table_name
    where false
    {%- for name in tables | sort %}
        union all
        select
            cast('{{ name }}' as varchar) as table_name,
            cast('{{ tables[name][0] }}' as varchar) as input_family,
            cast('{{ tables[name][1] }}' as varchar) as ledger_table_name
    {%- endfor %}
),

final as (
    select * from listed
)

select * from final
