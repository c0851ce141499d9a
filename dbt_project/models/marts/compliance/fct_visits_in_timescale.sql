-- All statutory visits in timescale (kpi-catalogue §1.3 t_visits_in_time_all, §2.5 B4; the weekly Compliance
-- Report "visits in timescale" by service) in the common members shape (docs/marts/compliance.md): a snapshot on
-- every month end and weekly CR date d, one row per child (item = the child).
-- Population: every child with a statutory visiting requirement open on d (open = start <= d and (end is null or
-- end > d), §0.2):
--   CP       a CP plan (other-LA plans are not the organisation's requirement)      start: plan start
--   CLA      looked after, short breaks excluded (int_cla_periods_derived)           reg. 28 (current_placement)
--   CIN      a CIN plan                                                               start: plan start
--   ASSESS   an open assessment (started by d, not authorised by d)                  start: assessment start
--   PATHWAY  a relevant or former relevant care leaver in the month's ssd_care_leavers snapshot (the delivery of
--            d's reporting month)                                 start: the end of the latest period of care
-- The requirement that governs a child with several is the one with the lowest ref_visit_frequency priority
-- (CP > CLA > CIN > ASSESS > PATHWAY, catalogue "use the most frequent one (CP > CLA > CIN)"); two of one kind:
-- the latest start. last_seen = the latest statutory visit (any requirement's context) with the child seen from
-- the governing requirement's start to d; next_due = last_seen (or the start, when none) + the requirement's
-- interval (CLA: the reg. 28 stage). In time <=> next_due >= d (due exactly on d is in time).
-- Visits to children in assessment and to care leavers are recorded in local_visits (input contract §2.3, AM-12):
-- when the month's delivery has no landed local_visits (absent, rejected or header-only), the ASSESS and PATHWAY
-- requirements cannot be measured. A child who has only those is listed with status 'no_data', in neither count
-- (fct_compliance_indicators flags the figure partial_population from ref_kpi_source_tables); a child with another
-- requirement too is measured by that one.
-- status: 'in_time', 'overdue', 'no_data'. Attribution (§0.4): the allocation open on d; else the governing
-- requirement's team (CIN plan or assessment team, the CP plan's or assessment's referral team, the care leaver's
-- allocated team); else the requirement's owning service (ref_visit_frequency: CP/CIN S&FS, CLA/PATHWAY CLA&SS,
-- ASSESS R&A). Columns: start_date = the governing requirement's start (CLA: the current placement's),
-- completed_date = last_seen (null when none since the start), due_date = next_due.
-- The PATHWAY requirement is the catalogue §1.3 row's "(proposed) care leavers"; §2.5 B4 and the S2 counts of §5.2
-- (CLA&SS 371-384 beside 195-230 CLA) leave them out, so the dbt var t_visits_count_care_leavers (default true, the
-- row's proposal) lets an organisation measure the CR population without them (macro
-- care_leavers_are_visit_requirements, docs/marts/compliance.md).
with

cp_plans as (
    select * from {{ ref('int_cp_plans_conformed') }}
),

cin_plans as (
    select * from {{ ref('int_cin_plans_conformed') }}
),

assessments as (
    select * from {{ ref('int_assessments_conformed') }}
),

referrals as (
    select * from {{ ref('int_referrals_conformed') }}
),

cla_periods as (
    select * from {{ ref('int_cla_periods_derived') }}
),

care_leavers as (
    select * from {{ ref('stg_ssd__care_leavers') }}
),

visits as (
    select * from {{ ref('int_visits_unioned') }}
),

deliveries as (
    select * from {{ ref('int_source_tables_delivered') }}
),

snapshot_dates as (
    select * from {{ ref('int_snapshot_dates_listed') }}
),

snapshot_days as (
    -- Each distinct snapshot date once, with its reporting month (a CR date that is a month end is one day).
    select distinct
        snapshot_date,
        period_end
    from snapshot_dates
),

seen_visits as (
    {{ statutory_seen_visits('visits') }}
),

requirement_items as (
    -- Each plan and assessment that is a visiting requirement, with its open interval and the team owning it (the
    -- referral joined before the snapshot dates multiply the rows).
    select
        cp_plans.la_code,
        cp_plans.child_id,
        cast('CP' as varchar) as requirement_code,
        cp_plans.cp_plan_id as requirement_id,
        cp_plans.cp_plan_start_date as requirement_start_date,
        cp_plans.cp_plan_end_date as requirement_end_date,
        referrals.team_id as episode_team_id
    from cp_plans
    left join referrals
        on
            cp_plans.la_code = referrals.la_code
            and cp_plans.referral_id = referrals.referral_id
    where not cp_plans.is_other_la_plan
    union all
    select
        cin_plans.la_code,
        cin_plans.child_id,
        cast('CIN' as varchar) as requirement_code,
        cin_plans.cin_plan_id as requirement_id,
        cin_plans.cin_plan_start_date as requirement_start_date,
        cin_plans.cin_plan_end_date as requirement_end_date,
        coalesce(cin_plans.team_id, referrals.team_id) as episode_team_id
    from cin_plans
    left join referrals
        on
            cin_plans.la_code = referrals.la_code
            and cin_plans.referral_id = referrals.referral_id
    union all
    select
        assessments.la_code,
        assessments.child_id,
        cast('ASSESS' as varchar) as requirement_code,
        assessments.assessment_id as requirement_id,
        assessments.assessment_start_date as requirement_start_date,
        assessments.assessment_authorisation_date as requirement_end_date,
        coalesce(assessments.team_id, referrals.team_id) as episode_team_id
    from assessments
    left join referrals
        on
            assessments.la_code = referrals.la_code
            and assessments.referral_id = referrals.referral_id
),

care_leaver_days as (
    -- Relevant and former relevant care leavers of the snapshot delivered for d's reporting month.
    select distinct
        care_leavers.la_code,
        care_leavers.child_id,
        snapshot_days.snapshot_date,
        snapshot_days.period_end,
        care_leavers.allocated_team_id
    from care_leavers
    inner join snapshot_days
        on care_leavers.snapshot_date = snapshot_days.period_end
    where
        care_leavers.eligibility in ('RELEVANT', 'FORMER_RELEVANT')
        -- false: care leavers are not a visiting requirement of this measure (var t_visits_count_care_leavers).
        and {{ care_leavers_are_visit_requirements() }}
),

-- The care leavers with the day their latest period of care ended on or before d (null when none is on record).
care_leavers_on_snapshot as (
    {{ latest_event_on_each_row(
        'care_leaver_days', ['la_code', 'child_id', 'snapshot_date', 'period_end', 'allocated_team_id'],
        '(select * from cla_periods where period_end_date is not null)', 'period_end_date',
        'cast(events.period_end_date as varchar)', 'left_care_key'
    ) }}
),

requirements as (
    -- The non-CLA requirements open on each snapshot date (start <= d and (end is null or end > d)).
    select
        requirement_items.la_code,
        requirement_items.child_id,
        snapshot_days.snapshot_date,
        snapshot_days.period_end,
        requirement_items.requirement_code,
        requirement_items.requirement_id,
        requirement_items.requirement_start_date,
        requirement_items.episode_team_id
    from requirement_items
    inner join snapshot_days
        on
            requirement_items.requirement_start_date <= snapshot_days.snapshot_date
            and (
                requirement_items.requirement_end_date is null
                or requirement_items.requirement_end_date > snapshot_days.snapshot_date
            )
    union all
    select
        la_code,
        child_id,
        snapshot_date,
        period_end,
        cast('PATHWAY' as varchar) as requirement_code,
        child_id as requirement_id,
        cast(left_care_key as date) as requirement_start_date,
        allocated_team_id as episode_team_id
    from care_leavers_on_snapshot
),

frequencies as (
    {{ visit_frequencies('deliveries') }}
),

local_visits_delivered as (
    -- (la_code, period_end) keys of the months whose delivery landed local_visits (partly rejected counts: its
    -- rows are there).
    select la_code || '|' || cast(period_end as varchar) as organisation_month
    from deliveries
    where
        table_name = 'local_visits'
        and delivery_status in ('landed', 'partly_rejected')
),

looked_after as (
    {{ looked_after_on('cla_periods', 'snapshot_days', ['snapshot_date', 'period_end']) }}
),

cla_placed as (
    {{ current_placement(
        'looked_after', ['la_code', 'child_id', 'snapshot_date', 'period_end', 'period_start_date']
    ) }}
),

candidates as (
    -- Every requirement of every child on every date; the CLA one starts at the current placement.
    select
        la_code,
        child_id,
        snapshot_date,
        period_end,
        requirement_code,
        requirement_id,
        requirement_start_date,
        episode_team_id,
        false as is_long_term_placement
    from requirements
    union all
    select
        la_code,
        child_id,
        snapshot_date,
        period_end,
        cast('CLA' as varchar) as requirement_code,
        child_id as requirement_id,
        placement_start_date as requirement_start_date,
        cast(null as varchar) as episode_team_id,
        is_long_term_placement
    from cla_placed
),

-- Each requirement row with the child's latest counted visit on or before d.
candidates_seen as (
    {{ latest_event_on_each_row(
        'candidates',
        ['la_code', 'child_id', 'snapshot_date', 'period_end', 'requirement_code', 'requirement_id',
            'requirement_start_date', 'episode_team_id', 'is_long_term_placement'],
        'seen_visits', 'visit_date', 'cast(events.visit_date as varchar)', 'latest_visit_key'
    ) }}
),

clocked_candidates as (
    -- The counted visit is the latest one since the requirement started; a looked-after child's requirement is
    -- the reg. 28 stage that visit sets.
    select
        seen.*,
        case
            when seen.requirement_code = 'CLA'
                then {{ cla_requirement_code(
                    'seen.last_seen_date', 'seen.requirement_start_date', 'seen.is_long_term_placement'
                ) }}
            else seen.requirement_code
        end as frequency_code
    from (
        select
            candidates_seen.*,
            {{ last_seen_since(
                'cast(candidates_seen.latest_visit_key as date)', 'candidates_seen.requirement_start_date'
            ) }} as last_seen_date,
            candidates_seen.requirement_code not in ('ASSESS', 'PATHWAY')
            or candidates_seen.la_code || '|' || cast(candidates_seen.period_end as varchar) in (
                select local_visits_delivered.organisation_month from local_visits_delivered
            ) as is_measurable
        from candidates_seen
    ) as seen
),

governing as (
    -- The requirement that sets the child's clock: a measurable one first, then the priority, then the latest
    -- start (then the id, for a deterministic choice).
    select ranked.*
    from (
        select
            clocked_candidates.*,
            frequencies.interval_value,
            frequencies.interval_unit,
            frequencies.owning_service_code,
            row_number() over (
                partition by clocked_candidates.la_code, clocked_candidates.child_id, clocked_candidates.snapshot_date
                order by
                    case when clocked_candidates.is_measurable then 0 else 1 end asc,
                    frequencies.priority asc,
                    clocked_candidates.requirement_start_date desc nulls last,
                    clocked_candidates.requirement_id asc
            ) as requirement_rank
        from clocked_candidates
        -- A left join keeps PostgreSQL's row estimate (every requirement has a default row).
        left join frequencies
            on
                clocked_candidates.la_code = frequencies.la_code
                and clocked_candidates.frequency_code = frequencies.requirement_code
    ) as ranked
    where ranked.requirement_rank <= 1
),

clocked as (
    select
        governing.*,
        {{ visit_due_date(
            'coalesce(governing.last_seen_date, governing.requirement_start_date)',
            'governing.interval_value',
            'governing.interval_unit'
        ) }} as next_due_date
    from governing
),

attributed as (
    {{ attributed_to_allocation(
        'clocked', ['la_code', 'child_id', 'snapshot_date'], 'snapshot_date', 'episode_team_id',
        'owning_service_code'
    ) }}
),

member_rows as (
    select
        attributed.*,
        snapshot_dates.measure_window,
        coalesce(attributed.next_due_date >= attributed.snapshot_date, false) as is_in_time
    from attributed
    inner join snapshot_dates
        on attributed.snapshot_date = snapshot_dates.snapshot_date
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast('t_visits_in_time_all' as varchar) as kpi_id,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as child_key,
        cast({{ pseudonymous_key('la_code', 'child_id') }} as varchar) as item_key,
        cast(requirement_start_date as date) as start_date,
        cast(next_due_date as date) as due_date,
        cast(last_seen_date as date) as completed_date,
        cast(
            case
                when not is_measurable then 'no_data'
                when is_in_time then 'in_time'
                else 'overdue'
            end as varchar
        ) as status,
        cast(is_measurable as boolean) as in_denominator,
        cast(is_measurable and is_in_time as boolean) as in_numerator,
        {{ member_attribution_columns() }}
    from member_rows
)

select * from final
