-- The rag_state macro and the ref_rag_colours seed reproduce every RAG test vector of kpi-catalogue §5.7 (plus a
-- few derived rounding and boundary cases). A milestone (RAG-MS) vector names its indicator and period end: its
-- target, tolerance and impact_from are those of the register row in force on that date (the versioned
-- milestone rows of ref_kpi_targets), so the vectors hold the register to the catalogue too. Returns one row per
-- mismatch; also fails if the vectors did not load, so the test can never pass vacuously.
with

vectors as (
    select * from {{ ref('rag_test_vectors') }}
),

register as (
    select * from {{ ref('ref_kpi_targets') }}
),

resolved as (
    -- A vector without kpi_id carries its own target; a RAG-MS vector takes the company row in force.
    select
        vectors.case_id,
        vectors.value,
        vectors.direction,
        vectors.prev_value,
        vectors.precision,
        vectors.period_end,
        vectors.expected_state,
        vectors.expected_board_colour,
        vectors.expected_tsg_colour,
        coalesce(register.target, vectors.target) as target,
        coalesce(register.tolerance, vectors.tolerance) as tolerance,
        register.impact_from
    from vectors
    left join register
        on
            vectors.kpi_id = register.kpi_id
            and register.grain = 'company'
            and vectors.period_end >= register.valid_from
            and (register.valid_to is null or vectors.period_end <= register.valid_to)
),

evaluated as (
    select
        case_id,
        expected_state,
        expected_board_colour,
        expected_tsg_colour,
        {{ rag_state(
            'value', 'target', 'tolerance', 'direction', 'prev_value', 'precision',
            period_end='period_end', impact_from='impact_from'
        ) }} as actual_state
    from resolved
),

coloured as (
    select
        evaluated.*,
        board.rag_colour as actual_board_colour,
        tsg.rag_colour as actual_tsg_colour
    from evaluated
    left join {{ ref('ref_rag_colours') }} as board
        on board.scheme = 'board_2020_21' and evaluated.actual_state = board.rag_state
    left join {{ ref('ref_rag_colours') }} as tsg
        on tsg.scheme = 'tsg_2021_22' and evaluated.actual_state = tsg.rag_state
),

mismatches as (
    select
        case_id,
        expected_state,
        actual_state,
        expected_board_colour,
        actual_board_colour,
        expected_tsg_colour,
        actual_tsg_colour
    from coloured
    where
        actual_state is distinct from expected_state
        or (expected_board_colour is not null and actual_board_colour is distinct from expected_board_colour)
        or actual_tsg_colour is distinct from expected_tsg_colour
),

vector_count as (
    select count(*) as loaded from resolved
),

too_few_vectors as (
    -- 51 vectors, each matched to at most one register row (a second row in force would duplicate a case).
    select
        'loaded ' || cast(loaded as varchar) || ' resolved vectors, expected 51' as case_id,
        cast(null as varchar) as expected_state,
        cast(null as varchar) as actual_state,
        cast(null as varchar) as expected_board_colour,
        cast(null as varchar) as actual_board_colour,
        cast(null as varchar) as expected_tsg_colour,
        cast(null as varchar) as actual_tsg_colour
    from vector_count
    where loaded <> 51
)

select * from mismatches
union all
select * from too_few_vectors
