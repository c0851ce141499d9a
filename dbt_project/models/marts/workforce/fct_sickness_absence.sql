-- Members of the sickness absence rates (kpi-catalogue §1.3 t_sickness_absence, month and YTD; §1.2
-- p_short_term_absence_ytd, YTD; §2.5 B14): one row per employee (HR person) per window, with
--   numerator   = working days lost to sickness in the window, FTE-weighted: as HR delivered it for the spell
--                 (working_days_lost, apportioned to the window by its share of the spell's working days, 2 dp),
--                 else the spell's working days in the window x fte_at_time (else the person's FTE on the first
--                 day of absence, else 1). An ongoing spell runs to `as_of` (input contract §4.1 "counted to as_at").
--                 p_short_term_absence_ytd counts short-term spells only: long_term as delivered, else a
--                 continuous spell of more than 20 working days is long-term.
--   denominator = FTE-weighted available working days: for every employee assignment, its FTE x its working days
--                 in the window (agency workers are not employees and are not counted).
-- Working days: Monday-Friday except England and Wales bank holidays (int_calendar_days_listed). A person is
-- attributed to their primary position on the latest month end of the window they were in post.
with

windows as (
    select * from {{ ref('int_flow_windows_listed') }}
    where measure_window in ('month', 'ytd')
),

calendar as (
    select * from {{ ref('int_calendar_days_listed') }}
),

assignments as (
    select * from {{ ref('int_workforce_assignments_unioned') }}
    where assignment_source = 'employee'
),

absences as (
    select * from {{ ref('stg_hr__absences') }}
    where absence_type = 'SICKNESS'
),

people as (
    select * from {{ ref('int_workforce_people_at_month_end') }}
),

available as (
    select
        assignments.la_code,
        assignments.person_ref,
        windows.period_end,
        windows.measure_window,
        sum(
            assignments.fte
            * (
                last_day.working_day_number - first_day.working_day_number
                + case when first_day.is_working_day then 1 else 0 end
            )
        ) as available_days
    from assignments
    inner join windows
        on
            assignments.start_date <= windows.window_end
            and (assignments.end_date is null or assignments.end_date >= windows.window_start)
    inner join calendar as first_day
        on first_day.calendar_date = greatest(assignments.start_date, windows.window_start)
    inner join calendar as last_day
        on last_day.calendar_date = least(coalesce(assignments.end_date, windows.window_end), windows.window_end)
    group by assignments.la_code, assignments.person_ref, windows.period_end, windows.measure_window
),

fte_on_start as (
    -- The person's FTE on the first day of each absence (all employee assignments held that day).
    select
        absences.absence_id,
        absences.la_code,
        sum(assignments.fte) as fte
    from absences
    inner join assignments
        on
            absences.la_code = assignments.la_code
            and absences.hr_person_id = assignments.hr_person_id
            and absences.start_date >= assignments.start_date
            and (assignments.end_date is null or absences.start_date <= assignments.end_date)
    group by absences.absence_id, absences.la_code
),

spells as (
    -- Each sickness spell with its length in working days (to `as_of` while ongoing), its long-term flag and the
    -- FTE it is weighted by.
    select
        absences.la_code,
        absences.absence_id,
        'hr:' || absences.hr_person_id as person_ref,
        absences.start_date,
        least(coalesce(absences.end_date, {{ as_of_date() }}), {{ as_of_date() }}) as known_end_date,
        absences.working_days_lost_delivered,
        coalesce(absences.fte_at_time, fte_on_start.fte, 1) as weighting_fte,
        spell_last.working_day_number - spell_first.working_day_number
        + case when spell_first.is_working_day then 1 else 0 end as spell_working_days,
        absences.is_long_term_delivered
    from absences
    inner join calendar as spell_first
        on absences.start_date = spell_first.calendar_date
    inner join calendar as spell_last
        on spell_last.calendar_date = least(coalesce(absences.end_date, {{ as_of_date() }}), {{ as_of_date() }})
    left join fte_on_start
        on absences.la_code = fte_on_start.la_code and absences.absence_id = fte_on_start.absence_id
    where absences.start_date <= {{ as_of_date() }}
),

spell_days as (
    select
        spells.la_code,
        spells.person_ref,
        windows.period_end,
        windows.measure_window,
        coalesce(spells.is_long_term_delivered, spells.spell_working_days > 20) as is_long_term,
        case
            when spells.working_days_lost_delivered is not null
                then round(
                        cast(
                            spells.working_days_lost_delivered
                            * (
                                window_last.working_day_number - window_first.working_day_number
                                + case when window_first.is_working_day then 1 else 0 end
                            )
                            / nullif(spells.spell_working_days, 0) as numeric(18, 6)
                        ),
                        2
                    )
            else spells.weighting_fte
                * (
                    window_last.working_day_number - window_first.working_day_number
                    + case when window_first.is_working_day then 1 else 0 end
                )
        end as days_lost
    from spells
    inner join windows
        on spells.start_date <= windows.window_end and spells.known_end_date >= windows.window_start
    inner join calendar as window_first
        on window_first.calendar_date = greatest(spells.start_date, windows.window_start)
    inner join calendar as window_last
        on window_last.calendar_date = least(spells.known_end_date, windows.window_end)
),

lost as (
    select
        la_code,
        person_ref,
        period_end,
        measure_window,
        sum(coalesce(days_lost, 0)) as all_days_lost,
        sum(case when not is_long_term then coalesce(days_lost, 0) else 0 end) as short_term_days_lost
    from spell_days
    group by la_code, person_ref, period_end, measure_window
),

person_windows as (
    select
        la_code,
        person_ref,
        period_end,
        measure_window
    from available
    union
    select
        la_code,
        person_ref,
        period_end,
        measure_window
    from lost
),

placed as (
    -- The person's primary position on the latest month end of the window they were in post.
    select
        person_windows.la_code,
        person_windows.person_ref,
        person_windows.period_end,
        person_windows.measure_window,
        people.service_code,
        people.team_id,
        people.role_code,
        row_number() over (
            partition by
                person_windows.la_code, person_windows.person_ref, person_windows.period_end,
                person_windows.measure_window
            order by people.month_end desc
        ) as latest_first
    from person_windows
    inner join windows
        on person_windows.period_end = windows.period_end and person_windows.measure_window = windows.measure_window
    left join people
        on
            person_windows.la_code = people.la_code
            and person_windows.person_ref = people.person_ref
            and people.month_end between windows.window_start and windows.window_end
),

members as (
    select
        placed.la_code,
        kpi_ids.kpi_id,
        placed.period_end,
        placed.measure_window,
        placed.person_ref,
        case
            when kpi_ids.kpi_id = 'p_short_term_absence_ytd' then coalesce(lost.short_term_days_lost, 0)
            else coalesce(lost.all_days_lost, 0)
        end as numerator_amount,
        coalesce(available.available_days, 0) as denominator_amount,
        placed.service_code,
        placed.team_id,
        placed.role_code
    from placed
    inner join (
        values
        ('t_sickness_absence', 'month'),
        ('t_sickness_absence', 'ytd'),
        ('p_short_term_absence_ytd', 'ytd')
    ) as kpi_ids (kpi_id, measure_window)
        on placed.measure_window = kpi_ids.measure_window
    left join available
        on
            placed.la_code = available.la_code
            and placed.person_ref = available.person_ref
            and placed.period_end = available.period_end
            and placed.measure_window = available.measure_window
    left join lost
        on
            placed.la_code = lost.la_code
            and placed.person_ref = lost.person_ref
            and placed.period_end = lost.period_end
            and placed.measure_window = lost.measure_window
    where placed.latest_first = 1
),

shaped as (
    select
        la_code,
        kpi_id,
        period_end,
        measure_window,
        period_end as snapshot_date,
        {{ worker_key('la_code', 'person_ref') }} as worker_key,
        {{ worker_key('la_code', 'person_ref') }} as item_key,
        'person' as item_type,
        cast(null as date) as event_date,
        case when numerator_amount > 0 then 'sickness_absence' else 'no_sickness_absence' end as status,
        denominator_amount > 0 as in_denominator,
        numerator_amount > 0 as in_numerator,
        numerator_amount,
        denominator_amount,
        service_code,
        team_id,
        role_code
    from members
),

final as (
    {{ workforce_members_final('shaped') }}
)

select * from final
