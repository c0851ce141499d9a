{#
    A data test of the attribution macro's fallbacks (kpi-catalogue §0.4), which int_allocations_at_period_end never
    reaches because every child in it has an allocation. Three probe rows whose child ids cannot exist (the contract's
    ids never contain '~') are attributed on the period end: one with the open episode's team, one with only its
    service, one with neither. Expected by hand: (T~1, UNALLOCATED service: the team is in no snapshot,
    EPISODE_TEAM), (UNALLOCATED, RA, EPISODE_SERVICE), (UNALLOCATED, UNALLOCATED, UNALLOCATED); never a worker.
    Returns the probe rows that differ.
#}

{% test attribution_falls_back_to_episode_or_unallocated(model) %}
    with

    probe as (
        select
            cast('E00000000' as varchar) as la_code,
            cast(probe_rows.child_id as varchar) as child_id,
            {{ as_of_date() }} as attribution_date,
            cast(probe_rows.episode_team_id as varchar) as episode_team_id,
            cast(probe_rows.episode_service_code as varchar) as episode_service_code,
            cast(probe_rows.expected_team_id as varchar) as expected_team_id,
            cast(probe_rows.expected_service_code as varchar) as expected_service_code,
            cast(probe_rows.expected_basis as varchar) as expected_basis
        from (
            values
            ('~a', 'T~1', null, 'T~1', 'UNALLOCATED', 'EPISODE_TEAM'),
            ('~b', null, 'RA', 'UNALLOCATED', 'RA', 'EPISODE_SERVICE'),
            ('~c', null, null, 'UNALLOCATED', 'UNALLOCATED', 'UNALLOCATED')
        ) as probe_rows (
            child_id, episode_team_id, episode_service_code, expected_team_id, expected_service_code, expected_basis
        )
    ),

    attributed as (
        {{ attributed_to_allocation(
            'probe', ['la_code', 'child_id'], 'attribution_date', 'episode_team_id', 'episode_service_code'
        ) }}
    )

    select *
    from attributed
    where
        attributed_worker_id is not null
        or attributed_team_id != expected_team_id
        or attributed_service_code != expected_service_code
        or attribution_basis != expected_basis
        or (select count(*) from attributed) != 3
{% endtest %}
