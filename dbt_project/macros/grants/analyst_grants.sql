{#
    Who may read what on a shared (PostgreSQL) warehouse. dbt manages the grants: every mart and the published
    dataset carry `grants: {select: [analyst role]}` (dbt_project.yml), and the restricted child-level drill-down
    (schema `restricted`) only the roles listed in CSC_DETAIL_READER_ROLES. Roles come from the environment, never
    from the repository: CSC_ANALYST_ROLE (default `analyst`), CSC_DETAIL_READER_ROLES (comma-separated, default
    none). Landing, staging, intermediate and seeds are granted to nobody.

    SELECT on a table is not enough: a role also needs USAGE on its schema. `grant_layer_schema_usage` (on-run-end)
    grants it on the schemas this build wrote, and only when every node of the build passed, so the schemas of a
    failed blue/green build (`<layer>__next`, see pipeline/pg_bluegreen.py) stay unreadable.
#}

{% macro analyst_role() -%}
    {{ return(env_var('CSC_ANALYST_ROLE', 'analyst') | trim) }}
{%- endmacro %}

{% macro detail_reader_roles() -%}
    {%- set roles = [] -%}
    {%- for role in env_var('CSC_DETAIL_READER_ROLES', '').split(',') if role | trim -%}
        {%- do roles.append(role | trim) -%}
    {%- endfor -%}
    {{ return(roles) }}
{%- endmacro %}

{% macro grant_layer_schema_usage(results) -%}
    {{ return(adapter.dispatch('grant_layer_schema_usage', 'csc_warehouse')(results)) }}
{%- endmacro %}

{% macro default__grant_layer_schema_usage(results) -%}
    {#- DuckDB has no roles: analysts read the read-only copy (pipeline/analyst_copy.py) instead. -#}
    select 1
{%- endmacro %}

{% macro postgres__grant_layer_schema_usage(results) -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'runtime error']) | list -%}
    {%- set readers = {'marts': [analyst_role()], 'publish': [analyst_role()], 'restricted': detail_reader_roles()} -%}
    {%- set statements = [] -%}
    {%- if execute and not failed -%}
        {%- for layer, roles in readers.items() -%}
            {%- set schema = generate_schema_name(layer, none) | trim -%}
            {%- if roles and adapter.check_schema_exists(target.database, schema) -%}
                {%- for role in roles -%}
                    {%- do statements.append('grant usage on schema ' ~ adapter.quote(schema) ~ ' to ' ~ adapter.quote(role)) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ statements | join(';\n') if statements else 'select 1' }}
{%- endmacro %}

{#- DuckDB has no GRANT: stay silent instead of warning on every model that carries a grants config. -#}
{% macro duckdb__apply_grants(relation, grant_config, should_revoke=True) %}
{% endmacro %}

{#- The analyst group role the models' grants name, created when the server lacks it (on-run-start), so a build on
    a fresh PostgreSQL server does not fail on its first GRANT. Roles belong to the server: this needs CREATEROLE
    once, afterwards it does nothing (pipeline/pg_bluegreen.py does the same before a pipeline build). Nothing on
    DuckDB, which has no roles. -#}
{% macro ensure_analyst_role() %}
    {{ return(adapter.dispatch('ensure_analyst_role', 'csc_warehouse')()) }}
{% endmacro %}

{% macro default__ensure_analyst_role() %}{% endmacro %}

{% macro postgres__ensure_analyst_role() %}
    {%- set role = env_var('CSC_ANALYST_ROLE', 'analyst') | trim -%}
    do $$
    begin
        if not exists (select 1 from pg_roles where rolname = '{{ role | replace("'", "''") }}') then
            create role {{ adapter.quote(role) }} nologin;
        end if;
    exception when duplicate_object then null;  -- another build created it meanwhile
    end
    $$
{% endmacro %}

{#- Spark: access control belongs to the cluster's catalog (Unity Catalog, Ranger, ...), not to dbt; GRANT is not
    even valid SQL on a session or plain Thrift server. Silent, as on DuckDB. -#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) %}
{% endmacro %}
