-- Every item behind every workforce indicator (docs/marts/workforce.md): the union of the workforce members
-- models, all in the common shape of macros/workforce/workforce_members.sql. Worker-level and pseudonymous
-- (worker_key, item_key); the amounts are what the indicators add up (FTE, FTE-weighted days, months in post).
with

unioned as (
    select * from {{ ref('fct_workforce_positions') }}
    union all
    select * from {{ ref('fct_staff_turnover') }}
    union all
    select * from {{ ref('fct_sickness_absence') }}
    union all
    select * from {{ ref('fct_staff_supervision_frequency') }}
    union all
    select * from {{ ref('fct_asye_retention') }}
    union all
    select * from {{ ref('fct_workforce_starters') }}
),

final as (
    {{ workforce_members_final('unioned') }}
)

select * from final
