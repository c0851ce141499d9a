-- CLA seen alone at a statutory visit within timescales (kpi-catalogue §1.1 b07_cla_visit_seen_alone) in the
-- common members shape (docs/marts/compliance.md): a snapshot on every month end d (the catalogue row is a
-- month-end measure; no weekly CR rows).
-- Population: children looked after on d, short breaks (V3/V4) excluded: a period of care open on d
-- (int_cla_periods_derived: start <= d and (end is null or end > d), §0.2). One row per child (item = the child).
-- Timescale: Care Planning Regulations 2010 reg. 28 with the intervals of ref_visit_frequency
-- (macros/compliance/visit_clock.sql: current_placement, cla_requirement_code): the first visit within 1 week of
-- the start of each placement, then at most 6 weeks in the placement's first year, then at most 3 months for a
-- long-term placement (PLACE U1/U4) or 6 weeks otherwise. Only CLA statutory visits with the child seen count
-- (the catalogue row's source is cs_visit visit_context 'CLA'); overdue <=> d > due date, so a visit due exactly
-- on d is in time.
-- Seen alone: the latest CLA statutory visit with the child seen in the period of care up to d (of several that
-- day, the best: Y, then NA, then N); 'Y' meets it, and so does 'NA' (seeing alone not appropriate, e.g. under 4
-- or non-verbal: met when seen, input contract AM-23). No visit yet in the period: not met.
-- Numerator: not overdue AND seen alone met. status: 'in_time' (numerator), 'not_seen_alone' (not overdue, the
-- last visit not seen alone or none yet), 'overdue'. Attribution (§0.4): the allocation open on d; else the CLA
-- requirement's owning service (CLA&SS; 903 episodes name no team).
-- Columns: start_date = the current placement's start, completed_date = the latest counted visit of the
-- placement (null when none yet), due_date = the last day the next visit is in time.
with

cla_periods as (
    select * from {{ ref('int_cla_periods_derived') }}
),

visits as (
    select * from {{ ref('int_visits_unioned') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
    where measure_window = 'month_end'
),

frequencies as (
    {{ visit_frequencies('cla_periods') }}
),

cla_visits as (
    -- The visits b07 counts: statutory CLA visits with the child seen.
    select
        la_code,
        child_id,
        visit_date,
        seen_alone
    from visits
    where
        is_statutory
        and child_seen = 'Y'
        and visit_context = 'CLA'
),

looked_after as (
    -- Each child looked after on each month end: the period of care open on it.
    {{ looked_after_on('cla_periods', 'snapshot_dates', ['snapshot_date']) }}
),

cla_placed as (
    {{ current_placement('looked_after', ['la_code', 'child_id', 'snapshot_date', 'period_start_date']) }}
),

-- The latest counted visit on or before d, keyed by its date and then how the child was seen (of several that
-- day the best: Y 3, NA 2, N 1).
cla_seen as (
    {{ latest_event_on_each_row(
        'cla_placed',
        ['la_code', 'child_id', 'snapshot_date', 'period_start_date', 'placement_start_date',
            'is_long_term_placement'],
        'cla_visits', 'visit_date',
        "cast(events.visit_date as varchar)
            || case events.seen_alone when 'Y' then '3' when 'NA' then '2' when 'N' then '1' else '0' end",
        'latest_visit_key'
    ) }}
),

clocked as (
    -- The clock runs from the latest visit since the placement started; seeing alone looks at the latest visit
    -- of the period of care.
    select
        visited.*,
        {{ cla_requirement_code(
            'visited.last_seen_date', 'visited.placement_start_date', 'visited.is_long_term_placement'
        ) }} as cla_requirement_code
    from (
        select
            cla_seen.*,
            {{ last_seen_since(
                'cast(substring(cla_seen.latest_visit_key, 1, 10) as date)', 'cla_seen.placement_start_date'
            ) }} as last_seen_date,
            coalesce(
                cast(substring(cla_seen.latest_visit_key, 1, 10) as date) >= cla_seen.period_start_date
                and substring(cla_seen.latest_visit_key, 11) in ('3', '2'),
                false
            ) as is_seen_alone
        from cla_seen
    ) as visited
),

judged as (
    select
        clocked.*,
        frequencies.owning_service_code,
        {{ visit_due_date(
            'coalesce(clocked.last_seen_date, clocked.placement_start_date)',
            'frequencies.interval_value',
            'frequencies.interval_unit'
        ) }} as cla_due_date
    from clocked
    -- A left join keeps PostgreSQL's row estimate (every requirement has a default row).
    left join frequencies
        on
            clocked.la_code = frequencies.la_code
            and clocked.cla_requirement_code = frequencies.requirement_code
),

attributed as (
    {{ attributed_to_allocation(
        'judged', ['la_code', 'child_id', 'snapshot_date'], 'snapshot_date', none, 'owning_service_code'
    ) }}
),

member_rows as (
    select
        attributed.*,
        snapshot_dates.period_end,
        snapshot_dates.measure_window,
        coalesce(attributed.snapshot_date <= attributed.cla_due_date, false) as is_in_time
    from attributed
    inner join snapshot_dates
        on attributed.snapshot_date = snapshot_dates.snapshot_date
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast('b07_cla_visit_seen_alone' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as item_key,
        cast(placement_start_date as date) as start_date,
        cast(cla_due_date as date) as due_date,
        cast(last_seen_date as date) as completed_date,
        cast(
            case
                when not is_in_time then 'overdue'
                when is_seen_alone then 'in_time'
                else 'not_seen_alone'
            end as varchar
        ) as status,
        cast(true as boolean) as in_denominator,
        cast(is_in_time and is_seen_alone as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
