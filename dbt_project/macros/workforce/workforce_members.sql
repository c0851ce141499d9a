{#
    workforce_members_final(relation)

    The common shape of every workforce members model (fct_workforce_kpi_members, docs/marts/workforce.md), typed,
    from a CTE `relation` with the same column names. One place for the column list and types, so the members
    models and their union cannot drift apart. Amounts carry at most 2 decimals (FTE, FTE-weighted days), so the
    indicators can compute exactly in integers of hundredths.
#}
{% macro workforce_members_final(relation) -%}
    select
        cast({{ relation }}.la_code as varchar) as la_code,
        cast({{ relation }}.kpi_id as varchar) as kpi_id,
        cast({{ relation }}.period_end as date) as period_end,
        cast({{ relation }}.measure_window as varchar) as measure_window,
        cast({{ relation }}.snapshot_date as date) as snapshot_date,
        cast({{ relation }}.worker_key as varchar) as worker_key,
        cast({{ relation }}.item_key as varchar) as item_key,
        cast({{ relation }}.item_type as varchar) as item_type,
        cast({{ relation }}.event_date as date) as event_date,
        cast({{ relation }}.status as varchar) as status,
        cast({{ relation }}.in_denominator as boolean) as in_denominator,
        cast({{ relation }}.in_numerator as boolean) as in_numerator,
        cast({{ relation }}.numerator_amount as numeric(18, 2)) as numerator_amount,
        cast({{ relation }}.denominator_amount as numeric(18, 2)) as denominator_amount,
        cast(coalesce({{ relation }}.service_code, 'UNALLOCATED') as varchar) as service_code,
        cast({{ relation }}.team_id as varchar) as team_id,
        cast({{ relation }}.role_code as varchar) as role_code
    from {{ relation }}
{%- endmacro %}


{% macro worker_key(la_code, person_ref) -%}
    {#- The pseudonymous key of a member of staff (input contract §11.3: HR person ids and agency references are
        pseudonymised like child ids); person_ref is 'hr:<person_id>' or 'agency:<agency_worker_ref>'. -#}
    {{ pseudonymous_key(la_code, person_ref) }}
{%- endmacro %}
