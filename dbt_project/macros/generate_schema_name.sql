{#
    Schemas are named after the layer (staging, intermediate, marts, publish, restricted, seeds), not prefixed with
    the target schema, so analysts read `marts.fct_...` on every engine. A model without a layer schema goes to the
    target's schema.

    CSC_SCHEMA_SUFFIX (empty by default) is appended to every layer schema: the PostgreSQL blue/green build
    (pipeline/pg_bluegreen.py) builds into `<layer>__next` and renames those schemas over the live ones in one
    transaction, so analysts never see a half-built schema.
#}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}{{ env_var('CSC_SCHEMA_SUFFIX', '') | trim }}
    {%- endif -%}
{%- endmacro %}
