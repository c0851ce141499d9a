-- cs_assessment_factor (input contract §7, §2.3): the factors identified at each conformed assessment, one row per
-- assessment and factor code. The factors come from the assessment's primary source (census AssessmentFactors, or
-- the SSD JSON list read into codes); when that source has none for the assessment, the matched alternative's are
-- used (factor_source says which). Codes outside the contract's AssessmentFactors list are not read from the JSON.
with

assessments as (
    select * from {{ ref('int_assessments_conformed') }}
),

factor_codes as (
    -- The contract's AssessmentFactors list (input contract §1.2.2), one row per code.
    select codes.factor_code
    from (
        values
        ('1A'), ('1B'), ('1C'), ('2A'), ('2B'), ('2C'), ('3A'), ('3B'), ('3C'), ('4A'), ('4B'), ('4C'),
        ('5A'), ('5B'), ('5C'), ('6A'), ('6B'), ('6C'), ('7A'), ('8B'), ('8C'), ('8D'), ('8E'), ('8F'),
        ('9A'), ('10A'), ('11A'), ('12A'), ('13A'), ('14A'), ('15A'), ('16A'), ('17A'), ('18A'), ('18B'), ('18C'),
        ('19A'), ('19B'), ('19C'), ('20'), ('21'), ('22A'), ('23A'), ('24A')
    ) as codes (factor_code)
),

ssd_factor_codes as (
    -- A JSON array lists the codes (["1A","3B"]); an object marks each code Yes/No ({"1A":"Yes"}).
    select distinct
        ssd_rows.la_code,
        ssd_rows.assessment_id,
        factor_codes.factor_code
    from {{ ref('stg_ssd__assessment_factors') }} as ssd_rows
    cross join factor_codes
    where
        case
            when {{ json_is_array('ssd_rows.assessment_factors_json') }}
                then {{ json_array_has_text('ssd_rows.assessment_factors_json', 'factor_codes.factor_code') }}
            else
                upper(trim({{ json_text_value('ssd_rows.assessment_factors_json', 'factor_codes.factor_code') }}))
                in ('Y', 'YES', 'TRUE', '1')
        end
),

candidates as (
    select distinct
        assessments.la_code,
        assessments.assessment_id,
        assessments.child_id,
        assessments.primary_source,
        census_factors.factor_code,
        'CIN' as factor_source
    from assessments
    inner join {{ ref('stg_cin__assessment_factors') }} as census_factors
        on
            assessments.la_code = census_factors.la_code
            and assessments.assessment_key = census_factors.assessment_key
    union all
    select
        assessments.la_code,
        assessments.assessment_id,
        assessments.child_id,
        assessments.primary_source,
        ssd_factor_codes.factor_code,
        'SSD' as factor_source
    from assessments
    inner join ssd_factor_codes
        on
            assessments.la_code = ssd_factor_codes.la_code
            and assessments.ssd_assessment_id = ssd_factor_codes.assessment_id
),

ranked as (
    select
        *,
        case when factor_source = primary_source then 0 else 1 end as source_rank,
        min(case when factor_source = primary_source then 0 else 1 end) over (
            partition by la_code, assessment_id
        ) as best_source_rank
    from candidates
),

final as (
    select
        la_code,
        assessment_id,
        child_id,
        cast(factor_code as varchar) as factor_code,
        cast(factor_source as varchar) as factor_source
    from ranked
    where source_rank = best_source_rank
)

select * from final
