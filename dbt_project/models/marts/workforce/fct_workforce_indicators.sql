-- The workforce indicators of each organisation (kpi-catalogue §1.1-1.3 b22, b22v, b23, p_frontline_perm_pct,
-- p_short_term_absence_ytd, p_staff_9_supervisions_12m, p_asye_retention, t_frontline_agency_pct,
-- t_qualified_workforce_mix, t_sickness_absence, t_returners_2y, t_temp_to_perm; plus the establishment,
-- headcount and FTE), in the shape of fct_compliance_indicators: one row per (la_code, kpi_id, period_end,
-- measure_window, snapshot_date, grain, grain_key) over the 13 period ends ending `as_of`, from
-- fct_workforce_kpi_members. Grains: company (grain_key = la_code), service, team and role (job family); a
-- missing one is 'UNALLOCATED'. Every organisation with a delivery gets a company row for every workforce KPI of
-- the register, every window the KPI is measured over and every period.
-- Figures: 'members' KPIs count members (in_numerator / in_denominator); 'amounts' KPIs add up the members'
-- amounts (FTE, FTE-weighted working days, leavers and months in post). b22/b22v divide the summed months in post
-- by 13 (the average headcount over the window's 13 month ends). Percentages are computed exactly in integers of
-- hundredths and rounded half-up to the register's precision; counts are the numerator at that precision. The
-- workforce-mix vacancy share is establishment - filled; when the filled FTE exceeds the establishment it is 0 with
-- the flag filled_exceeds_establishment. When a table the KPI requires (ref_kpi_source_tables) was absent or
-- rejected in the month's delivery, the figures are null with source_absent:/source_rejected: (input contract §9.3).
with

members as (
    select * from {{ ref('fct_workforce_kpi_members') }}
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
),

source_tables as (
    select * from {{ ref('ref_kpi_source_tables') }}
),

deliveries as (
    select * from {{ ref('int_source_tables_delivered') }}
),

ledger as (
    select * from {{ ref('stg_landing__load_ledger') }}
    where outcome = 'landed'
),

periods as (
    select * from {{ ref('int_reporting_periods_listed') }}
),

kpi_windows as (
    -- Where each KPI is measured, which of its windows the TSG dataset publishes, how it is counted, and the
    -- divisor of its denominator.
    select
        kpi_windows.kpi_id,
        kpi_windows.measure_window,
        kpi_windows.is_published_window,
        kpi_windows.counting_basis,
        kpi_windows.denominator_divisor
    from (
        values
        ('w_establishment_fte', 'month_end', true, 'amounts', 1),
        ('w_staff_headcount', 'month_end', true, 'amounts', 1),
        ('w_staff_fte', 'month_end', true, 'amounts', 1),
        ('b23_frontline_agency_pct', 'month_end', true, 'amounts', 1),
        ('t_frontline_agency_pct', 'month_end', true, 'amounts', 1),
        ('p_frontline_perm_pct', 'month_end', true, 'amounts', 1),
        ('t_qualified_workforce_mix_perm', 'month_end', true, 'amounts', 1),
        ('t_qualified_workforce_mix_agency', 'month_end', true, 'amounts', 1),
        ('t_qualified_workforce_mix_vacancy', 'month_end', true, 'amounts', 1),
        ('b22_perm_staff_turnover_12m', 'rolling_12m', true, 'amounts', 13),
        ('b22v_voluntary_turnover', 'rolling_12m', true, 'amounts', 13),
        ('t_sickness_absence', 'month', true, 'amounts', 1),
        ('t_sickness_absence', 'ytd', false, 'amounts', 1),
        ('p_short_term_absence_ytd', 'ytd', true, 'amounts', 1),
        ('p_staff_9_supervisions_12m', 'month_end', true, 'members', 1),
        ('p_asye_retention', 'month_end', true, 'members', 1),
        ('t_returners_2y', 'month', true, 'members', 1),
        ('t_returners_2y', 'ytd', false, 'members', 1),
        ('t_returners_2y', 'rolling_12m', false, 'members', 1),
        ('t_temp_to_perm', 'month', true, 'members', 1),
        ('t_temp_to_perm', 'ytd', false, 'members', 1),
        ('t_temp_to_perm', 'rolling_12m', false, 'members', 1)
    ) as kpi_windows (kpi_id, measure_window, is_published_window, counting_basis, denominator_divisor)
),

workforce_kpis as (
    -- The register's workforce indicators in force on `as_of` (macros/register/kpis_in_force.sql).
    {{ kpis_in_force('register', 'workforce') }}
),

organisations as (
    select distinct la_code from deliveries
),

{{ kpi_source_statuses('workforce_kpis', 'periods') }},

graded_members as (
    select
        members.*,
        'company' as grain,
        members.la_code as grain_key
    from members
    union all
    select
        members.*,
        'service' as grain,
        members.service_code as grain_key
    from members
    union all
    select
        members.*,
        'team' as grain,
        coalesce(members.team_id, 'UNALLOCATED') as grain_key
    from members
    union all
    select
        members.*,
        'role' as grain,
        coalesce(members.role_code, 'UNALLOCATED') as grain_key
    from members
),

counted as (
    select
        graded_members.la_code,
        graded_members.kpi_id,
        graded_members.period_end,
        graded_members.measure_window,
        graded_members.snapshot_date,
        graded_members.grain,
        graded_members.grain_key,
        case
            when kpi_windows.counting_basis = 'members'
                then cast(count(case when graded_members.in_numerator then 1 end) as numeric(18, 2))
            else sum(graded_members.numerator_amount)
        end as numerator_total,
        case
            when kpi_windows.counting_basis = 'members'
                then cast(count(case when graded_members.in_denominator then 1 end) as numeric(18, 2))
            else sum(graded_members.denominator_amount)
        end as denominator_total
    from graded_members
    inner join kpi_windows
        on
            graded_members.kpi_id = kpi_windows.kpi_id
            and graded_members.measure_window = kpi_windows.measure_window
    group by
        graded_members.la_code,
        graded_members.kpi_id,
        graded_members.period_end,
        graded_members.measure_window,
        graded_members.snapshot_date,
        graded_members.grain,
        graded_members.grain_key,
        kpi_windows.counting_basis
),

company_grid as (
    select
        organisations.la_code,
        workforce_kpis.kpi_id,
        periods.period_end,
        kpi_windows.measure_window,
        periods.period_end as snapshot_date,
        'company' as grain,
        organisations.la_code as grain_key
    from organisations
    cross join workforce_kpis
    cross join periods
    inner join kpi_windows
        on workforce_kpis.kpi_id = kpi_windows.kpi_id
),

row_keys as (
    select * from company_grid
    union all
    select
        counted.la_code,
        counted.kpi_id,
        counted.period_end,
        counted.measure_window,
        counted.snapshot_date,
        counted.grain,
        counted.grain_key
    from counted
    where
        counted.grain <> 'company'
        and exists (
            select 1
            from company_grid
            where
                company_grid.la_code = counted.la_code
                and company_grid.kpi_id = counted.kpi_id
                and company_grid.period_end = counted.period_end
                and company_grid.measure_window = counted.measure_window
        )
),

figures as (
    select
        row_keys.*,
        periods.period_start,
        workforce_kpis.unit,
        workforce_kpis.value_precision,
        workforce_kpis.measure_kind,
        kpi_windows.is_published_window,
        kpi_windows.denominator_divisor,
        kpi_sources.required_sources_delivered,
        kpi_sources.source_load_ids,
        kpi_sources.data_quality_flag,
        coalesce(counted.numerator_total, 0) as numerator_total,
        coalesce(counted.denominator_total, 0) as denominator_total,
        -- Exact integers of hundredths (every amount has at most 2 decimals); a negative vacancy is 0.
        cast(round(greatest(coalesce(counted.numerator_total, 0), 0) * 100) as bigint) as numerator_hundredths,
        cast(round(coalesce(counted.denominator_total, 0) * 100) as bigint) as denominator_hundredths,
        coalesce(counted.numerator_total, 0) < 0 as is_overfilled
    from row_keys
    inner join workforce_kpis
        on row_keys.kpi_id = workforce_kpis.kpi_id
    inner join kpi_windows
        on row_keys.kpi_id = kpi_windows.kpi_id and row_keys.measure_window = kpi_windows.measure_window
    inner join periods
        on row_keys.period_end = periods.period_end
    inner join kpi_sources
        on
            row_keys.la_code = kpi_sources.la_code
            and row_keys.period_end = kpi_sources.period_end
            and row_keys.kpi_id = kpi_sources.kpi_id
    left join counted
        on
            row_keys.la_code = counted.la_code
            and row_keys.kpi_id = counted.kpi_id
            and row_keys.period_end = counted.period_end
            and row_keys.measure_window = counted.measure_window
            and row_keys.grain = counted.grain
            and row_keys.grain_key = counted.grain_key
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(kpi_id as varchar) as kpi_id,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(measure_window as varchar) as measure_window,
        cast(snapshot_date as date) as snapshot_date,
        cast(grain as varchar) as grain,
        cast(grain_key as varchar) as grain_key,
        cast(
            case when required_sources_delivered then greatest(numerator_total, 0) end as numeric(18, 2)
        ) as numerator,
        cast(
            case
                when not required_sources_delivered or unit <> '%' then null
                else {{ round_half_up('denominator_total / denominator_divisor', 2) }}
            end as numeric(18, 2)
        ) as denominator,
        cast(
            case
                when not required_sources_delivered then null
                when unit = '%' and value_precision = 2
                    then {{ percent_half_up(
                        'numerator_hundredths * denominator_divisor', 'denominator_hundredths', 2
                    ) }}
                when unit = '%'
                    then {{ percent_half_up(
                        'numerator_hundredths * denominator_divisor', 'denominator_hundredths', 1
                    ) }}
                else {{ round_half_up('numerator_total', 2) }}
            end as numeric(18, 2)
        ) as value,
        cast(unit as varchar) as unit,
        cast(value_precision as integer) as value_precision,
        cast(measure_kind as varchar) as measure_kind,
        cast(required_sources_delivered as boolean) as required_sources_delivered,
        cast(source_load_ids as varchar) as source_load_ids,
        cast(
            case
                when is_overfilled and required_sources_delivered
                    then coalesce(data_quality_flag || ',', '') || 'filled_exceeds_establishment'
                else data_quality_flag
            end as varchar
        ) as data_quality_flag,
        cast(is_published_window as boolean) as is_published_window
    from figures
)

select * from final
