{#
    The statutory visit clock shared by the visit indicators of the compliance mart (kpi-catalogue §1.1 b04, b07,
    §1.3 t_visits_in_time_all; docs/marts/compliance.md): which visits count, how a due date follows from the
    interval in the seed ref_visit_frequency, and the Care Planning Regulations 2010 reg. 28 rule for looked-after
    children. One place, so the three indicators can never count a visit or a CLA interval differently.
#}

{% macro statutory_visit_contexts() %}
    {#-
        The visit contexts of a statutory visiting requirement (int_visits_unioned.visit_context), as a SQL list
        for `visit_context in (...)`. Private fostering, early help and other visits are not visits of these
        requirements.
    -#}
    'CIN', 'ASSESS', 'CP', 'CLA', 'PATHWAY'
{%- endmacro %}


{% macro visit_frequencies(organisations_relation) %}
    {#-
        A select of the visit intervals in force for each organisation of `organisations_relation` (any relation
        with la_code): per requirement_code the organisation's own row of ref_visit_frequency when it has one,
        else the default row (null la_code).
    -#}
    select
        ranked.la_code,
        ranked.requirement_code,
        ranked.visit_context,
        ranked.placement_stage,
        ranked.interval_value,
        ranked.interval_unit,
        ranked.priority,
        ranked.owning_service_code
    from (
        select
            organisations.la_code,
            frequency.requirement_code,
            frequency.visit_context,
            frequency.placement_stage,
            frequency.interval_value,
            frequency.interval_unit,
            frequency.priority,
            frequency.owning_service_code,
            row_number() over (
                partition by organisations.la_code, frequency.requirement_code
                order by case when frequency.la_code is null then 1 else 0 end
            ) as preference
        from (select distinct la_code from {{ organisations_relation }}) as organisations
        inner join {{ ref('ref_visit_frequency') }} as frequency
            on frequency.la_code = organisations.la_code or frequency.la_code is null
    ) as ranked
    where ranked.preference <= 1
{%- endmacro %}


{% macro visit_due_date(from_date, interval_value, interval_unit) %}
    {#-
        The last day the next visit is in time: `interval_value` `interval_unit`s after `from_date` (the last
        visit, or the requirement's start). working_days: add_working_days (day 0 = from_date, rolled forward to a
        working day, kpi-catalogue §0.3); weeks: 7 calendar days each; months: calendar months, month-end clamped.
    -#}
    case {{ interval_unit }}
        when 'working_days' then {{ add_working_days(from_date, interval_value) }}
        when 'weeks' then {{ add_days(from_date, '7 * ' ~ interval_value) }}
        when 'months' then {{ add_months(from_date, interval_value) }}
    end
{%- endmacro %}


{% macro latest_event_on_each_row(relation, columns, events_relation, event_date, event_key, output_column) %}
    {#-
        A select of every row of `relation` (the `columns` listed, which must include la_code, child_id and
        snapshot_date) with `output_column` = the greatest `event_key` (a SQL expression over the alias `events`)
        of the child's events in `events_relation` (la_code, child_id, and the date column `event_date`) dated on
        or before the row's snapshot_date; null when none. A key that starts with the ISO event date (e.g.
        cast(events.visit_date as varchar) || a code) gives the latest event, and that code, of the day.
        Why a window over a union and not a join: a range join of child-days with events leaves PostgreSQL to
        guess the sizes of several views, and its guesses (one row) make it loop over every pair; the window sorts
        each child's rows once on both engines.
    -#}
    select
        {% for column in columns %}timeline.{{ column }},
        {% endfor -%}
        timeline.{{ output_column }}
    from (
        select
            {% for column in columns %}stream.{{ column }},
            {% endfor -%}
            stream.event_kind,
            max(stream.event_key) over (
                partition by stream.la_code, stream.child_id
                order by stream.event_date, stream.event_kind
                rows between unbounded preceding and current row
            ) as {{ output_column }}
        from (
            select
                {% for column in columns %}base_rows.{{ column }},
                {% endfor -%}
                base_rows.snapshot_date as event_date,
                1 as event_kind,
                cast(null as varchar) as event_key
            from {{ relation }} as base_rows
            union all
            select
                {% for column in columns -%}
                    {%- if column in ['la_code', 'child_id'] %}events.{{ column }}{% else %}null{% endif %} as {{ column }},
                {% endfor -%}
                events.{{ event_date }} as event_date,
                0 as event_kind,
                cast({{ event_key }} as varchar) as event_key
            from {{ events_relation }} as events
        ) as stream
    ) as timeline
    where timeline.event_kind > 0
{%- endmacro %}


{% macro current_placement(relation, columns) %}
    {#-
        A select of every row of `relation` (the `columns` listed: la_code, child_id, snapshot_date and
        period_start_date, a child looked after on the snapshot date and the start of its period of care, among
        them) with placement_start_date = the start of the latest placement (int_placements_derived) that began in
        the period of care on or before the date, or the period's start when none did (a period that began in a
        temporary placement, T0-T4), and is_long_term_placement = that placement is long-term fostering, PLACE U1
        or U4 (a recorded long-term match, ssd_cla_placement, is not staged: the default false, flagged by the
        framework as default_applied:long_term_match=false).
    -#}
    select
        {% for column in columns %}placed.{{ column }},
        {% endfor -%}
        case
            when cast(substring(placed.latest_placement_key, 1, 10) as date) >= placed.period_start_date
                then cast(substring(placed.latest_placement_key, 1, 10) as date)
            else placed.period_start_date
        end as placement_start_date,
        coalesce(
            cast(substring(placed.latest_placement_key, 1, 10) as date) >= placed.period_start_date
            and substring(placed.latest_placement_key, 11) in ('U1', 'U4'),
            false
        ) as is_long_term_placement
    from (
        {{ latest_event_on_each_row(
            relation, columns, ref('int_placements_derived'), 'placement_start_date',
            "cast(events.placement_start_date as varchar) || coalesce(events.placement_type, '')",
            'latest_placement_key'
        ) }}
    ) as placed
{%- endmacro %}


{% macro cla_requirement_code(last_seen_date, placement_start_date, is_long_term_placement) %}
    {#-
        Care Planning Regulations 2010 reg. 28 (kpi-catalogue §1.1 b07): the ref_visit_frequency row that sets the
        next interval of a looked-after child. No counted visit yet in the current placement: CLA_PLACEMENT_START
        (1 week after the placement's start; every placement restarts it). Else by when the last visit fell: in the
        placement's first 12 months CLA_FIRST_YEAR (6 weeks), after them CLA_LONG_TERM (3 months, long-term
        placements) or CLA_NOT_LONG_TERM (6 weeks).
    -#}
    case
        when {{ last_seen_date }} is null then 'CLA_PLACEMENT_START'
        when {{ last_seen_date }} < {{ add_months(placement_start_date, 12) }} then 'CLA_FIRST_YEAR'
        when {{ is_long_term_placement }} then 'CLA_LONG_TERM'
        else 'CLA_NOT_LONG_TERM'
    end
{%- endmacro %}

{% macro statutory_seen_visits(visits_relation) %}
    {#-
        A select of the visits that reset a visiting clock (b04, t_visits_in_time_all): statutory visits of a
        statutory visiting requirement's context with the child seen (a visit where the child was not seen never
        resets it). Columns la_code, child_id, visit_date; `visits_relation` has int_visits_unioned's columns.
    -#}
    select
        la_code,
        child_id,
        visit_date
    from {{ visits_relation }}
    where
        is_statutory
        and child_seen = 'Y'
        and visit_context in ({{ statutory_visit_contexts() }})
{%- endmacro %}


{% macro looked_after_on(cla_periods_relation, dates_relation, date_columns) %}
    {#-
        A select of each child looked after on each date of `dates_relation`: a period of care of
        `cla_periods_relation` (int_cla_periods_derived, short breaks already out) open on the date (start <= d and
        (end is null or end > d), kpi-catalogue §0.2), with the period's start. `date_columns` are the columns of
        `dates_relation` to carry, the first being the date itself (snapshot_date). Columns la_code, child_id,
        the date columns, period_start_date.
    -#}
    select
        cla_periods.la_code,
        cla_periods.child_id,
        {%- for column in date_columns %}
        dates.{{ column }},
        {%- endfor %}
        min(cla_periods.period_start_date) as period_start_date
    from {{ cla_periods_relation }} as cla_periods
    inner join {{ dates_relation }} as dates
        on
            cla_periods.period_start_date <= dates.{{ date_columns[0] }}
            and (cla_periods.period_end_date is null or cla_periods.period_end_date > dates.{{ date_columns[0] }})
    group by cla_periods.la_code, cla_periods.child_id{% for column in date_columns %}, dates.{{ column }}{% endfor %}
{%- endmacro %}


{% macro last_seen_since(visit_date_expression, start_column) %}
    {#-
        The latest counted visit as a clock start: `visit_date_expression` (the date of the latest visit on or
        before d, from latest_event_on_each_row's key) when it is on or after `start_column` (the requirement's or
        placement's start), else null (no visit since the start: the clock runs from the start).
    -#}
    case
        when {{ visit_date_expression }} >= {{ start_column }} then {{ visit_date_expression }}
    end
{%- endmacro %}


{% macro care_leavers_are_visit_requirements() %}
    {#-
        A SQL boolean literal: are relevant and former relevant care leavers a visiting requirement (PATHWAY) of
        t_visits_in_time_all? The dbt var t_visits_count_care_leavers (dbt_project.yml, default true: the
        kpi-catalogue §1.3 row's "(proposed) care leavers"); false gives the §2.5 B4 population (CIN, CP, CLA,
        open assessments), the one S2's §5.2 service counts fit (docs/marts/compliance.md).
    -#}
    {%- set value = var('t_visits_count_care_leavers', true) -%}
    {%- if value is string and (value | lower | trim) in ['true', 'false'] -%}
        {%- set value = (value | lower | trim) == 'true' -%}
    {%- endif -%}
    {%- if value is not sameas true and value is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "t_visits_count_care_leavers must be true or false (kpi-catalogue §1.3), got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {{ 'true' if value else 'false' }}
{%- endmacro %}
