{#
    The REVIEW_CODEs that count as taking part in a CLA review for b18_cla_review_participation (kpi-catalogue §1.1),
    as a SQL list for `review_participation_code in (...)`. PN1-PN6 by default; the dbt var
    b18_pn4_counts_as_participation (dbt_project.yml, default true) = false leaves out PN4 (attends the review
    without contributing), which then stays in the denominator (PN1-PN7) only.
#}

{% macro b18_participation_codes() %}
    {%- set value = var('b18_pn4_counts_as_participation', true) -%}
    {%- if value is string and (value | lower | trim) in ['true', 'false'] -%}
        {%- set value = (value | lower | trim) == 'true' -%}
    {%- endif -%}
    {%- if value is not sameas true and value is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "b18_pn4_counts_as_participation must be true or false (kpi-catalogue §1.1 b18), got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {%- set codes = ['PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6'] if value else ['PN1', 'PN2', 'PN3', 'PN5', 'PN6'] -%}
    '{{ codes | join("', '") }}'
{%- endmacro %}
