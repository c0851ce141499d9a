{#
    The attribution columns every members model of the compliance mart ends with (docs/marts/compliance.md, common
    members shape), from the columns macros/casework/attributed_to_allocation.sql adds: one place, so every
    indicator reports its service, team, worker pseudonym and attribution basis the same way.
#}

{% macro member_attribution_columns(relation=none) %}
    {#-
        The four typed select-list items service_code, team_id, worker_key and attribution_basis, read from
        attributed_service_code, attributed_team_id ('UNALLOCATED' becomes null), attributed_worker_id (the
        pseudonymous key with la_code, never the raw id) and attribution_basis (allocation, episode_owner or
        unallocated), qualified by `relation` when given.
    -#}
    {%- set q = relation ~ '.' if relation else '' -%}
    cast({{ q }}attributed_service_code as varchar) as service_code,
        cast(nullif({{ q }}attributed_team_id, 'UNALLOCATED') as varchar) as team_id,
        cast(
            case
                when {{ q }}attributed_worker_id is not null
                    then {{ pseudonymous_key(q ~ 'la_code', q ~ 'attributed_worker_id') }}
            end as varchar
        ) as worker_key,
        cast(
            case
                when {{ q }}attribution_basis in ('ALLOCATION_WORKER', 'ALLOCATION_TEAM') then 'allocation'
                when {{ q }}attribution_basis in ('EPISODE_TEAM', 'EPISODE_SERVICE') then 'episode_owner'
                else 'unallocated'
            end as varchar
        ) as attribution_basis
{%- endmacro %}
