{#
    attributed_to_allocation(relation, key_columns, date_column, fallback_team_column=none,
                             fallback_service_column=none, roles=['ALLOCATED_SW', 'TEAM_ONLY'])

    The attribution rule of kpi-catalogue §0.4, as a subquery a mart selects from: every row of `relation` (one row
    per child and date: a snapshot measure passes its snapshot date, a flow measure its event or completion date),
    with the team, service and worker the row is reported under.
      1. The allocation held on the date: an allocation of the child (int_allocations_conformed) with a role in
         `roles`, open on the date (start <= date and (end is null or end > date)). Several open: one with a worker
         before a team-only one, then the latest start, then the smallest worker id and allocation id.
      2. No such allocation: the team that owns the child's open episode, when the caller knows it
         (`fallback_team_column`, e.g. the referral's team), or only its service (`fallback_service_column`, e.g.
         'RA' for a referral, kpi-catalogue §0.4); else UNALLOCATED.
      3. The team's service is its TSG service (CWD and CL roll up to CLASS) in the ssd_department snapshot in
         force on the date: the first snapshot on or after the date, else the latest one up to `as_of`; a team in no
         snapshot takes the fallback service, else UNALLOCATED.
    `relation` is a CTE or relation with la_code and child_id, unique on `key_columns`; `date_column`,
    `fallback_team_column` and `fallback_service_column` name its columns. Added columns: attributed_worker_id (null
    without an allocated worker), attributed_team_id and attributed_service_code ('UNALLOCATED' when unknown),
    attribution_basis (ALLOCATION_WORKER, ALLOCATION_TEAM, EPISODE_TEAM, EPISODE_SERVICE or UNALLOCATED) and
    attributed_allocation_id.
#}

{% macro attributed_to_allocation(
    relation,
    key_columns,
    date_column,
    fallback_team_column=none,
    fallback_service_column=none,
    roles=['ALLOCATED_SW', 'TEAM_ONLY']
) -%}
    {%- set fallback_team = 'attributed_rows.' ~ fallback_team_column if fallback_team_column else 'cast(null as varchar)' -%}
    {%- set fallback_service = 'attributed_rows.' ~ fallback_service_column if fallback_service_column else 'cast(null as varchar)' -%}
    {%- set allocation_choice -%}
        select ranked.*
        from (
            select
                {% for column in key_columns %}attributed_rows.{{ column }},
                {% endfor -%}
                allocations.allocation_id,
                allocations.worker_id,
                allocations.team_id,
                row_number() over (
                    partition by {% for column in key_columns %}{% if not loop.first %}, {% endif %}attributed_rows.{{ column }}{% endfor %}
                    order by
                        case when allocations.worker_id is not null then 0 else 1 end,
                        allocations.start_date desc,
                        allocations.worker_id,
                        allocations.allocation_id
                ) as allocation_rank
            from {{ relation }} as attributed_rows
            inner join {{ ref('int_allocations_conformed') }} as allocations
                on
                    attributed_rows.la_code = allocations.la_code
                    and attributed_rows.child_id = allocations.child_id
                    and allocations.role_code in ('{{ roles | join("', '") }}')
                    and allocations.start_date <= attributed_rows.{{ date_column }}
                    and (allocations.end_date is null or allocations.end_date > attributed_rows.{{ date_column }})
        ) as ranked
        {#- <= 1 rather than = 1: the same rows, but PostgreSQL estimates a third of the input rather than one row,
            so it keeps hash joins instead of looping over every pair (marts with tens of thousands of rows). #}
        where ranked.allocation_rank <= 1
    {%- endset -%}
    select
        attributed_rows.*,
        chosen_allocation.worker_id as attributed_worker_id,
        coalesce(chosen_allocation.team_id, {{ fallback_team }}, 'UNALLOCATED') as attributed_team_id,
        coalesce(chosen_team.tsg_service_code, {{ fallback_service }}, 'UNALLOCATED') as attributed_service_code,
        case
            when chosen_allocation.worker_id is not null then 'ALLOCATION_WORKER'
            when chosen_allocation.team_id is not null then 'ALLOCATION_TEAM'
            when {{ fallback_team }} is not null then 'EPISODE_TEAM'
            when {{ fallback_service }} is not null then 'EPISODE_SERVICE'
            else 'UNALLOCATED'
        end as attribution_basis,
        chosen_allocation.allocation_id as attributed_allocation_id
    from {{ relation }} as attributed_rows
    left join ({{ allocation_choice }}) as chosen_allocation
        on
            {% for column in key_columns %}{% if not loop.first %} and {% endif %}attributed_rows.{{ column }} = chosen_allocation.{{ column }}{% endfor %}
    left join (
        select ranked_teams.*
        from (
            select
                {% for column in key_columns %}attributed_rows.{{ column }},
                {% endfor -%}
                teams.tsg_service_code,
                row_number() over (
                    partition by {% for column in key_columns %}{% if not loop.first %}, {% endif %}attributed_rows.{{ column }}{% endfor %}
                    order by
                        case when teams.snapshot_date >= attributed_rows.{{ date_column }} then 0 else 1 end,
                        case when teams.snapshot_date >= attributed_rows.{{ date_column }} then teams.snapshot_date end,
                        teams.snapshot_date desc
                ) as snapshot_rank
            from {{ relation }} as attributed_rows
            left join ({{ allocation_choice }}) as chosen_allocation
                on
                    {% for column in key_columns %}{% if not loop.first %} and {% endif %}attributed_rows.{{ column }} = chosen_allocation.{{ column }}{% endfor %}
            inner join {{ ref('int_teams_conformed') }} as teams
                on
                    attributed_rows.la_code = teams.la_code
                    and teams.team_id = coalesce(chosen_allocation.team_id, {{ fallback_team }})
        ) as ranked_teams
        where ranked_teams.snapshot_rank <= 1
    ) as chosen_team
        on
            {% for column in key_columns %}{% if not loop.first %} and {% endif %}attributed_rows.{{ column }} = chosen_team.{{ column }}{% endfor %}
{%- endmacro %}
