{#
    Quasi-identifiers as analyst-facing marts may carry them (input contract §11.3; docs/analysts.md "Privacy"):
    a date of birth only as its month ('YYYY-MM', text, so it cannot be mistaken for a date), a postcode only as
    its sector ('SL1 2EL' -> 'SL1 2': the outward code and the first digit of the inward code). Staging and
    intermediate keep the full values; marts call these macros. tests/dbt/test_privacy_scan.py fails on any full
    date of birth or full postcode in an analyst-facing column.
#}

{% macro birth_month(dob) -%}
    {{ month_text(dob) }}
{%- endmacro %}

{% macro postcode_sector(postcode) -%}
    {#- Upper-cased and trimmed; with or without the space before the 3-character inward code; anything that is not
        shaped like a postcode (5-7 characters without the space) gives null rather than a guess. -#}
    {%- set normalised = "upper(replace(trim(" ~ postcode ~ "), ' ', ''))" -%}
    case
        when length({{ normalised }}) between 5 and 7
            then substr({{ normalised }}, 1, length({{ normalised }}) - 3)
            || ' ' || substr({{ normalised }}, length({{ normalised }}) - 2, 1)
    end
{%- endmacro %}
