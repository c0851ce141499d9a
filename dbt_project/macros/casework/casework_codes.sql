{#
    The contract code lists of the casework columns that may be delivered as local free text (input contract §2.2,
    §2.4, §2.5), in one place for the staging models that map them (macros/casework/local_codes.sql). The YAML
    accepted_values tests spell the same lists out.
#}

{% macro casework_codes(name) -%}
    {%- set lists = {
        'service': ['RA', 'SFS', 'CLASS', 'CWD', 'CL', 'EYJ', 'IFA', 'ADOPTION', 'SQA', 'VS', 'EH', 'HR', 'CORP', 'OTHER'],
        'worker_role': ['SW', 'ASYE', 'SSW', 'ATM', 'TM', 'SM', 'PA', 'IRO', 'CP_CHAIR', 'FSW', 'EHW', 'CLIN', 'OTHER'],
        'involvement_role': ['ALLOCATED_SW', 'PA', 'IRO', 'CP_CHAIR', 'SUPERVISING_SW', 'EH_WORKER', 'TEAM_ONLY', 'OTHER'],
        'immigration_status': ['UASC', 'FORMER_UASC', 'REFUGEE', 'OTHER'],
        'address_type': ['HOME', 'PLACEMENT', 'OTHER'],
        'care_leaver_eligibility': ['RELEVANT', 'FORMER_RELEVANT', 'ELIGIBLE', 'QUALIFYING', 'NONE'],
        'eh_end_reason': ['STEP_UP', 'OUTCOMES_MET', 'NFA', 'DISENGAGED', 'MOVED', 'OTHER'],
    } -%}
    {%- if name not in lists -%}
        {{ exceptions.raise_compiler_error("casework_codes: unknown code list '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return(lists[name]) }}
{%- endmacro %}
