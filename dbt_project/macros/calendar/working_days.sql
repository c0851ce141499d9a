{#
    Working-day arithmetic (kpi-catalogue §0.3), as SQL expressions usable in any model's select, where, join or
    group by, on DuckDB and PostgreSQL.

    A working day is Monday-Friday and not an England and Wales bank holiday (seeds/ref_bank_holidays.csv). Every
    macro is a scalar subquery against the calendar model int_calendar_days_listed, keyed on its unique
    calendar_date and on working_day_number (the count of working days from the calendar's first day up to and
    including the date), so each call costs one or two keyed lookups per row, never a scan of the days between:
      * DuckDB flattens the correlated subqueries into hash joins with the calendar (about 15,000 rows);
      * PostgreSQL runs them as index lookups (the calendar is indexed on both keys).

    Day 0 (the default): the event date is day 0; a date that is not a working day first rolls forward to the
    next working day, which becomes day 0. The variant `start_is_day_one` (the DfE CIN validator's reading)
    counts that day as day 1, i.e. n - 1 working days under day 0: one day stricter. Its default comes from the
    dbt var `start_is_day_one` (dbt_project.yml); a model may pass the argument to pin a variant.

    Dates outside the calendar (before 2000-01-01, or due after its last day) give null, as does a null input.
    Usage (docs/architecture.md):
        {{ add_working_days('referral.referral_date', 45) }} as assessment_due_date,
        {{ working_days_between('referral.referral_date', 'referral.assessment_date') }} as working_days_taken,
        {{ is_within_working_days('contact.contact_date', 'contact.decision_date', 1) }} as decided_in_time
#}

{% macro working_day_calendar() %}
    {#- The calendar relation the macros read; the ref makes every calling model depend on it. -#}
    {{ return(ref('int_calendar_days_listed')) }}
{% endmacro %}


{% macro start_is_day_one_setting(start_is_day_one=none) %}
    {#- The variant to use: the argument when given, else the var `start_is_day_one` (default false). -#}
    {%- set value = var('start_is_day_one', false) if start_is_day_one is none else start_is_day_one -%}
    {%- if value is string and (value | lower | trim) in ['true', 'false'] -%}
        {%- set value = (value | lower | trim) == 'true' -%}
    {%- endif -%}
    {%- if value is not sameas true and value is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "start_is_day_one must be true or false (kpi-catalogue §0.3), got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}


{% macro add_working_days(date_expression, working_days, start_is_day_one=none) %}
    {#-
        The date `working_days` working days after `date_expression` (day 0, rolled forward to a working day);
        working_days may be a literal or a column. 0 gives the rolled start itself (day 0 only).
    -#}
    {%- set offset = ' - 1' if start_is_day_one_setting(start_is_day_one) else '' -%}
    (
        select due_day.calendar_date
        from {{ working_day_calendar() }} as start_day
        inner join {{ working_day_calendar() }} as due_day
            on due_day.working_day_number
                = start_day.next_working_day_number + ({{ working_days }}){{ offset }}
        where
            start_day.calendar_date = ({{ date_expression }})
            and due_day.is_working_day
    )
{%- endmacro %}


{% macro working_days_between(start_date, end_date) %}
    {#-
        The number of working days x with start_date < x <= end_date (negative when end_date is before
        start_date). Neither end needs to be a working day.
    -#}
    (
        (
            select end_day.working_day_number
            from {{ working_day_calendar() }} as end_day
            where end_day.calendar_date = ({{ end_date }})
        )
        - (
            select start_day.working_day_number
            from {{ working_day_calendar() }} as start_day
            where start_day.calendar_date = ({{ start_date }})
        )
    )
{%- endmacro %}


{% macro is_within_working_days(start_date, completion_date, working_days, start_is_day_one=none) %}
    {#-
        "Within N working days" (kpi-catalogue §0.3): completion_date <= add_working_days(start_date, N). Null when
        either date is null: a model decides what an incomplete item counts as.
    -#}
    (({{ completion_date }}) <= {{ add_working_days(start_date, working_days, start_is_day_one) }})
{%- endmacro %}
