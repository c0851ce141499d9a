{#
    Sources on Spark. DuckDB reads each landing table straight from its Parquet files (the source's
    `meta.external_location`, a read_parquet(...) call) and PostgreSQL from tables loaded before dbt runs. Spark
    gets, at run start, one view per such source in the source's schema (`landing`) over the same files:
    `select * from parquet.`<glob>``. The glob keeps the zero-row schema file (`_empty/schema.parquet`) in, and the
    profile sets spark.sql.parquet.mergeSchema so deliveries with added columns read as one table, like DuckDB's
    union_by_name. Views (not tables) so a build reads the files as they are at run start, as DuckDB does.
#}

{% macro create_landing_views() %}
    {{ return(adapter.dispatch('create_landing_views', 'csc_warehouse')()) }}
{% endmacro %}

{% macro default__create_landing_views() %}{% endmacro %}

{% macro spark__create_landing_views() %}
    {#- One statement per call: Spark runs a single statement at a time, so the hook itself renders empty. -#}
    {%- if execute -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() if source.meta.get('external_location') -%}
            {%- set path = landing_parquet_glob(source.meta['external_location']) -%}
            {%- if source.schema not in schemas -%}
                {%- do schemas.append(source.schema) -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- endif -%}
            {%- do run_query(
                'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
                ~ ' as select * from parquet.`' ~ path ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}

{#- The file glob inside a DuckDB read_parquet('<glob>', ...) call, the one form every source uses. -#}
{% macro landing_parquet_glob(external_location) %}
    {%- set found = modules.re.search("read_parquet\(\s*'([^']+)'", external_location) -%}
    {%- if not found -%}
        {{ exceptions.raise_compiler_error('Spark reads only read_parquet(...) sources, not: ' ~ external_location) }}
    {%- endif -%}
    {{ return(found.group(1)) }}
{% endmacro %}
