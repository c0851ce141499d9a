-- The rag_state macro and the ref_rag_colours seed reproduce every numeric RAG test vector of kpi-catalogue §5.7
-- (plus a few derived rounding and boundary cases). Returns one row per mismatch; also fails if the vectors
-- did not load, so the test can never pass vacuously.
with

vectors as (
    select * from {{ ref('rag_test_vectors') }}
),

evaluated as (
    select
        case_id,
        expected_state,
        expected_board_colour,
        expected_tsg_colour,
        {{ rag_state('value', 'target', 'tolerance', 'direction', 'prev_value', 'precision') }} as actual_state
    from vectors
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
    select count(*) as loaded from vectors
),

too_few_vectors as (
    select
        'only ' || cast(loaded as varchar) || ' vectors loaded' as case_id,
        cast(null as varchar) as expected_state,
        cast(null as varchar) as actual_state,
        cast(null as varchar) as expected_board_colour,
        cast(null as varchar) as actual_board_colour,
        cast(null as varchar) as expected_tsg_colour,
        cast(null as varchar) as actual_tsg_colour
    from vector_count
    where loaded < 48
)

select * from mismatches
union all
select * from too_few_vectors
