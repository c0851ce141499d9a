{#
    care_exit_category(rec)

    Why a child stopped being looked after, as a SQL expression over an SSDA903 REC column (input contract §1.1
    REC list, kpi-catalogue §3.3). Codes of every collection year map to one category, so a figure over several
    years reads the same: E43 and E44, the special guardianship codes retired in 2018-19 (replaced by E45-E48), are
    SGO like their successors. X1 (a new episode began the same day) and a null REC (open, or closed by an episode
    repair) are not exits: null.
      ADOPTED                   E11, E12
      SGO                       E43, E44 (to 2017-18), E45, E46, E47, E48
      CHILD_ARRANGEMENTS_ORDER  E41
      RETURNED_HOME             E4A, E4B
      LIVING_WITH_OTHERS        E13 (parents, relatives or others without parental responsibility)
      STAYING_PUT               E17
      INDEPENDENT_LIVING        E5, E6
      ADULT_SOCIAL_CARE         E7
      REMAND_ENDED              E14
      CUSTODY                   E9
      TRANSFERRED_TO_OTHER_LA   E3
      AGE_ASSESSED_18_PLUS      E15
      MOVED_ABROAD              E16
      DIED                      E2
      OTHER                     E8
      UNKNOWN                   any other code
#}
{% macro care_exit_category(rec) -%}
    case
        when {{ rec }} is null or {{ rec }} = 'X1' then null
        when {{ rec }} in ('E11', 'E12') then 'ADOPTED'
        when {{ rec }} in ('E43', 'E44', 'E45', 'E46', 'E47', 'E48') then 'SGO'
        when {{ rec }} = 'E41' then 'CHILD_ARRANGEMENTS_ORDER'
        when {{ rec }} in ('E4A', 'E4B') then 'RETURNED_HOME'
        when {{ rec }} = 'E13' then 'LIVING_WITH_OTHERS'
        when {{ rec }} = 'E17' then 'STAYING_PUT'
        when {{ rec }} in ('E5', 'E6') then 'INDEPENDENT_LIVING'
        when {{ rec }} = 'E7' then 'ADULT_SOCIAL_CARE'
        when {{ rec }} = 'E14' then 'REMAND_ENDED'
        when {{ rec }} = 'E9' then 'CUSTODY'
        when {{ rec }} = 'E3' then 'TRANSFERRED_TO_OTHER_LA'
        when {{ rec }} = 'E15' then 'AGE_ASSESSED_18_PLUS'
        when {{ rec }} = 'E16' then 'MOVED_ABROAD'
        when {{ rec }} = 'E2' then 'DIED'
        when {{ rec }} = 'E8' then 'OTHER'
        else 'UNKNOWN'
    end
{%- endmacro %}
