"""Named code lists the generic CSV families share (input contract §1.2.2, §2-§5).

Statutory lists come from `extract.codes` (903) as the union over every collection year, since non-statutory tables
carry records from many years and a non-key code is only nulled (W05) when unknown.
"""

from __future__ import annotations

from functools import cache

from extract.codes import codes_for


def _range(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{number}" for number in range(first, last + 1))


_ROLES = ("QSW", "ASYE", "SSW", "TM", "ATM", "SM", "PA", "FSW", "IRO", "CP_CHAIR", "CLIN")
_LISTS: dict[str, tuple[str, ...]] = {
    "REFERRAL_SOURCE": (
        *("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4"),
        *("5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"),
    ),
    "PRIMARY_NEED": _range("N", 0, 9),
    "CLOSURE_REASON": _range("RC", 1, 9),
    "ABUSE_CATEGORY": ("NEG", "PHY", "SAB", "EMO", "MUL"),
    "DISABILITY": ("NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"),
    "UPN_UNKNOWN": _range("UN", 1, 7),
    "PN": _range("PN", 0, 7),
    "SDQ_REASON": _range("SDQ", 1, 5),
    "JOB_FAMILY": (*_ROLES, "BUSINESS_SUPPORT", "CORPORATE", "OTHER"),
    "CONTRACT_TYPE": ("PERM", "FTC", "SECONDMENT", "BANK", "CASUAL"),
    "GRADE": ("O", "G", "RI", "I"),
    "SERVICE": ("RA", "SFS", "CLASS", "CWD", "CL", "EYJ", "IFA", "ADOPTION", "SQA", "VS", "EH", "HR", "CORP", "OTHER"),
    "FIN_PLACEMENT_TYPE": (
        *("EXT_RES", "EXT_MB", "INHOUSE_RES", "INHOUSE_SHORT_BREAK", "SECURE_REMAND", "UASC_16_18_SI", "UASC_U16"),
        *("SI_U18", "SI_18PLUS", "EXT_IFA", "INHOUSE_FOSTER", "INHOUSE_FF", "ADOPT_ALLOW", "SGO", "RO"),
        *("CARE_LEAVER", "STAYING_PUT", "OTHER"),
    ),
    "SUBJECTIVE_GROUP": (
        *("INCOME_SBC", "INCOME_SBC_OTHER", "INCOME_DFE", "INCOME_GRANT", "INCOME_OTHER", "PAY", "AGENCY"),
        *("PLACEMENTS", "SUPPORT_CYP", "LEGAL", "OVERHEADS", "TRANSFORMATION", "BALANCE_SHEET"),
    ),
    "PROVIDER_TYPE": (
        *("IFA", "CHILDRENS_HOME", "SECURE", "SUPPORTED_ACCOM", "SEMI_INDEPENDENT", "RESIDENTIAL_SCHOOL"),
        *("PARENT_AND_CHILD", "INHOUSE_FOSTER", "INHOUSE_RES", "OTHER_LA", "OTHER"),
    ),
    "CL_ACCOM_LETTER": tuple("BCDEGHKRSTUVWXYZ"),
    "YEAR_GROUP": ("N1", "N2", "R", *_range("Y", 1, 13)),
    "PROCEEDINGS_OUTCOME": (
        *("LIVING_WITH_PARENTS", "SGO", "CAO_OTHER", "CARE_ORDER", "PLACEMENT_ORDER", "SUPERVISION_ORDER"),
        *("NO_ORDER", "WITHDRAWN", "OTHER"),
    ),
    # local_improvement_actions: the Blackpool vocabulary or the BRAG words (§3)
    "ACTION_STATUS": (
        "COMPLETE",
        "GREEN",
        "ORANGE",
        "AT_RISK",
        "NOT_STARTED",
        "GREY",
        "BLUE",
        "YELLOW",
        "AMBER",
        "RED",
    ),
}
_FROM_903 = {"ETHNIC": "ETHNIC", "ACTIV": "ACTIV", "ACCOM": "ACCOM", "IN_TOUCH": "IN_TOUCH", "PLACE": "PLACE"}
_FROM_903 |= {"RNE": "RNE", "REC": "REC", "LS": "LS", "PLACE_PROVIDER": "PLACE_PROVIDER", "SW_REASON": "SW_REASON"}


@cache
def named_codes(name: str) -> frozenset[str]:
    if name in _LISTS:
        return frozenset(_LISTS[name])
    if name in _FROM_903:
        return frozenset().union(*(codes_for(_FROM_903[name], year) for year in range(2018, 2028)))
    if name == "CL_ACCOM":  # ssd_care_leavers: the letter alone, the 903 letter+digit form, or 0
        return named_codes("CL_ACCOM_LETTER") | named_codes("ACCOM")
    raise KeyError(f"no code list named {name}")
