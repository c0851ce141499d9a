{#
    Type names on Spark. The models cast to `varchar` (and a few to `text`), which DuckDB and PostgreSQL accept and
    Spark refuses ("VARCHAR requires a length parameter"); Spark's unbounded text type is `string`, which PostgreSQL
    lacks (likewise `double precision`, Spark's `double`). Rather than a type macro in some 2,000 casts and YAML
    data types, the SQL of every statement dbt runs is passed through `engine_sql`, which is the identity everywhere
    but on Spark, where it renames those types.
    DuckDB and PostgreSQL run byte-for-byte the SQL they ran before.

    `statement` is dbt's own macro (dbt/include/global_project/macros/etc/statement.sql, dbt-core 1.11), copied
    with the one `engine_sql` call added: every model, test, unit test, seed and hook reaches the database through
    it. Contract checks and unit tests describe queries through get_empty_subquery_sql, rewritten the same way.
#}

{% macro engine_sql(sql) %}
    {{ return(adapter.dispatch('engine_sql', 'csc_warehouse')(sql)) }}
{% endmacro %}

{% macro default__engine_sql(sql) %}
    {{ return(sql) }}
{% endmacro %}

{% macro spark__engine_sql(sql) %}
    {#- `varchar` without a length, `text` where it follows AS (a cast) or a quoted column name (a seed's DDL), and
        PostgreSQL's `double precision` (Spark's `double`). -#}
    {%- set sql = modules.re.sub('(?i)\\bvarchar\\b(?!\\s*\\()', 'string', sql) -%}
    {%- set sql = modules.re.sub('(?i)(\\bas\\s+|`\\s+)text\\b', '\\1string', sql) -%}
    {%- set sql = modules.re.sub('(?i)\\bdouble\\s+precision\\b', 'double', sql) -%}
    {{ return(sql) }}
{% endmacro %}

{%- macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute: -%}
    {%- set compiled_code = caller() -%}

    {%- if name == 'main' -%}
      {{ log('Writing runtime {} for node "{}"'.format(language, model['unique_id'])) }}
      {{ write(compiled_code) }}
    {%- endif -%}
    {%- if language == 'sql'-%}
      {%- set res, table = adapter.execute(engine_sql(compiled_code), auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- elif language == 'python' -%}
      {%- set res = submit_python_job(model, compiled_code) -%}
      {#-- TODO: What should table be for python models? --#}
      {%- set table = None -%}
    {%- else -%}
      {% do exceptions.raise_compiler_error("statement macro didn't get supported language") %}
    {%- endif -%}

    {%- if name is not none -%}
      {{ store_result(name, response=res, agate_table=table) }}
    {%- endif -%}

  {%- endif -%}
{%- endmacro %}

{% macro spark__get_empty_subquery_sql(select_sql, select_sql_header=none) %}
    {{ return(engine_sql(default__get_empty_subquery_sql(select_sql, select_sql_header))) }}
{% endmacro %}

{#- Seeds on Spark: dbt-spark binds the CSV values into the INSERT without escaping quotes (a name like "Children's
    services" breaks the statement) and sends it around `statement`. Here each value is a Spark string literal
    (backslash escapes, as Spark reads them) cast to the seed's column type, and the INSERT goes through `statement`,
    so the type names are Spark's. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set values = [] -%}
        {%- for row in chunk -%}
            {%- set cells = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do cells.append('cast(null as ' ~ types[loop.index0] ~ ')') -%}
                {%- else -%}
                    {%- set text = (value | string).replace('\\', '\\\\').replace("'", "\\'") -%}
                    {%- do cells.append("cast('" ~ text ~ "' as " ~ types[loop.index0] ~ ")") -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do values.append('(' ~ cells | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values\n' ~ values | join(',\n') -%}
        {%- call statement('seed_rows') -%}{{ sql }}{%- endcall -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
