-- The TSG dataset compared across organisations (contract enforced): one row per organisation of the warehouse and
-- published indicator at the period end `as_of`, with its rank and quartile among the organisations of the
-- warehouse and the average of its statistical neighbours' figures where they are known.
-- The only model whose joins cross organisations, on purpose: an organisation's figure meets the same indicator's
-- figure of the others (ranks) and of its neighbours (ref_statistical_neighbours).
with

dataset as (
    select
        la_code,
        kpi_id,
        kpi_name,
        definition_version,
        period_end,
        unit,
        direction,
        numerator,
        denominator,
        value,
        low_n_flag,
        rag_state
    from {{ ref('pub_tsg_dataset') }}
),

comparable as (
    -- Organisations are compared only on one definition, unit and direction of the indicator (an organisation's
    -- own register row may differ from the generic one), and only on a figure: NO_DATA is neither counted nor
    -- ranked.
    select
        la_code,
        kpi_id,
        period_end,
        direction,
        value,
        count(value) over (
            partition by kpi_id, period_end, definition_version, unit, direction
        ) as organisations_compared,
        -- 1 = best: the highest value when higher is better (H), the lowest when lower is better (L); ties share
        -- the better rank (1, 1, 3).
        rank() over (
            partition by kpi_id, period_end, definition_version, unit, direction, value is null
            order by case when direction = 'H' then -value else value end
        ) as organisation_rank
    from dataset
),

ranked as (
    -- A rank only where there is a better (H or L): a tracked-only (no direction) or must-match (M) indicator
    -- has none. Quartile 1 = the best quarter, 1 + floor(4 (rank - 1) / n), and only among 4 or more
    -- organisations: with fewer, a quartile says nothing the rank does not.
    select
        la_code,
        kpi_id,
        period_end,
        organisations_compared,
        case when value is not null and direction in ('H', 'L') then organisation_rank end as organisation_rank,
        case
            when value is not null and direction in ('H', 'L') and organisations_compared >= 4
                then 1 + floor(4.0 * (organisation_rank - 1) / organisations_compared)
        end as organisation_quartile
    from comparable
),

neighbours as (
    select
        la_code,
        neighbour_la_code
    from {{ ref('ref_statistical_neighbours') }}
),

supplied_figures as (
    select
        la_code,
        kpi_id,
        period_end,
        value
    from {{ ref('ref_statistical_neighbour_figures') }}
),

neighbour_figures as (
    -- Each neighbour's figure of the indicator and period: its own figure when the neighbour is in the warehouse
    -- (same definition and month: the figure of record), else the supplied published figure. The smallest count
    -- behind a warehouse neighbour's figure travels with it: small-count suppression withholds an average that
    -- includes a withheld figure.
    select
        dataset.la_code,
        dataset.kpi_id,
        dataset.period_end,
        neighbours.neighbour_la_code,
        coalesce(in_warehouse.value, supplied_figures.value) as value,
        case
            when in_warehouse.value is not null
                then
                    case
                        when in_warehouse.denominator is null then in_warehouse.numerator
                        when in_warehouse.numerator is null then in_warehouse.denominator
                        when in_warehouse.numerator = 0 then in_warehouse.denominator
                        else least(in_warehouse.numerator, in_warehouse.denominator)
                    end
        end as smallest_count
    from dataset
    inner join neighbours
        on dataset.la_code = neighbours.la_code
    left join dataset as in_warehouse
        on
            neighbours.neighbour_la_code = in_warehouse.la_code
            and dataset.kpi_id = in_warehouse.kpi_id
            and dataset.period_end = in_warehouse.period_end
            and dataset.definition_version = in_warehouse.definition_version
    left join supplied_figures
        on
            neighbours.neighbour_la_code = supplied_figures.la_code
            and dataset.kpi_id = supplied_figures.kpi_id
            and dataset.period_end = supplied_figures.period_end
),

neighbour_averages as (
    -- The plain mean of the neighbours with a figure (each neighbour weighs the same, as the DfE's statistical
    -- neighbour averages do), rounded half-up to the dataset's one decimal.
    select
        la_code,
        kpi_id,
        period_end,
        count(*) as neighbours_listed,
        count(value) as neighbours_with_figure,
        {{ round_half_up('avg(value)', 1) }} as neighbour_average,
        min(smallest_count) as neighbour_smallest_count
    from neighbour_figures
    group by la_code, kpi_id, period_end
),

final as (
    select
        cast(dataset.la_code as varchar) as la_code,
        cast(dataset.kpi_id as varchar) as kpi_id,
        cast(dataset.kpi_name as varchar) as kpi_name,
        cast(dataset.definition_version as varchar) as definition_version,
        cast(dataset.period_end as date) as period_end,
        cast(dataset.unit as varchar) as unit,
        cast(dataset.direction as varchar) as direction,
        cast(dataset.numerator as integer) as numerator,
        cast(dataset.denominator as integer) as denominator,
        cast(dataset.value as numeric(18, 1)) as value,
        dataset.low_n_flag,
        cast(dataset.rag_state as varchar) as rag_state,
        cast(ranked.organisations_compared as integer) as organisations_compared,
        cast(ranked.organisation_rank as integer) as organisation_rank,
        cast(ranked.organisation_quartile as integer) as organisation_quartile,
        cast(coalesce(neighbour_averages.neighbours_listed, 0) as integer) as neighbours_listed,
        cast(coalesce(neighbour_averages.neighbours_with_figure, 0) as integer) as neighbours_with_figure,
        cast(neighbour_averages.neighbour_average as numeric(18, 1)) as neighbour_average,
        cast(neighbour_averages.neighbour_smallest_count as integer) as neighbour_smallest_count
    from dataset
    inner join ranked
        on
            dataset.la_code = ranked.la_code
            and dataset.kpi_id = ranked.kpi_id
            and dataset.period_end = ranked.period_end
    left join neighbour_averages
        on
            dataset.la_code = neighbour_averages.la_code
            and dataset.kpi_id = neighbour_averages.kpi_id
            and dataset.period_end = neighbour_averages.period_end
)

select * from final
