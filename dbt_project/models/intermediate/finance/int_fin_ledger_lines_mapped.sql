-- The general-ledger lines with their P&L place (kpi-catalogue §1.4 f_pnl_line): subjective code -> subjective
-- group (the organisation's ref_subjective_map) -> P&L line (seeds ref_finance_subjective_groups and
-- ref_finance_pnl_lines), and the cost centre's finance placement type (ref_cost_centre_map). COMMITMENT lines
-- (orders not yet spent) are not actuals; ACTUAL, ACCRUAL and REVERSAL lines are. A code the map does not know
-- has a null group and line (tested as a warning), so its money is never put on a line silently.
with

ledger as (
    select * from {{ ref('stg_fin__ledger_lines') }}
),

subjectives as (
    select * from {{ ref('stg_ref__subjective_map') }}
),

cost_centres as (
    select * from {{ ref('stg_ref__cost_centre_map') }}
),

groups as (
    select * from {{ ref('ref_finance_subjective_groups') }}
),

lines as (
    select * from {{ ref('ref_finance_pnl_lines') }}
),

final as (
    select
        ledger.la_code,
        ledger.ledger_line_id,
        ledger.fy,
        ledger.period,
        ledger.period_start,
        ledger.cost_centre,
        ledger.subjective_code,
        subjectives.subjective_group,
        groups.pnl_line,
        lines.pnl_section,
        coalesce(groups.is_in_pnl, false) as is_in_pnl,
        cost_centres.finance_placement_type as cost_centre_placement_type,
        ledger.line_type,
        ledger.line_type <> 'COMMITMENT' as is_actual,
        ledger.amount_gbp,
        ledger.child_id,
        ledger.load_id
    from ledger
    left join subjectives
        on
            ledger.la_code = subjectives.la_code
            and ledger.subjective_code = subjectives.subjective_code
    left join groups
        on subjectives.subjective_group = groups.subjective_group
    left join lines
        on groups.pnl_line = lines.pnl_line
    left join cost_centres
        on
            ledger.la_code = cost_centres.la_code
            and ledger.cost_centre = cost_centres.cost_centre
)

select * from final
