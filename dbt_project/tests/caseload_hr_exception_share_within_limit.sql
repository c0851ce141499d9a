-- Case system against HR (issue 6 part 3; input contract §4.1, AM-14; kpi-catalogue §5.8 gate 5): fails when, at
-- the period end as_of, more than the var caseload_hr_exception_max_share of an organisation's case-holding
-- workers have no employee or agency assignment active on the date (fct_caseload_hr_reconciliation, only where
-- the month's delivery held HR). Each failing row is one organisation with its share. The severity is the var
-- caseload_hr_exception_severity ('error' by default; 'warn' keeps the v1 warning of AM-14).
{{ config(severity=var('caseload_hr_exception_severity', 'error')) }}

-- It reads the leaf fct_caseload_hr_exceptions so that a failure skips no model: the exceptions table is built
-- whatever the share, for the people who have to fix the links.
select distinct
    la_code,
    period_end,
    case_holding_workers,
    exception_workers
from {{ ref('fct_caseload_hr_exceptions') }}
where
    period_end = {{ as_of_date() }}
    and exception_workers > {{ var('caseload_hr_exception_max_share', 0.10) }} * case_holding_workers
