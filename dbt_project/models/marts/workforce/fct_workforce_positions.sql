-- Members of the establishment and staffing indicators (snapshots on the 13 period ends, window 'month_end';
-- kpi-catalogue §1.1 b23, §1.2 p_frontline_perm_pct, §1.3 t_frontline_agency_pct and t_qualified_workforce_mix,
-- §2.5 B10). Rows:
--   w_establishment_fte      each funded post: numerator = budgeted FTE
--   w_staff_headcount        each person in post (employee or agency) at their primary position: numerator = 1
--   w_staff_fte              each position held: numerator = its FTE
--   b23 / t_frontline_agency_pct   each frontline position: numerator = agency FTE, denominator = FTE (filled basis)
--   p_frontline_perm_pct     each frontline position: numerator = employed (non-agency) FTE, denominator = FTE
--   t_qualified_workforce_mix_{perm,agency,vacancy}   shares of the frontline ESTABLISHMENT: each frontline post
--       (denominator = budgeted FTE; vacancy numerator + budgeted FTE) and each frontline position (perm numerator
--       = employed FTE, agency numerator = agency FTE, vacancy numerator - FTE): vacancy = establishment - filled.
with

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

posts as (
    select posts.*
    from {{ ref('int_workforce_posts_at_month_end') }} as posts
    inner join periods
        on posts.month_end = periods.period_end
),

positions as (
    select positions.*
    from {{ ref('int_workforce_positions_at_month_end') }} as positions
    inner join periods
        on positions.month_end = periods.period_end
),

people as (
    select people.*
    from {{ ref('int_workforce_people_at_month_end') }} as people
    inner join periods
        on people.month_end = periods.period_end
),

post_rows as (
    select
        la_code,
        month_end,
        cast(null as varchar) as person_ref,
        {{ pseudonymous_key('la_code', "'post:' || post_id") }} as item_key,
        cast('post' as varchar) as item_type,
        funded_from as event_date,
        case when is_frontline_case_holding then 'frontline_post' else 'post' end as status,
        is_frontline_case_holding as is_frontline,
        cast(null as varchar) as contract_type,
        budgeted_fte as fte,
        service_code,
        team_id,
        job_family as role_code
    from posts
),

position_rows as (
    select
        la_code,
        month_end,
        person_ref,
        {{ pseudonymous_key('la_code', "assignment_source || ':' || assignment_id") }} as item_key,
        cast(assignment_source || '_assignment' as varchar) as item_type,
        start_date as event_date,
        contract_type as status,
        is_frontline,
        contract_type,
        fte,
        service_code,
        team_id,
        role_code
    from positions
),

members as (
    select
        la_code,
        'w_establishment_fte' as kpi_id,
        month_end,
        person_ref,
        item_key,
        item_type,
        event_date,
        status,
        true as in_denominator,
        true as in_numerator,
        fte as numerator_amount,
        cast(0 as numeric(18, 2)) as denominator_amount,
        service_code,
        team_id,
        role_code
    from post_rows
    union all
    select
        la_code,
        'w_staff_headcount' as kpi_id,
        month_end,
        person_ref,
        {{ pseudonymous_key('la_code', "'person:' || person_ref") }} as item_key,
        cast('person' as varchar) as item_type,
        employment_start_date as event_date,
        primary_contract_type as status,
        true as in_denominator,
        true as in_numerator,
        cast(1 as numeric(18, 2)) as numerator_amount,
        cast(0 as numeric(18, 2)) as denominator_amount,
        service_code,
        team_id,
        role_code
    from people
    union all
    select
        la_code,
        'w_staff_fte' as kpi_id,
        month_end,
        person_ref,
        item_key,
        item_type,
        event_date,
        status,
        true as in_denominator,
        true as in_numerator,
        fte as numerator_amount,
        cast(0 as numeric(18, 2)) as denominator_amount,
        service_code,
        team_id,
        role_code
    from position_rows
    union all
    select
        position_rows.la_code,
        kpi_ids.kpi_id,
        position_rows.month_end,
        position_rows.person_ref,
        position_rows.item_key,
        position_rows.item_type,
        position_rows.event_date,
        position_rows.status,
        true as in_denominator,
        (position_rows.contract_type = 'AGENCY') = kpi_ids.counts_agency as in_numerator,
        case
            when (position_rows.contract_type = 'AGENCY') = kpi_ids.counts_agency then position_rows.fte else 0
        end as numerator_amount,
        position_rows.fte as denominator_amount,
        position_rows.service_code,
        position_rows.team_id,
        position_rows.role_code
    from position_rows
    cross join (
        values
        ('b23_frontline_agency_pct', true),
        ('t_frontline_agency_pct', true),
        ('p_frontline_perm_pct', false)
    ) as kpi_ids (kpi_id, counts_agency)
    where position_rows.is_frontline
    union all
    -- The workforce mix: frontline posts give the establishment (and start as vacant) ...
    select
        post_rows.la_code,
        kpi_ids.kpi_id,
        post_rows.month_end,
        post_rows.person_ref,
        post_rows.item_key,
        post_rows.item_type,
        post_rows.event_date,
        post_rows.status,
        true as in_denominator,
        kpi_ids.kpi_id = 't_qualified_workforce_mix_vacancy' as in_numerator,
        case when kpi_ids.kpi_id = 't_qualified_workforce_mix_vacancy' then post_rows.fte else 0 end
            as numerator_amount,
        post_rows.fte as denominator_amount,
        post_rows.service_code,
        post_rows.team_id,
        post_rows.role_code
    from post_rows
    cross join (
        values
        ('t_qualified_workforce_mix_perm'),
        ('t_qualified_workforce_mix_agency'),
        ('t_qualified_workforce_mix_vacancy')
    ) as kpi_ids (kpi_id)
    where post_rows.is_frontline
    union all
    -- ... and each frontline position fills its share: employed or agency FTE, taken off the vacancy.
    select
        position_rows.la_code,
        kpi_ids.kpi_id,
        position_rows.month_end,
        position_rows.person_ref,
        position_rows.item_key,
        position_rows.item_type,
        position_rows.event_date,
        position_rows.status,
        false as in_denominator,
        case
            when kpi_ids.kpi_id = 't_qualified_workforce_mix_vacancy' then true
            when kpi_ids.kpi_id = 't_qualified_workforce_mix_agency' then position_rows.contract_type = 'AGENCY'
            else position_rows.contract_type <> 'AGENCY'
        end as in_numerator,
        case
            when kpi_ids.kpi_id = 't_qualified_workforce_mix_vacancy' then -position_rows.fte
            when kpi_ids.kpi_id = 't_qualified_workforce_mix_agency'
                then case when position_rows.contract_type = 'AGENCY' then position_rows.fte else 0 end
            when position_rows.contract_type <> 'AGENCY' then position_rows.fte
            else 0
        end as numerator_amount,
        cast(0 as numeric(18, 2)) as denominator_amount,
        position_rows.service_code,
        position_rows.team_id,
        position_rows.role_code
    from position_rows
    cross join (
        values
        ('t_qualified_workforce_mix_perm'),
        ('t_qualified_workforce_mix_agency'),
        ('t_qualified_workforce_mix_vacancy')
    ) as kpi_ids (kpi_id)
    where position_rows.is_frontline
),

shaped as (
    select
        la_code,
        kpi_id,
        month_end as period_end,
        'month_end' as measure_window,
        month_end as snapshot_date,
        case when person_ref is not null then {{ worker_key('la_code', 'person_ref') }} end as worker_key,
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
