"""The landed CIN tables (input contract §1.2.6): one per repeating XML block, keyed as the contract says.

Folder `landing/cin/<folder>/`, PostgreSQL table `landing.cin_<folder>`. Columns are the DfE element names in lower
case plus the deterministic keys of §1.2.6 (`cin_details_key`, `assessment_key`, `s47_key`, `cpp_key`,
`cin_plan_key`), each beginning `la_code|LAchildID|...`. Dates are DATE, the 0/1 flags boolean, NumberOfPreviousCPP
an integer, everything else text.
"""

from __future__ import annotations

import pyarrow as pa

from extract.landing import METADATA_FIELDS

_DATE, _TEXT, _BOOL, _INT = pa.date32(), pa.string(), pa.bool_(), pa.int64()

# folder -> (element name or key, landed type), in landed column order
CIN_TABLES: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "child": (
        ("LAchildID", _TEXT),
        ("UPN", _TEXT),
        ("FormerUPN", _TEXT),
        ("UPNunknown", _TEXT),
        ("PersonBirthDate", _DATE),
        ("ExpectedPersonBirthDate", _DATE),
        ("GenderCurrent", _TEXT),  # up to 2023-24; staging maps 1->M, 2->F, 0/9->U
        ("Sex", _TEXT),  # from 2024-25
        ("PersonDeathDate", _DATE),
        ("Ethnicity", _TEXT),
    ),
    "disability": (("LAchildID", _TEXT), ("Disability", _TEXT)),
    "episode": (
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("CINreferralDate", _DATE),
        ("ReferralSource", _TEXT),
        ("PrimaryNeedCode", _TEXT),
        ("CINclosureDate", _DATE),
        ("ReasonForClosure", _TEXT),
        ("DateOfInitialCPC", _DATE),
        ("ReferralNFA", _BOOL),
    ),
    "assessment": (
        ("assessment_key", _TEXT),
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("AssessmentActualStartDate", _DATE),
        ("AssessmentInternalReviewDate", _DATE),
        ("AssessmentAuthorisationDate", _DATE),
    ),
    "factor": (
        ("assessment_key", _TEXT),
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("AssessmentFactors", _TEXT),
    ),
    "plan_dates": (
        ("cin_plan_key", _TEXT),
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("CINPlanStartDate", _DATE),
        ("CINPlanEndDate", _DATE),
    ),
    "s47": (
        ("s47_key", _TEXT),
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("S47ActualStartDate", _DATE),
        ("InitialCPCtarget", _DATE),
        ("DateOfInitialCPC", _DATE),
        ("ICPCnotRequired", _BOOL),
    ),
    "cp_plan": (
        ("cpp_key", _TEXT),
        ("cin_details_key", _TEXT),
        ("LAchildID", _TEXT),
        ("CPPstartDate", _DATE),
        ("CPPendDate", _DATE),
        ("InitialCategoryOfAbuse", _TEXT),
        ("LatestCategoryOfAbuse", _TEXT),
        ("NumberOfPreviousCPP", _INT),
    ),
    "review": (("cpp_key", _TEXT), ("cin_details_key", _TEXT), ("LAchildID", _TEXT), ("CPPreviewDate", _DATE)),
}
FOLDERS = tuple(CIN_TABLES)
PERSONAL = frozenset({"LAchildID", "UPN", "FormerUPN", "PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"})
# Event dates that may not be after the as-at date (R06); ExpectedPersonBirthDate and InitialCPCtarget may be.
EVENT_DATES = frozenset(
    name
    for columns in CIN_TABLES.values()
    for name, kind in columns
    if kind == _DATE and name not in ("ExpectedPersonBirthDate", "InitialCPCtarget")
)
# (folder, start, end): an end before its start rejects that record (R05, §1.2.7)
ORDERINGS = (
    ("episode", "CINreferralDate", "CINclosureDate"),
    ("cp_plan", "CPPstartDate", "CPPendDate"),
    ("assessment", "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    ("plan_dates", "CINPlanStartDate", "CINPlanEndDate"),
)


def schema_of(folder: str) -> pa.Schema:
    return pa.schema([(name.lower(), kind) for name, kind in CIN_TABLES[folder]] + METADATA_FIELDS)


def landed_type(folder: str, name: str) -> pa.DataType:
    return dict(CIN_TABLES[folder])[name]
