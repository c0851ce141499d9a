-- Every item behind every compliance indicator: the union of the per-subject members models of
-- marts/compliance (docs/marts/compliance.md), all in the common shape below. fct_compliance_indicators counts
-- these rows, and pub_tsg_detail is their slice behind the published figures, so a figure and its child-level
-- detail can never disagree.
--
-- TO ADD A MEMBERS MODEL: append its name to `members_models` (one line). It must have exactly the columns of
-- `member_columns` (names and types; order does not matter here, each is selected by name and cast).
{%- set members_models = [
    'fct_rereferrals',
    'fct_assessment_timeliness',
    'fct_icpc_timeliness',
    'fct_repeat_cp_plans',
    'fct_plans_open_duration',
    'fct_cp_visit_timeliness',
    'fct_cla_visit_timeliness',
    'fct_visits_in_timescale',
    'fct_contact_decisions',
    'fct_cla_review_timeliness',
    'fct_cla_review_participation',
    'fct_case_supervision',
    'fct_strategy_discussions',
] -%}
{%- set member_columns = [
    ('la_code', 'varchar'),
    ('kpi_id', 'varchar'),
    ('period_end', 'date'),
    ('measure_window', 'varchar'),
    ('snapshot_date', 'date'),
    ('child_key', 'varchar'),
    ('item_key', 'varchar'),
    ('start_date', 'date'),
    ('due_date', 'date'),
    ('completed_date', 'date'),
    ('status', 'varchar'),
    ('in_denominator', 'boolean'),
    ('in_numerator', 'boolean'),
    ('service_code', 'varchar'),
    ('team_id', 'varchar'),
    ('worker_key', 'varchar'),
    ('attribution_basis', 'varchar'),
] -%}
{%- set typed_columns = [] -%}
{%- for name, data_type in member_columns -%}
    {%- do typed_columns.append('cast(' ~ name ~ ' as ' ~ data_type ~ ') as ' ~ name) -%}
{%- endfor %}
with

no_members as (
    -- The typed empty relation (the same columns as member_columns): with no members model yet the union still
    -- has every column and type.
    select
        cast(null as varchar) as la_code,
        cast(null as varchar) as kpi_id,
        cast(null as date) as period_end,
        cast(null as varchar) as measure_window,
        cast(null as date) as snapshot_date,
        cast(null as varchar) as child_key,
        cast(null as varchar) as item_key,
        cast(null as date) as start_date,
        cast(null as date) as due_date,
        cast(null as date) as completed_date,
        cast(null as varchar) as status,
        cast(null as boolean) as in_denominator,
        cast(null as boolean) as in_numerator,
        cast(null as varchar) as service_code,
        cast(null as varchar) as team_id,
        cast(null as varchar) as worker_key,
        cast(null as varchar) as attribution_basis
    where 1 = 0
),

final as (
    select * from no_members
    {%- for model_name in members_models %}
        union all
        select {{ typed_columns | join(', ') }}
        from {{ ref(model_name) }}
    {%- endfor %}
)

select * from final
