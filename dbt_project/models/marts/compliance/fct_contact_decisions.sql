-- Contacts decided within 1 working day (kpi-catalogue §1.1 b01_contact_decision_1wd, §2.5 B1) in the common members
-- shape (docs/marts/compliance.md): a flow, one row per contact per window (month, ytd, rolling_12m) of each period
-- end that holds the day it was received.
--   received_date  the Europe/London date of cont_contact_date (int_contacts_conformed.contact_received_date).
--   decision_date  the Europe/London date of local_decision_datetime, taken only when on or before the period end:
--                  each period end sees the contact as it stood then, so a month's figure does not change when a
--                  later run knows more.
--   in time        working_days_between(received_date, decision_date) <= 1 (the catalogue row's formula: working
--                  days x with received < x <= decision), i.e. decided before the 2nd working day after receipt.
--                  due_date is the last such day: a Friday contact is due by Monday (Sunday when Monday is the 2nd
--                  working day after a Thursday), a Maundy Thursday one by Easter Tuesday. The formula has no day-1
--                  reading, so the var start_is_day_one does not apply.
--   undecided      not decided by the period end: a failure ('overdue', in the denominator) once due_date has
--                  passed (due_date <= period end: no decision can be in time any more, "older than 1 WD");
--                  before that 'not_yet_due', in neither count (a contact received on the period end itself).
--   DUPLICATE      decision outcome DUPLICATE (merged into another contact, §2.5 B1): 'excluded', in neither count.
-- Attribution (catalogue grain: the front-door team): the contact's own team (local_team_id) when delivered, with
-- its service; else the §0.4 rule on the received date (the case-holding allocation open that day), else R&A
-- (the front door).
-- b01v_referral_decision_1wd (§2.5 B1, the referral-only variant): the same rows and rule, for the contacts whose
-- decision outcome is REF_CSC (a new referral to children's social care) only; other contacts are not listed
-- under it. The outcome has no date of its own and is taken as delivered; an undecided contact normally has none
-- yet, so the variant counts the decided referrals (in time or late) and any undecided one already marked REF_CSC.
{%- set contact_kpis = [
    ('b01_contact_decision_1wd', 'true'),
    ('b01v_referral_decision_1wd', "coalesce(decision_outcome = 'REF_CSC', false)"),
] %}
with

contacts as (
    select * from {{ ref('int_contacts_conformed') }}
),

flow_windows as (
    select * from {{ ref('int_flow_windows_listed') }}
),

contacts_dated as (
    -- The contacts some window can hold, with their local decision date and the last day a decision is in time.
    select
        la_code,
        contact_id,
        child_id,
        contact_received_date,
        {{ local_date('decision_at') }} as decision_date,
        decision_outcome,
        is_duplicate,
        team_id as front_door_team_id,
        cast('RA' as varchar) as front_door_service_code,
        -- The 2nd working day after receipt is add_working_days(the day after, 1) under day 0; the day before it is
        -- the last day with working_days_between(received, day) <= 1.
        {{ add_days(add_working_days(add_days('contact_received_date', 1), 1, start_is_day_one=false), -1) }}
            as due_date,
        -- The catalogue row's test, once per contact (each window then only asks whether the decision was known).
        {{ working_days_between('contact_received_date', local_date('decision_at')) }} <= 1 as is_decided_within_1wd
    from contacts
    where
        contact_received_date >= (select min(flow_windows.window_start) from flow_windows)
        and contact_received_date <= {{ as_of_date() }}
),

with_team as (
    select * from contacts_dated
    where front_door_team_id is not null
),

without_team as (
    select * from contacts_dated
    where front_door_team_id is null
),

-- roles=[]: no allocation is looked up, so the contact's own team is attributed (EPISODE_TEAM) with the service of
-- its ssd_department snapshot, by the macro's own snapshot rule.
team_attributed as (
    {{ attributed_to_allocation(
        'with_team', ['la_code', 'contact_id'], 'contact_received_date', 'front_door_team_id',
        'front_door_service_code', roles=[]
    ) }}
),

allocation_attributed as (
    {{ attributed_to_allocation(
        'without_team', ['la_code', 'contact_id'], 'contact_received_date', none, 'front_door_service_code'
    ) }}
),

attributed as (
    select * from team_attributed
    union all
    select * from allocation_attributed
),

windowed as (
    -- Each contact once per window holding its received date, with the decision as known at the period end.
    select
        attributed.*,
        flow_windows.period_end,
        flow_windows.measure_window,
        case
            when attributed.decision_date <= flow_windows.period_end then attributed.decision_date
        end as decision_date_known
    from attributed
    inner join flow_windows
        on attributed.contact_received_date between flow_windows.window_start and flow_windows.window_end
),

judged as (
    select
        *,
        case
            when is_duplicate then 'excluded'
            when decision_date_known is not null and is_decided_within_1wd then 'in_time'
            when decision_date_known is not null then 'late'
            when due_date <= period_end then 'overdue'
            else 'not_yet_due'
        end as status
    from windowed
),

final as (
    {%- for kpi_id, population in contact_kpis %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            cast(la_code as varchar) as la_code,
            cast('{{ kpi_id }}' as varchar) as kpi_id,
            cast(period_end as date) as period_end,
            cast(measure_window as varchar) as measure_window,
            cast(period_end as date) as snapshot_date,
            cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
            cast({{ pseudonymous_key('la_code', "'contact|' || contact_id") }} as varchar) as item_key,
            cast(contact_received_date as date) as start_date,
            cast(due_date as date) as due_date,
            cast(decision_date_known as date) as completed_date,
            cast(status as varchar) as status,
            cast(status in ('in_time', 'late', 'overdue') as boolean) as in_denominator,
            cast(status = 'in_time' as boolean) as in_numerator,
            {{ member_attribution_columns() }}
        from judged
        where {{ population }}
    {%- endfor %}
)

select * from final
