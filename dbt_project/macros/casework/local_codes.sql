{#
    Codes the input contract lets an organisation deliver as local free text (§2.1 "Local code maps", §5
    ref_local_code_map, AM-17): roles, services, immigration statuses, address types, eligibility. A staged code is
      1. the delivered value itself when, trimmed and upper-cased, it is already a contract code;
      2. else the contract code ref_local_code_map gives for (table, column, value compared case-insensitively and
         trimmed), when that mapping is valid on the row's reference date and names a contract code;
      3. else null (the contract's W05: an unmapped value is nulled, never a rejection). The delivered value stays
         in its own `*_delivered` column so unmapped values can be counted.
    `mapped_code(none, ...)` reads the map only (a code mapped from another column, e.g. a team id to a service).
    Use `local_code_map_join` once per mapped column (a LEFT JOIN on stg_ref__local_code_map, at most one match per
    row because the map is unique on its key) and `mapped_code` in the select list.
#}

{% macro local_code_map_join(map_alias, table_name, column_name, row_alias, value_expression, reference_date) -%}
    left join {{ ref('stg_ref__local_code_map') }} as {{ map_alias }}
        on
            {{ row_alias }}.la_code = {{ map_alias }}.la_code
            and {{ map_alias }}.table_name = '{{ table_name }}'
            and {{ map_alias }}.column_name = '{{ column_name }}'
            and {{ map_alias }}.local_value_key = lower(trim({{ value_expression }}))
            and ({{ map_alias }}.valid_from is null or {{ map_alias }}.valid_from <= {{ reference_date }})
            and ({{ map_alias }}.valid_to is null or {{ map_alias }}.valid_to >= {{ reference_date }})
{%- endmacro %}


{% macro mapped_code(value_expression, map_alias, codes) -%}
    {%- set code_list = "'" ~ (codes | join("', '")) ~ "'" -%}
    case
        {%- if value_expression is not none %}
        when upper(trim({{ value_expression }})) in ({{ code_list }}) then upper(trim({{ value_expression }}))
        {%- endif %}
        when {{ map_alias }}.contract_value in ({{ code_list }}) then {{ map_alias }}.contract_value
    end
{%- endmacro %}
