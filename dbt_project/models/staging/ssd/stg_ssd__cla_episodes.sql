-- ssd_cla_episodes (input contract §2.4, optional): the case system's own list of care episodes, as it stood at the
-- period end. It does not replace 903 Episodes (v1); the publication gate compares the children it shows looked
-- after with the 903 count (input contract X5, kpi-catalogue §5.8 item 2). Full refresh inside the window
-- (macros/landing/authoritative_event_rows.sql): an episode is covered by a delivery while open or when it ceased
-- inside the delivery's window. No business rules.
with

source as (
    select * from {{ source('landing', 'ssd_cla_episodes') }}
),

authoritative as (
    {{ authoritative_event_rows(
        'source', ['clae_cla_episode_id'], 'ssd_cla_episodes', 'landed.clae_cla_episode_ceased_date'
    ) }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(clae_cla_episode_id as varchar) as cla_episode_id,
        cast(clae_person_id as varchar) as child_id,
        cast(clae_cla_episode_start_date as date) as episode_start_date,
        cast(clae_cla_episode_start_reason as varchar) as reason_new_episode,
        cast(clae_cla_episode_ceased_date as date) as episode_end_date,
        cast(clae_cla_episode_ceased_reason as varchar) as reason_episode_ceased,
        cast(clae_cla_id as varchar) as period_of_care_id,
        cast(reporting_month as varchar) as reporting_month,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
