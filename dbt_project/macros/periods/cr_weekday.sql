{#
    The ISO weekday (1 = Monday ... 7 = Sunday) of the weekly Compliance Report, from the dbt var `cr_weekday`
    (kpi-catalogue §0.2, §2.5 B5; default monday, dbt_project.yml). A name that is not a weekday fails the build.
#}

{% macro cr_iso_weekday() %}
    {%- set iso_weekdays = {
        'monday': 1, 'tuesday': 2, 'wednesday': 3, 'thursday': 4, 'friday': 5, 'saturday': 6, 'sunday': 7
    } -%}
    {%- set name = var('cr_weekday', 'monday') | string | trim | lower -%}
    {%- if name not in iso_weekdays -%}
        {{ exceptions.raise_compiler_error(
            "The dbt var `cr_weekday` must be a weekday name (monday ... sunday), got '" ~ name ~ "'."
        ) }}
    {%- endif -%}
    {{ return(iso_weekdays[name]) }}
{% endmacro %}
