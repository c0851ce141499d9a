{#
    Reading the JSON text columns the CSV families land (input contract §0.5 `json`: an object, or for a few columns an
    array, serialised as text and already checked as JSON by extract). JSON functions differ between DuckDB and
    PostgreSQL, so each is an adapter.dispatch macro; all take and return text.
#}

{% macro json_text_value(json_expression, key_expression) %}
    {#- The value of a top-level key of a JSON object as text (strings unquoted, true/false/numbers as written), null
        when absent. `key_expression` is SQL text: a quoted literal ("'cs_referral'") or a column. -#}
    {{ return(adapter.dispatch('json_text_value', 'csc_warehouse')(json_expression, key_expression)) }}
{% endmacro %}

{% macro default__json_text_value(json_expression, key_expression) -%}
    (cast({{ json_expression }} as json) ->> ({{ key_expression }}))
{%- endmacro %}

{% macro duckdb__json_text_value(json_expression, key_expression) -%}
    json_extract_string({{ json_expression }}, '$."' || ({{ key_expression }}) || '"')
{%- endmacro %}


{% macro json_is_array(json_expression) %}
    {#- True when the JSON text is an array (false for an object, null for null). -#}
    {{ return(adapter.dispatch('json_is_array', 'csc_warehouse')(json_expression)) }}
{% endmacro %}

{% macro default__json_is_array(json_expression) -%}
    (json_typeof(cast({{ json_expression }} as json)) = 'array')
{%- endmacro %}

{% macro duckdb__json_is_array(json_expression) -%}
    (json_type({{ json_expression }}) = 'ARRAY')
{%- endmacro %}


{% macro json_array_has_text(json_expression, text_expression) %}
    {#- True when a JSON array holds the string `text_expression` (a SQL text expression) as an element. -#}
    {{ return(adapter.dispatch('json_array_has_text', 'csc_warehouse')(json_expression, text_expression)) }}
{% endmacro %}

{% macro default__json_array_has_text(json_expression, text_expression) -%}
    (cast({{ json_expression }} as jsonb) @> jsonb_build_array({{ text_expression }}))
{%- endmacro %}

{% macro duckdb__json_array_has_text(json_expression, text_expression) -%}
    list_contains(cast(json_extract_string({{ json_expression }}, '$[*]') as varchar[]), {{ text_expression }})
{%- endmacro %}

{#- Spark: get_json_object takes a JSON path (built from the key), from_json parses an array of strings. -#}
{% macro spark__json_text_value(json_expression, key_expression) -%}
    get_json_object({{ json_expression }}, concat('$.', {{ key_expression }}))
{%- endmacro %}

{% macro spark__json_is_array(json_expression) -%}
    {#- json_array_length is null for anything that is not an array; null stays null as on the other engines. -#}
    (case when {{ json_expression }} is not null then json_array_length({{ json_expression }}) is not null end)
{%- endmacro %}

{% macro spark__json_array_has_text(json_expression, text_expression) -%}
    array_contains(from_json({{ json_expression }}, 'array<string>'), {{ text_expression }})
{%- endmacro %}
