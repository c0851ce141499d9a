{#
    Calendar building blocks. The date series is the only engine-specific part of the calendar, so it dispatches.
#}

{% macro date_series(first_date, last_date) %}
    {#-
        A select of one row per day from first_date to last_date (both SQL date expressions, inclusive), in a
        column `calendar_date` of type DATE.
    -#}
    {{ return(adapter.dispatch('date_series', 'csc_warehouse')(first_date, last_date)) }}
{% endmacro %}

{% macro default__date_series(first_date, last_date) -%}
    {#- PostgreSQL: generate_series over timestamps (there is no date variant), cast back to DATE. -#}
    select cast(series.series_day as date) as calendar_date
    from generate_series(
        cast({{ first_date }} as timestamp), cast({{ last_date }} as timestamp), interval '1 day'
    ) as series (series_day)
{%- endmacro %}

{% macro duckdb__date_series(first_date, last_date) -%}
    {#- DuckDB: range() over dates, exclusive of its end, hence the extra day. -#}
    select cast(series.series_day as date) as calendar_date
    from range(
        cast({{ first_date }} as date), cast({{ last_date }} as date) + interval 1 day, interval 1 day
    ) as series (series_day)
{%- endmacro %}


{% macro calendar_first_date() %}
    {#-
        First day of the calendar, as a date literal. Every date the marts reason about is after it (903 and CIN
        history reach back a few collection years; dates of birth need no working days), and the bank holiday
        seed starts the same year.
    -#}
    cast('2000-01-01' as date)
{%- endmacro %}


{% macro calendar_last_date() %}
    {#-
        Last day of the calendar, as a date literal: 31 December three years after `as_of`, far enough for every
        due date the working-day macros compute (the longest timescale, 45 working days, is about 9 weeks).
        Whole years, so the seed-coverage test can count each year's bank holidays. Never before 2030, so the
        hand-worked vectors of seeds/test_vectors (up to 2027) are on the calendar whatever `as_of` a backfill uses.
    -#}
    {%- set as_of = as_of_value() -%}
    {%- set last_year = [(as_of.year + 3) if as_of is not none else 2003, 2030] | max -%}
    cast('{{ last_year }}-12-31' as date)
{%- endmacro %}

{% macro spark__date_series(first_date, last_date) -%}
    {#- Spark: sequence() over dates, inclusive of both ends, one row per element. -#}
    select explode(sequence(cast({{ first_date }} as date), cast({{ last_date }} as date), interval 1 day))
        as calendar_date
{%- endmacro %}
