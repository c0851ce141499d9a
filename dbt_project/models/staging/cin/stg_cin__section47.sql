-- CIN census section 47 enquiries (cs_section47) as the authoritative census files stood at the period end; an
-- enquiry in two years' files takes the later year's conference date and ICPCnotRequired.
with

source as (
    select * from {{ source('landing', 'cin_s47') }}
),

authoritative as (
    {{ authoritative_statutory_rows('source', ['s47_key'], ledger_table_name='cin') }}
),

renamed as (
    select
        cast(la_code as varchar) as la_code,
        cast(s47_key as varchar) as s47_key,
        cast(cin_details_key as varchar) as cin_details_key,
        cast(lachildid as varchar) as child_id,
        cast(s47actualstartdate as date) as s47_start_date,
        cast(initialcpctarget as date) as initial_cpc_target_date,
        cast(dateofinitialcpc as date) as initial_cpc_date,
        cast(icpcnotrequired as boolean) as is_icpc_not_required,
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
