-- A KPI's windows (seeds/ref_kpi_measure_windows) must be of its kind (ref_kpi_targets.measure_kind): a flow is
-- counted over month, ytd or rolling_12m windows, a snapshot taken at month ends or weekly CR dates. A mismatch
-- would silently give the KPI no figures at that window. Returns the offending rows.
select
    windows.kpi_id,
    windows.measure_window,
    register.measure_kind
from {{ ref('ref_kpi_measure_windows') }} as windows
inner join {{ ref('ref_kpi_targets') }} as register
    on windows.kpi_id = register.kpi_id
where
    (register.measure_kind = 'flow' and windows.measure_window not in ('month', 'ytd', 'rolling_12m'))
    or (register.measure_kind = 'snapshot' and windows.measure_window not in ('month_end', 'weekly'))
