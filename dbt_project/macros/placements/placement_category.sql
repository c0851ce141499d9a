{#
    placement_category(place, provider)

    The sufficiency category of a placement (kpi-catalogue s_plc_mix, §3.3 finance_placement_type and PLACE codes),
    as a SQL expression over a PLACE and a PLACE_PROVIDER column:
      INHOUSE_FOSTER       U4-U6 with PR1 (the organisation's own carers)
      CONNECTED_CARERS     U1-U3 with PR1 (family and friends approved by the organisation)
      EXTERNAL_IFA         any other U1-U6 (other LA, public, private or voluntary fostering)
      INHOUSE_RESIDENTIAL  K2, R1, R3 or S1 with PR1
      EXTERNAL_RESIDENTIAL K2, R1, R3 or S1 otherwise (external residential and mother-and-baby)
      SUPPORTED_SEMI_INDEPENDENT  H5, K3, P2
      PLACED_WITH_PARENTS  P1
      ADOPTION             A3-A6
      SECURE_YOI           K1, R5
      TEMPORARY            T0-T4 (only ever an episode, never a derived placement)
      OTHER                anything else (R2, P3, Z1, Z11-Z14, unknown)
#}
{% macro placement_category(place, provider) -%}
    case
        when {{ place }} in ('U4', 'U5', 'U6') and {{ provider }} = 'PR1' then 'INHOUSE_FOSTER'
        when {{ place }} in ('U1', 'U2', 'U3') and {{ provider }} = 'PR1' then 'CONNECTED_CARERS'
        when {{ place }} in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') then 'EXTERNAL_IFA'
        when {{ place }} in ('K2', 'R1', 'R3', 'S1') and {{ provider }} = 'PR1' then 'INHOUSE_RESIDENTIAL'
        when {{ place }} in ('K2', 'R1', 'R3', 'S1') then 'EXTERNAL_RESIDENTIAL'
        when {{ place }} in ('H5', 'K3', 'P2') then 'SUPPORTED_SEMI_INDEPENDENT'
        when {{ place }} = 'P1' then 'PLACED_WITH_PARENTS'
        when {{ place }} in ('A3', 'A4', 'A5', 'A6') then 'ADOPTION'
        when {{ place }} in ('K1', 'R5') then 'SECURE_YOI'
        when {{ place }} in ('T0', 'T1', 'T2', 'T3', 'T4') then 'TEMPORARY'
        else 'OTHER'
    end
{%- endmacro %}


{#
    finance_placement_type(place, provider, legal_status, is_uasc, age_years)

    The finance placement type a looked-after child's placement is paid under (kpi-catalogue §3.3, the "903 rule
    (proposed)" column), for the reconciliation of looked-after counts with placement commitments (§2.5 B18: the
    CLA-type rows only). First match wins; 'NONE' when no finance type applies (placed with parents, adoption,
    other). Short breaks (V3/V4) are not CLA and never reach this macro.
#}
{% macro finance_placement_type(place, provider, legal_status, is_uasc, age_years) -%}
    case
        when {{ legal_status }} = 'J1'
            or ({{ place }} in ('K1', 'R5') and {{ legal_status }} in ('J1', 'J2', 'J3')) then 'SECURE_REMAND'
        when {{ is_uasc }} and {{ place }} in ('H5', 'K3', 'P2') then 'UASC_16_18_SI'
        when {{ is_uasc }} and {{ age_years }} < 16 then 'UASC_U16'
        when {{ place }} in ('H5', 'K3', 'P2') and {{ age_years }} < 18 then 'SI_U18'
        when {{ place }} = 'K2' and {{ provider }} = 'PR1' then 'INHOUSE_RES'
        when {{ place }} in ('K2', 'R1', 'S1') and {{ provider }} in ('PR2', 'PR3', 'PR4', 'PR5') then 'EXT_RES'
        when {{ place }} = 'R3' and {{ provider }} <> 'PR1' then 'EXT_MB'
        when {{ place }} in ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') and {{ provider }} in ('PR2', 'PR3', 'PR4', 'PR5')
            then 'EXT_IFA'
        when {{ place }} in ('U4', 'U5', 'U6') and {{ provider }} = 'PR1' then 'INHOUSE_FOSTER'
        when {{ place }} in ('U1', 'U2', 'U3') and {{ provider }} = 'PR1' then 'INHOUSE_FF'
        else 'NONE'
    end
{%- endmacro %}
