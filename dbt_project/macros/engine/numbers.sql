{#
    Exact arithmetic for published figures. Floating point never decides a published digit:
    DuckDB divides DECIMALs in DOUBLE, so percentages are computed with integer arithmetic instead.
#}

{% macro integer_divide(dividend, divisor) %}
    {#- Integer division of two non-negative integers, truncating (= floor for non-negative operands). -#}
    {{ return(adapter.dispatch('integer_divide', 'csc_warehouse')(dividend, divisor)) }}
{% endmacro %}

{% macro default__integer_divide(dividend, divisor) -%}
    (cast({{ dividend }} as bigint) / cast({{ divisor }} as bigint))
{%- endmacro %}

{% macro duckdb__integer_divide(dividend, divisor) -%}
    (cast({{ dividend }} as bigint) // cast({{ divisor }} as bigint))
{%- endmacro %}


{% macro percent_half_up(numerator, denominator, precision) %}
    {#-
        100 x numerator / denominator rounded half-up to `precision` decimals (an integer literal), exactly:
        round_half_up(100 n / d, p) = floor((2 x 100 x 10^p x n + d) / (2 d)) / 10^p for n >= 0, d > 0.
        Null when the denominator is null or zero (the RAG rule then says NO_DATA).
    -#}
    {%- set scale = 10 ** (precision | int) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 or {{ numerator }} is null then null
        else cast(
            cast(
                {{ integer_divide(
                    '2 * ' ~ (100 * scale) ~ ' * cast(' ~ numerator ~ ' as bigint) + cast(' ~ denominator ~ ' as bigint)',
                    '2 * cast(' ~ denominator ~ ' as bigint)'
                ) }}
                as numeric(38, {{ precision }})
            ) / {{ scale }} as numeric(18, {{ precision }})
        )
    end
{%- endmacro %}


{% macro round_half_up(expression, precision) %}
    {#-
        Round half away from zero (= half-up for the non-negative figures published here), on an exact NUMERIC.
        `precision` may be an integer literal or a column.
    -#}
    {{ return(adapter.dispatch('round_half_up', 'csc_warehouse')(expression, precision)) }}
{% endmacro %}

{% macro default__round_half_up(expression, precision) -%}
    {#- PostgreSQL rounds NUMERIC half away from zero and accepts a column as the precision. -#}
    round(cast({{ expression }} as numeric(38, 10)), {{ precision }})
{%- endmacro %}

{% macro duckdb__round_half_up(expression, precision) -%}
    {#- DuckDB rounds DECIMAL half away from zero but only to a constant precision: spell out 0-4 decimals. -#}
    {%- if precision is number -%}
        round(cast({{ expression }} as numeric(38, 10)), {{ precision }})
    {%- else -%}
        case {{ precision }}
            {%- for digits in range(0, 5) %}
            when {{ digits }} then cast(round(cast({{ expression }} as numeric(38, 10)), {{ digits }}) as numeric(38, 10))
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}

{#- Spark: `/` always returns a DOUBLE or DECIMAL, `div` is the integer division. -#}
{% macro spark__integer_divide(dividend, divisor) -%}
    (cast({{ dividend }} as bigint) div cast({{ divisor }} as bigint))
{%- endmacro %}

{#- Spark rounds DECIMAL half up, but only to a constant scale, like DuckDB. -#}
{% macro spark__round_half_up(expression, precision) -%}
    {{ duckdb__round_half_up(expression, precision) }}
{%- endmacro %}
