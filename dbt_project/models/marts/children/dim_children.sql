-- The analysts' child dimension: one row per child known to any family at the period end (int_children_conformed),
-- keyed by the pseudonymous child_key the fact marts carry, with the quasi-identifiers reduced (input contract
-- §11.3; docs/analysts.md "Privacy"): the date of birth to its month, the home postcode to its sector. The home
-- postcode is the latest SSD home address (ssd_address) or else the home postcode of the child's latest 903
-- episode started by the period end. No LA child id, UPN, full date of birth or full postcode leaves staging.
with

children as (
    select * from {{ ref('int_children_conformed') }}
),

episodes as (
    select * from {{ ref('stg_ssda903__episodes') }}
),

latest_903_home as (
    select
        la_code,
        child_id,
        home_postcode,
        row_number() over (
            partition by la_code, child_id
            order by episode_start_date desc, home_postcode asc
        ) as recency_rank
    from episodes
    where
        episode_start_date <= {{ as_of_date() }}
        and home_postcode is not null
),

final as (
    select
        cast(children.la_code as varchar) as la_code,
        cast({{ pseudonymous_key('children.la_code', 'children.child_id') }} as varchar) as child_key,
        cast(children.sex as varchar) as sex,
        cast(children.ethnicity as varchar) as ethnicity,
        cast({{ birth_month('children.date_of_birth') }} as varchar) as birth_month,
        cast(
            {{ postcode_sector('coalesce(children.current_home_postcode, latest_903_home.home_postcode)') }}
            as varchar
        ) as home_postcode_sector,
        cast(children.uasc_flag as boolean) as is_uasc,
        cast(children.is_in_903_header as boolean) as is_in_903_header,
        cast(children.is_in_cin as boolean) as is_in_cin,
        cast(children.is_in_ssd_person as boolean) as is_in_ssd_person
    from children
    left join latest_903_home
        on
            children.la_code = latest_903_home.la_code
            and children.child_id = latest_903_home.child_id
            and latest_903_home.recency_rank = 1
)

select * from final
