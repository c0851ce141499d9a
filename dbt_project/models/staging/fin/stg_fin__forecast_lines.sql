-- fin_forecast (input contract §4.2): every full-year forecast line authoritative at the period end (finance window
-- rule), whatever month it was made; int_fin_forecasts_chosen picks, per period end, the latest made by then.
with

source as (
    select * from {{ source('landing', 'fin_forecast') }}
),

authoritative as (
    {{ authoritative_finance_rows(
        'source', ['fy', 'as_of_period', 'cost_centre', 'subjective_code'], 'fin_forecast', fy_start_year('landed.fy')
    ) }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(fy as varchar) as fy,
        cast(as_of_period as varchar) as as_of_period,
        upper(trim(cast(cost_centre as varchar))) as cost_centre,
        upper(trim(cast(subjective_code as varchar))) as subjective_code,
        cast(forecast_full_year_gbp as numeric(14, 2)) as forecast_full_year_gbp,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
)

select * from final
