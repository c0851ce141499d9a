{#
    The reporting date of the run. Every model that needs "the period end" calls these macros; nothing reads the
    clock (no current_date, no now()). `as_of` is a dbt var: --vars '{as_of: 2025-02-28}', a month end.
#}

{% macro as_of_value() %}
    {#- The validated `as_of` as a Python date, or none while dbt only parses the project. -#}
    {%- set raw = var('as_of', none) -%}
    {%- if raw is none or (raw | string | trim) == '' -%}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(
                "The dbt var `as_of` is required: the reporting period end as YYYY-MM-DD, a month end, e.g. "
                ~ "--vars '{as_of: 2025-02-28}'. The warehouse never uses today's date."
            ) }}
        {%- endif -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = raw | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("The dbt var `as_of` must be written YYYY-MM-DD, got '" ~ text ~ "'.") }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d').date() -%}
    {%- if (parsed + modules.datetime.timedelta(days=1)).day != 1 -%}
        {{ exceptions.raise_compiler_error(
            "The dbt var `as_of` must be the last day of a month (a reporting period end), got '" ~ text ~ "'."
        ) }}
    {%- endif -%}
    {{ return(parsed) }}
{% endmacro %}


{% macro as_of_date() %}
    {#- A typed date literal for the period end, e.g. cast('2025-02-28' as date). -#}
    {%- set as_of = as_of_value() -%}
    {%- if as_of is none -%}
        cast(null as date)
    {%- else -%}
        cast('{{ as_of.isoformat() }}' as date)
    {%- endif -%}
{% endmacro %}


{% macro as_of_month() %}
    {#- The reporting month of the run as a 'YYYY-MM' string literal, comparable with landing reporting_month. -#}
    {%- set as_of = as_of_value() -%}
    {%- if as_of is none -%}
        cast(null as varchar(7))
    {%- else -%}
        '{{ as_of.strftime("%Y-%m") }}'
    {%- endif -%}
{% endmacro %}
