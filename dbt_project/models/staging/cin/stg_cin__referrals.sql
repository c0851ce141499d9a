-- CIN census referral episodes (CINdetails; cs_referral) as the authoritative census files stood at the period end.
-- A referral open across 1 April is in two years' files under the same cin_details_key: the later year wins.
with

source as (
    select * from {{ source('landing', 'cin_episode') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['cin_details_key'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(cinreferraldate as date) as referral_date,
        cast(referralsource as varchar) as referral_source,
        cast(primaryneedcode as varchar) as primary_need_code,
        cast(cinclosuredate as date) as closure_date,
        cast(reasonforclosure as varchar) as reason_for_closure,
        cast(dateofinitialcpc as date) as initial_cpc_date,
        cast(referralnfa as boolean) as is_referral_nfa,
        cast(reporting_month as varchar) as reporting_month,
        cast(collection_year as varchar) as collection_year,
        cast(load_id as varchar) as load_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row
    from authoritative
),

final as (
    select * from renamed
)

select * from final
