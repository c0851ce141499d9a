{#
    The RAG state of kpi-catalogue §2.4, as one SQL expression (the colour comes from the seed ref_rag_colours
    through the KPI's scheme). Arguments are SQL expressions. The Python reference implementation is
    publish/rag.py; both are held to the §5.7 vectors (dbt_project/tests/assert_rag_state_matches_catalogue_vectors.sql
    and tests/publish/test_rag.py over the same seed, rag_test_vectors).

      period_end < impact_from   -> NOT_YET_DUE (impact not yet expected; a RAG-MS indicator before its first
                                    milestone, §2.5 A11). Milestones are versioned register rows (valid_from = the
                                    milestone date), so `target` is already the latest milestone due.
      target null                -> TBC (no target set: TRACK and TBC rows)
      value null                 -> NO_DATA (includes a zero denominator)
      direction M                -> ON_TARGET when value = target, else OFF_TARGET_NOT_IMPROVING
      value and prev_value are rounded half-up to `precision` before any comparison (display-rounded, §2.5 A6)
      gap = v - target (H) or target - v (L); gap >= 0 -> ON_TARGET
      -gap <= tolerance          -> WITHIN_TOLERANCE (boundary inclusive, §2.5 A3; null tolerance = 0)
      strictly better than prev  -> OUTSIDE_IMPROVING (a tie is not an improvement; null prev is not improving)
      otherwise                  -> OUTSIDE_NOT_IMPROVING
#}

{% macro rag_state(value, target, tolerance, direction, prev_value, precision, period_end=none, impact_from=none) -%}
    {%- set v = round_half_up(value, precision) -%}
    {%- set pv = round_half_up(prev_value, precision) -%}
    {%- set gap = '(case when ' ~ direction ~ " = 'H' then " ~ v ~ ' - (' ~ target ~ ') else (' ~ target ~ ') - ' ~ v ~ ' end)' -%}
    case
        {%- if period_end is not none and impact_from is not none %}
        when {{ impact_from }} is not null and {{ period_end }} < {{ impact_from }} then 'NOT_YET_DUE'
        {%- endif %}
        when {{ target }} is null then 'TBC'
        when {{ value }} is null then 'NO_DATA'
        when {{ direction }} = 'M'
            then case when {{ value }} = {{ target }} then 'ON_TARGET' else 'OFF_TARGET_NOT_IMPROVING' end
        when {{ gap }} >= 0 then 'ON_TARGET'
        when -{{ gap }} <= coalesce({{ tolerance }}, 0) then 'WITHIN_TOLERANCE'
        when
            {{ prev_value }} is not null
            and (
                ({{ direction }} = 'H' and {{ v }} > {{ pv }})
                or ({{ direction }} = 'L' and {{ v }} < {{ pv }})
            )
            then 'OUTSIDE_IMPROVING'
        else 'OUTSIDE_NOT_IMPROVING'
    end
{%- endmacro %}
