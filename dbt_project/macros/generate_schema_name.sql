{#
    Schemas are named after the layer (staging, intermediate, marts, publish, seeds), not prefixed with the
    target schema, so analysts read `marts.fct_...` on every engine. A model without a layer schema goes to the
    target's schema.
#}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
