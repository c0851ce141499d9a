-- PLACEHOLDER until the HR staging models land (issue 6 part 2): the typed empty relation with the columns the
-- caseload marts read, so they build with the case-system FTE and ASYE role alone.
with

final as (
    select
        cast(null as varchar) as la_code,
        cast(null as date) as snapshot_date,
        cast(null as varchar) as worker_id,
        cast(null as numeric(4, 2)) as hr_fte,
        cast(null as boolean) as is_hr_asye
    where 1 = 0
)

select * from final
