-- Members of permanent staff turnover over the rolling 12 months (kpi-catalogue §1.1 b22 and its companion b22v,
-- §2.5 B13: headcount basis, all permanent leavers; voluntary as a companion), window 'rolling_12m' of each of the
-- 13 period ends: (period_end - 12 months, period_end], so a leaver whose last day is the period end counts and
-- one whose last day is period_end - 12 months does not.
--   leaver rows     each hr_leaver with contract_type PERM and leave_date in the window (internal moves never
--                   appear in hr_leaver; agency workers and fixed-term contracts are not PERM): numerator 1 (b22v:
--                   1 only when voluntary).
--   headcount rows  each person holding a PERM assignment on any of the 13 month ends in the window (period_end
--                   and the 12 before it): denominator = the number of those month ends they held one. The
--                   indicator divides the denominator by 13: the average permanent headcount.
-- A leaver is attributed to the team and role of their post on their last day; a headcount row to the person's
-- primary position on the latest of its month ends.
with

windows as (
    select * from {{ ref('int_flow_windows_listed') }}
    where measure_window = 'rolling_12m'
),

month_ends as (
    select * from {{ ref('int_workforce_month_ends_listed') }}
),

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

people as (
    select * from {{ ref('int_workforce_people_at_month_end') }}
    where is_permanent
),

leavers as (
    select * from {{ ref('stg_hr__leavers') }}
    where contract_type = 'PERM'
),

posts as (
    select * from {{ ref('stg_hr__posts') }}
),

teams as (
    select * from {{ ref('int_workforce_teams_at_month_end') }}
),

leaver_posts as (
    -- The post left (as delivered) in its version funded on the last day, and its team's service that month.
    select
        leavers.la_code,
        leavers.hr_person_id,
        leavers.leave_date,
        leavers.is_voluntary,
        leavers.leave_reason,
        posts.team_id,
        posts.job_family,
        teams.service_code
    from leavers
    left join posts
        on
            leavers.la_code = posts.la_code
            and leavers.post_id = posts.post_id
            and leavers.leave_date >= posts.funded_from
            and (posts.funded_to is null or leavers.leave_date <= posts.funded_to)
    left join teams
        on
            posts.la_code = teams.la_code
            and posts.team_id = teams.team_id
            and teams.month_end = {{ add_days(add_months(month_start('leavers.leave_date'), 1), -1) }}
),

leaver_rows as (
    select
        leaver_posts.la_code,
        kpi_ids.kpi_id,
        windows.period_end,
        'hr:' || leaver_posts.hr_person_id as person_ref,
        {{ pseudonymous_key('leaver_posts.la_code',
            "'leaver:' || leaver_posts.hr_person_id || '|' || cast(leaver_posts.leave_date as varchar)") }}
            as item_key,
        'leaver' as item_type,
        leaver_posts.leave_date as event_date,
        case when leaver_posts.is_voluntary then 'voluntary_leaver' else 'involuntary_leaver' end as status,
        false as in_denominator,
        kpi_ids.kpi_id = 'b22_perm_staff_turnover_12m' or leaver_posts.is_voluntary as in_numerator,
        case when kpi_ids.kpi_id = 'b22_perm_staff_turnover_12m' or leaver_posts.is_voluntary then 1 else 0 end
            as numerator_amount,
        0 as denominator_amount,
        leaver_posts.service_code,
        leaver_posts.team_id,
        leaver_posts.job_family as role_code
    from leaver_posts
    inner join windows
        on leaver_posts.leave_date between windows.window_start and windows.window_end
    cross join (
        values ('b22_perm_staff_turnover_12m'), ('b22v_voluntary_turnover')
    ) as kpi_ids (kpi_id)
),

headcount_months as (
    -- Each permanent person on each of the 13 month ends of each period's window.
    select
        people.la_code,
        periods.period_end,
        people.person_ref,
        people.month_end,
        people.service_code,
        people.team_id,
        people.role_code,
        count(*) over (
            partition by people.la_code, periods.period_end, people.person_ref
        ) as months_in_post,
        row_number() over (
            partition by people.la_code, periods.period_end, people.person_ref
            order by people.month_end desc
        ) as latest_first
    from periods
    inner join month_ends
        on
            month_ends.months_before_as_of between periods.months_before_as_of
            and periods.months_before_as_of + 12
    inner join people
        on month_ends.month_end = people.month_end
),

headcount_rows as (
    select
        headcount_months.la_code,
        kpi_ids.kpi_id,
        headcount_months.period_end,
        headcount_months.person_ref,
        {{ pseudonymous_key('headcount_months.la_code', "'headcount:' || headcount_months.person_ref") }} as item_key,
        'permanent_headcount' as item_type,
        headcount_months.month_end as event_date,
        'in_post' as status,
        true as in_denominator,
        false as in_numerator,
        0 as numerator_amount,
        headcount_months.months_in_post as denominator_amount,
        headcount_months.service_code,
        headcount_months.team_id,
        headcount_months.role_code
    from headcount_months
    cross join (
        values ('b22_perm_staff_turnover_12m'), ('b22v_voluntary_turnover')
    ) as kpi_ids (kpi_id)
    where headcount_months.latest_first = 1
),

members as (
    select * from leaver_rows
    union all
    select * from headcount_rows
),

shaped as (
    select
        la_code,
        kpi_id,
        period_end,
        'rolling_12m' as measure_window,
        period_end as snapshot_date,
        {{ worker_key('la_code', 'person_ref') }} as worker_key,
        item_key,
        item_type,
        event_date,
        status,
        in_denominator,
        in_numerator,
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
