-- cs_child (input contract §2.2, §6 X1/X2, §7): one row per child known to any family at the period end.
-- ssd_person is the primary source; the 903 Header, then the CIN census ChildIdentifiers/Characteristics, fill
-- the gaps (a child missing from ssd_person, or a blank field). Date of birth follows the contract's precedence
-- for disagreements (X2): 903 Header, then CIN, then ssd_person, and has_dob_disagreement flags a child whose
-- delivered dates differ. uasc_flag and
-- current_home_postcode come from the latest snapshots of ssd_immigration_status and ssd_address up to `as_of`.
with

persons as (
    select * from {{ ref('stg_ssd__persons') }}
),

header as (
    select * from {{ ref('stg_ssda903__header') }}
),

cin_children as (
    select * from {{ ref('stg_cin__children') }}
),

immigration as (
    select * from {{ ref('stg_ssd__immigration_statuses') }}
    where is_latest_snapshot
),

addresses as (
    select * from {{ ref('stg_ssd__addresses') }}
    where is_latest_snapshot
),

children as (
    select
        la_code,
        child_id
    from persons
    union
    select
        la_code,
        child_id
    from header
    union
    select
        la_code,
        child_id
    from cin_children
),

uasc_children as (
    -- An unaccompanied asylum-seeking child: a UASC status open on the snapshot date (open on d: start <= d and
    -- (end is null or end > d)).
    select distinct
        la_code,
        child_id
    from immigration
    where
        immigration_status = 'UASC'
        and (status_start_date is null or status_start_date <= snapshot_date)
        and (status_end_date is null or status_end_date > snapshot_date)
),

home_addresses as (
    -- The latest HOME address open on the snapshot date (§2.2 ssd_address).
    select
        la_code,
        child_id,
        postcode,
        row_number() over (
            partition by la_code, child_id
            order by address_start_date desc nulls last, postcode asc
        ) as recency_rank
    from addresses
    where
        address_type = 'HOME'
        and (address_start_date is null or address_start_date <= snapshot_date)
        and (address_end_date is null or address_end_date > snapshot_date)
),

final as (
    select
        children.la_code,
        children.child_id,
        persons.child_id is not null as is_in_ssd_person,
        header.child_id is not null as is_in_903_header,
        cin_children.child_id is not null as is_in_cin,
        coalesce(persons.sex, header.sex, cin_children.sex) as sex,
        coalesce(persons.ethnicity, header.ethnicity, cin_children.ethnicity) as ethnicity,
        coalesce(header.date_of_birth, cin_children.date_of_birth, persons.date_of_birth) as date_of_birth,
        case
            when header.date_of_birth is not null then '903_HEADER'
            when cin_children.date_of_birth is not null then 'CIN'
            when persons.date_of_birth is not null then 'SSD_PERSON'
        end as date_of_birth_source,
        -- X2: two families deliver different dates for the child (nulls are not a disagreement).
        coalesce(header.date_of_birth != cin_children.date_of_birth, false)
        or coalesce(header.date_of_birth != persons.date_of_birth, false)
        or coalesce(cin_children.date_of_birth != persons.date_of_birth, false) as has_dob_disagreement,
        coalesce(persons.expected_date_of_birth, cin_children.expected_date_of_birth) as expected_date_of_birth,
        coalesce(persons.death_date, cin_children.date_of_death) as death_date,
        coalesce(header.unique_pupil_number, cin_children.unique_pupil_number) as unique_pupil_number,
        coalesce(persons.upn_unknown_reason, cin_children.upn_unknown_reason) as upn_unknown_reason,
        coalesce(persons.is_mother, header.is_mother) as is_mother,
        header.first_child_date_of_birth,
        persons.nationality,
        persons.has_ehcp,
        uasc_children.child_id is not null as uasc_flag,
        home_addresses.postcode as current_home_postcode
    from children
    left join persons
        on children.la_code = persons.la_code and children.child_id = persons.child_id
    left join header
        on children.la_code = header.la_code and children.child_id = header.child_id
    left join cin_children
        on children.la_code = cin_children.la_code and children.child_id = cin_children.child_id
    left join uasc_children
        on children.la_code = uasc_children.la_code and children.child_id = uasc_children.child_id
    left join home_addresses
        on
            children.la_code = home_addresses.la_code
            and children.child_id = home_addresses.child_id
            and home_addresses.recency_rank = 1
)

select * from final
