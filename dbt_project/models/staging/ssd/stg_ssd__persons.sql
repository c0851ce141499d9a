-- ssd_person (input contract §2.2) as it stood at the period end: one row per child known to CSC, readable names,
-- no business rules. ssd_person lists the children known in each delivery's window, so a child absent from a later
-- delivery has only dropped out of the window: persons are never deleted by absence. The record date passed to
-- the event rule (macros/landing/authoritative_event_rows.sql) is therefore before every window, and each child's
-- row comes from the latest delivery that holds it.
with

source as (
    select * from {{ source('landing', 'ssd_person') }}
),

authoritative as (
    {{ authoritative_event_rows('source', ['pers_person_id'], 'ssd_person', "cast('1900-01-01' as date)") }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(pers_person_id as varchar) as child_id,
        cast(pers_sex as varchar) as sex,
        cast(pers_gender as varchar) as gender,
        cast(pers_ethnicity as varchar) as ethnicity,
        cast(pers_dob as date) as date_of_birth,
        cast(pers_expected_dob as date) as expected_date_of_birth,
        cast(pers_death_date as date) as death_date,
        cast(pers_upn_unknown as varchar) as upn_unknown_reason,
        cast(pers_is_mother as boolean) as is_mother,
        cast(pers_nationality as varchar) as nationality,
        cast(pers_send_flag as boolean) as has_ehcp,
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
