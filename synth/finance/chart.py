"""The chart of accounts: subjectives (→ P&L groups), placement cost centres and corporate cost centres.

Placement cost centres are the Slough 2018-19 codes of input contract §4.3 (M28B, M33B, M32B, M82B, M63B, G77L,
G77T, M35B) plus made-up codes for the types the contract leaves LA-specific. Staff costs sit on each team's cost
centre (synth.workforce). Care-leaver accommodation, staying put and 18+ semi-independence are costed to
"Support to children and young people", not to Placements (kpi-catalogue §5.5).
"""

from __future__ import annotations

# subjective code -> (description, subjective_group)
SUBJECTIVES: dict[str, tuple[str, str]] = {
    "I1000": ("Core contract income from the council", "INCOME_SBC"),
    "I1010": ("Other council income", "INCOME_SBC_OTHER"),
    "I2000": ("DfE income", "INCOME_DFE"),
    "I3000": ("Grant income", "INCOME_GRANT"),
    "I4000": ("Other income", "INCOME_OTHER"),
    "E1000": ("Salaries", "PAY"),
    "E1010": ("Employer national insurance", "PAY"),
    "E1020": ("Employer pension contributions", "PAY"),
    "E1100": ("Agency staff", "AGENCY"),
    "E3000": ("External placements", "PLACEMENTS"),
    "E3010": ("In-house foster carer payments", "PLACEMENTS"),
    "E3020": ("In-house residential placements", "PLACEMENTS"),
    "E3030": ("Adoption, SGO and child arrangements allowances", "PLACEMENTS"),
    "E4000": ("Care leaver accommodation and staying put", "SUPPORT_CYP"),
    "E4100": ("Other support to children and families (s17)", "SUPPORT_CYP"),
    "E5000": ("Legal fees", "LEGAL"),
    "E6000": ("Premises", "OVERHEADS"),
    "E6010": ("ICT", "OVERHEADS"),
    "E6020": ("Supplies and services", "OVERHEADS"),
    "E6090": ("Contingency", "OVERHEADS"),
    "E7000": ("Transformation", "TRANSFORMATION"),
    "B9000": ("Balance sheet control", "BALANCE_SHEET"),
}
# finance placement type -> (cost centre, subjective)
PLACEMENT_ACCOUNTS: dict[str, tuple[str, str]] = {
    "EXT_RES": ("M28B", "E3000"),
    "EXT_MB": ("M28B", "E3000"),
    "INHOUSE_RES": ("M29B", "E3020"),
    "INHOUSE_SHORT_BREAK": ("M30B", "E3020"),
    "SECURE_REMAND": ("M35B", "E3000"),
    "UASC_16_18_SI": ("G77L", "E3000"),
    "UASC_U16": ("G77T", "E3000"),
    "SI_U18": ("M36B", "E3000"),
    "SI_18PLUS": ("M37B", "E4000"),
    "EXT_IFA": ("M33B", "E3000"),
    "INHOUSE_FOSTER": ("M32B", "E3010"),
    "INHOUSE_FF": ("M32B", "E3010"),
    "ADOPT_ALLOW": ("M82B", "E3030"),
    "SGO": ("M63B", "E3030"),
    "RO": ("M63B", "E3030"),
    "CARE_LEAVER": ("M40B", "E4000"),
    "STAYING_PUT": ("M41B", "E4000"),
    "OTHER": ("M39B", "E3000"),
}
# placement cost centre -> (description, the type ref_cost_centre_map names, service)
PLACEMENT_COST_CENTRES: dict[str, tuple[str, str, str]] = {
    "M28B": ("External residential and external mother and baby", "EXT_RES", "CLASS"),
    "M29B": ("In-house residential", "INHOUSE_RES", "CLASS"),
    "M30B": ("In-house short breaks", "INHOUSE_SHORT_BREAK", "CWD"),
    "M32B": ("Internal placements: in-house foster carers and family and friends", "INHOUSE_FOSTER", "IFA"),
    "M33B": ("External fostering", "EXT_IFA", "CLASS"),
    "M35B": ("Remand services", "SECURE_REMAND", "EYJ"),
    "M36B": ("Semi-independent and supported accommodation under 18", "SI_U18", "CLASS"),
    "M37B": ("Semi-independent 18 plus", "SI_18PLUS", "CL"),
    "M39B": ("Other placements", "OTHER", "CLASS"),
    "M40B": ("Care leaver accommodation", "CARE_LEAVER", "CL"),
    "M41B": ("Staying put", "STAYING_PUT", "CL"),
    "M63B": ("Residence order and special guardianship allowances", "SGO", "ADOPTION"),
    "M82B": ("Adoption allowances", "ADOPT_ALLOW", "ADOPTION"),
    "G77L": ("Asylum seekers 16-18", "UASC_16_18_SI", "CLASS"),
    "G77T": ("Asylum seekers under 16", "UASC_U16", "CLASS"),
}
# Corporate cost centres: code -> (description, service)
CORPORATE_COST_CENTRES: dict[str, tuple[str, str]] = {
    "CINC01": ("Contract and grant income", "CORP"),
    "CSUP01": ("Support to children and families", "SFS"),
    "CLEG01": ("Legal services", "CORP"),
    "CCOR01": ("Corporate overheads and contingency", "CORP"),
    "CTRN01": ("Transformation programme", "CORP"),
}
INCOME_CC, SUPPORT_CC, LEGAL_CC, OVERHEADS_CC, TRANSFORMATION_CC = CORPORATE_COST_CENTRES


def subjective_group(code: str) -> str:
    return SUBJECTIVES[code][1]


def is_income(code: str) -> bool:
    return subjective_group(code).startswith("INCOME")
