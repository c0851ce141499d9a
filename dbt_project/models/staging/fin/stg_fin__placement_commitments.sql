-- fin_placement_commitment (input contract §4.2): one row per commitment and rate period (a rate change is a new
-- row), authoritative at the period end. A rate row is covered by a later delivery unless it ended (its
-- rate_effective_to, else the placement's end) before that delivery's window; an open row is always covered.
-- Cancelled commitments are kept here with their status; the intermediate layer ignores them.
with

source as (
    select * from {{ source('landing', 'fin_placement_commitment') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['commitment_id', 'rate_effective_from'], 'fin_placement_commitment',
        date_fy_start_year('coalesce(landed.rate_effective_to, landed.end_date)')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(commitment_id as varchar) as commitment_id,
        cast(rate_effective_from as date) as rate_effective_from,
        cast(rate_effective_to as date) as rate_effective_to,
        cast(child_id as varchar) as child_id,
        cast(provider_id as varchar) as provider_id,
        cast(finance_placement_type as varchar) as finance_placement_type,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        cast(weekly_rate_gbp as numeric(14, 2)) as weekly_rate_gbp,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(expected_end_date as date) as expected_end_date,
        cast(health_contribution_pct as numeric(5, 2)) as health_contribution_pct,
        cast(education_contribution_pct as numeric(5, 2)) as education_contribution_pct,
        cast(uasc_flag as boolean) as is_uasc,
        cast(framework as varchar) as framework,
        cast(status as varchar) as commitment_status,
        cast(cla_decom as date) as cla_episode_start_date,
        cast(placement_id as varchar) as placement_id,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
