"""A tiny landing area of SSD, local and reference tables (plus the 903 Header and CIN children they are conformed
with), written with the extract layer's own schemas, for the casework staging and intermediate models.

Period end 2025-02-28. E06000039 delivers in January, February and March 2025 (March is after the period end and
must never be read); E09000001 delivers once, in February. The code map is delivered at LA level (`inbound/<la>/ref/`,
null reporting month). Every id is synthetic (`C01`, `W1`...), no real data. `test_casework_staging.py` works out
every expected value from the rows below.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.cin.tables import schema_of as cin_schema_of
from extract.csv_families.registry import REGISTRY
from extract.landing import LEDGER_SCHEMA, METADATA_FIELDS, data_schema
from extract.table_catalogue import write_empty_tables
from extract.tables import TABLES

LA_MAIN = "E06000039"
LA_OTHER = "E09000001"
AS_OF = date(2025, 2, 28)

D = date.fromisoformat


def utc(text: str) -> datetime:
    """A landed datetime: extract converts Europe/London local time to UTC; the fixture gives UTC directly."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- reference: the LA-level code map (reporting_month null) -----------------------------------------------------
CODE_MAP = [
    {"table_name": "ssd_professionals", "column_name": "local_role_code", "local_value": "Senior Practitioner",
     "contract_value": "SSW"},
    {"table_name": "ssd_involvements", "column_name": "invo_professional_role_id", "local_value": "key worker",
     "contract_value": "ALLOCATED_SW"},
    {"table_name": "ssd_department", "column_name": "local_service_code", "local_value": "Children with Disabilities",
     "contract_value": "CWD"},
    {"table_name": "ssd_department", "column_name": "dept_team_id", "local_value": "T9", "contract_value": "CL"},
    {"table_name": "ssd_address", "column_name": "addr_address_type", "local_value": "Home address",
     "contract_value": "HOME"},
    {"table_name": "ssd_immigration_status", "column_name": "immi_immigration_status",
     "local_value": "Unaccompanied", "contract_value": "UASC"},
]  # fmt: skip


def team(team_id: str, name: str, service: str | None, front_door: bool = False) -> dict:
    return {
        "dept_team_id": team_id,
        "dept_team_name": name,
        "local_service_code": service,
        "local_front_door": front_door,
        "local_cost_centre": f"CC{team_id}",
        "local_valid_from": D("2020-04-01"),
    }


DEPARTMENT_JAN = [team("T1", "Front door", "RA", True), team("T2", "Safeguarding", "SFS"), team("T3", "CLA", "CLASS")]
DEPARTMENT_FEB = [
    *DEPARTMENT_JAN,
    team("T4", "Disabled children", "Children with Disabilities"),  # mapped -> CWD -> CLASS
    team("T9", "Leaving care", None),  # no service: the map of its team id gives CL -> CLASS
    team("T8", "Projects", "Mystery"),  # neither a code nor mapped: service null
]
DEPARTMENT_MAR = [*DEPARTMENT_FEB, team("T5", "After the period end", "SFS")]


def worker(worker_id: str, role: str | None, team_id: str, **extra: object) -> dict:
    row = {"prof_professional_id": worker_id, "local_role_code": role, "local_team_id": team_id,
           "prof_full_time_equivalency": Decimal("1.00"), "local_start_date": D("2022-01-01")}  # fmt: skip
    row.update(extra)
    return row


PROFESSIONALS_JAN = [
    worker("W1", "SW", "T2", local_qualified_sw=True, local_case_holding=True),
    worker("W2", "SW", "T3", local_qualified_sw=True, local_case_holding=True),
]
PROFESSIONALS_FEB = [
    worker("W1", "SW", "T2", local_qualified_sw=True, local_case_holding=True),
    # Local role text mapped to SSW; blank flags take the defaults: SWE number -> qualified, SSW -> case holding.
    worker("W2", "Senior Practitioner", "T3", prof_social_worker_registration_no="SW12345"),
    worker("W3", "TM", "T2", local_qualified_sw=True, local_case_holding=False),
    # No role at all: the job title is mapped (the code map names the title under local_role_code).
    worker("W4", None, "T9", prof_professional_job_title="Senior Practitioner", local_qualified_sw=True),
    worker("W5", "PA", "T9", local_qualified_sw=False),
]
PROFESSIONALS_MAR = [*PROFESSIONALS_FEB, worker("W6", "SW", "T5")]

PERSONS_JAN = [
    {"pers_person_id": "C01", "pers_sex": "M", "pers_dob": D("2015-03-01")},
    {"pers_person_id": "C90", "pers_sex": "F", "pers_dob": D("2009-09-09")},  # only in January: still a person
]
PERSONS_FEB = [
    {"pers_person_id": "C01", "pers_sex": "M", "pers_ethnicity": "WBRI", "pers_dob": D("2015-03-01")},
    {"pers_person_id": "C02", "pers_sex": "F", "pers_dob": D("2018-07-07")},
    {"pers_person_id": "C04", "pers_expected_dob": D("2025-04-01")},
    {"pers_person_id": "C05", "pers_sex": "M", "pers_dob": D("2008-01-01")},
]
PERSONS_MAR = [*PERSONS_FEB, {"pers_person_id": "C06", "pers_dob": D("2020-01-01")}]

# 903 Header (2024-25, delivered in February) and CIN children (2024-25, February).
HEADER_FEB = [
    {"child": "C01", "sex": "M", "dob": D("2015-03-02"), "ethnic": "WBRI", "upn": "A123456789012"},
    {"child": "C03", "sex": "F", "dob": D("2012-05-15"), "ethnic": "WIRI", "upn": "UN1"},
]
CIN_CHILDREN_FEB = [
    {"lachildid": "C02", "personbirthdate": D("2018-07-08"), "sex": "F", "ethnicity": "WBRI"},
    {"lachildid": "C05", "personbirthdate": D("2008-01-01"), "sex": "M", "ethnicity": "AOTH"},
]

IMMIGRATION_JAN = [
    {"immi_person_id": "C02", "immi_immigration_status": "UASC", "immi_immigration_status_start_date": D("2024-01-01")},
]
IMMIGRATION_FEB = [
    {"immi_person_id": "C05", "immi_immigration_status": "Unaccompanied",
     "immi_immigration_status_start_date": D("2024-06-01")},
    {"immi_person_id": "C01", "immi_immigration_status": "UASC", "immi_immigration_status_start_date": D("2023-01-01"),
     "immi_immigration_status_end_date": D("2024-12-31")},
]  # fmt: skip

ADDRESSES_FEB = [
    {"addr_person_id": "C01", "addr_address_type": "HOME", "addr_address_start_date": D("2020-01-01"),
     "addr_address_end_date": D("2024-06-30"), "addr_address_postcode": "SL1 1AA"},
    {"addr_person_id": "C01", "addr_address_type": "Home address", "addr_address_start_date": D("2024-07-01"),
     "addr_address_postcode": "SL1 2EL"},
    {"addr_person_id": "C01", "addr_address_type": "PLACEMENT", "addr_address_start_date": D("2024-08-01"),
     "addr_address_postcode": "SL2 2AA"},
]  # fmt: skip


def involvement(row_id: str, child: str, worker_id: str | None, role: str, team_id: str, start: str,
                end: str | None = None) -> dict:  # fmt: skip
    return {"invo_involvements_id": row_id, "invo_person_id": child, "invo_professional_id": worker_id,
            "invo_professional_role_id": role, "invo_professional_team": team_id,
            "invo_involvement_start_date": D(start), "invo_involvement_end_date": D(end) if end else None}  # fmt: skip


INVOLVEMENTS_JAN = [
    involvement("I1", "C01", "W1", "ALLOCATED_SW", "T2", "2024-01-01"),
    involvement("I9", "C02", "W1", "ALLOCATED_SW", "T2", "2024-12-01"),  # deleted by February's full refresh
]
INVOLVEMENTS_FEB = [
    involvement("I1", "C01", "W1", "ALLOCATED_SW", "T2", "2024-01-01", "2024-06-30"),
    involvement("I2", "C01", "W1", "ALLOCATED_SW", "T2", "2024-06-30"),  # touches I1: the same allocation
    involvement("I7", "C01", "W1", "ALLOCATED_SW", "T2", "2024-03-01", "2024-04-01"),  # inside I1: the same
    involvement("I3", "C01", "W2", "key worker", "T3", "2024-09-01"),  # mapped to ALLOCATED_SW; co-working
    involvement("I4", "C02", None, "TEAM_ONLY", "T9", "2024-11-01"),
    involvement("I5", "C05", "W5", "PA", "T9", "2024-05-01"),
    involvement("I6", "C05", "W1", "ALLOCATED_SW", "T4", "2023-01-01", "2025-01-15"),
]
INVOLVEMENTS_OTHER = [involvement("J1", "D01", "X1", "ALLOCATED_SW", "U1", "2025-01-10")]

CONTACTS_JAN = [
    {"cont_contact_id": "K9", "cont_person_id": "C01", "cont_contact_date": utc("2025-01-05T10:00:00")},
]
CONTACTS_FEB = [
    # Outcome from the JSON (new referral); source 5D: stepped up from early help by default.
    {"cont_contact_id": "K1", "cont_person_id": "C01", "cont_contact_date": utc("2025-02-03T09:15:00"),
     "cont_contact_source_code": "5D", "cont_contact_outcome_json": '{"NEW_REFERRAL_FLAG":"Y","NFA_FLAG":"N"}',
     "local_decision_datetime": utc("2025-02-03T15:00:00"), "local_team_id": "T1"},
    # A duplicate merged into another contact; source 1A and no early help: not a step-up.
    {"cont_contact_id": "K2", "cont_person_id": "C02", "cont_contact_date": utc("2025-02-10T11:00:00"),
     "cont_contact_source_code": "1A", "local_decision_datetime": utc("2025-02-10T12:00:00"),
     "local_decision_outcome": "DUPLICATE", "local_team_id": "T1"},
    # 23:30 UTC on 30 June = 00:30 BST on 1 July, the day C05's early help began: a step-up by default. Advice and
    # NFA both Y: advice wins (more escalated).
    {"cont_contact_id": "K3", "cont_person_id": "C05", "cont_contact_date": utc("2024-06-30T23:30:00"),
     "cont_contact_source_code": "1A", "cont_contact_outcome_json": '{"ADVICE_FLAG":"Y","NFA_FLAG":"Y"}',
     "local_team_id": "T1"},
    # Undecided, no JSON; stepped_up delivered as N wins over the 5D default.
    {"cont_contact_id": "K4", "cont_person_id": "C04", "cont_contact_date": utc("2025-02-20T10:00:00"),
     "cont_contact_source_code": "5D", "local_stepped_up_from_eh": False, "local_team_id": "T1"},
]  # fmt: skip
EARLY_HELP_FEB = [
    {"earl_episode_id": "E1", "earl_person_id": "C05", "earl_episode_start_date": D("2024-07-01"),
     "earl_episode_end_date": D("2024-09-30"), "earl_episode_end_reason": "STEP_UP"},
]  # fmt: skip

CIN_VISITS_FEB = [
    {"cinv_cin_visit_id": "V1", "cinv_person_id": "C02", "cinv_cin_visit_date": D("2025-02-05"),
     "cinv_cin_visit_seen": True, "cinv_cin_visit_seen_alone": "Y", "local_worker_id": "W1"},
    # Seen left blank: not seen, flagged. An assessment visit, not statutory.
    {"cinv_cin_visit_id": "V2", "cinv_person_id": "C02", "cinv_cin_visit_date": D("2025-01-20"),
     "local_visit_context": "ASSESS", "local_statutory": False, "local_worker_id": "W1"},
]  # fmt: skip
CP_VISITS_FEB = [
    # The same id as a CIN visit: ids are unique per table only.
    {"cppv_cp_visit_id": "V1", "cppv_person_id": "C01", "cppv_cp_plan_id": "P1", "cppv_cp_visit_date": D("2025-02-10"),
     "cppv_cp_visit_seen": True, "cppv_cp_visit_seen_alone": "N", "local_worker_id": "W1"},
]  # fmt: skip
CLA_VISITS_FEB = [
    {"clav_cla_visit_id": "V5", "clav_person_id": "C05", "clav_cla_visit_date": D("2025-01-05"),
     "clav_cla_visit_seen": True, "clav_cla_visit_seen_alone": "NA", "local_worker_id": "W1"},
]  # fmt: skip
LOCAL_VISITS_FEB = [
    # The same child, day and context as CIN visit V2: recorded twice, the SSD row is kept.
    {"visit_id": "L1", "person_id": "C02", "visit_date": D("2025-01-20"), "visit_context": "ASSESS",
     "child_seen": True},
    {"visit_id": "L2", "person_id": "C05", "visit_date": D("2025-02-14"), "visit_context": "PATHWAY",
     "child_seen": False, "seen_alone": "N", "worker_id": "W5"},
]  # fmt: skip

SUPERVISION_FEB = [
    {"supervision_id": "S1", "person_id": "C01", "supervision_date": D("2025-02-12"), "supervisor_worker_id": "W3",
     "case_worker_id": "W1", "supervision_type": "CASE_SUP"},
    {"supervision_id": "S2", "person_id": "C02", "supervision_date": D("2025-02-13"), "supervisor_worker_id": "W3",
     "supervision_type": "MO"},
]  # fmt: skip

CARE_LEAVERS_JAN = [{"clea_person_id": "C05", "clea_care_leaver_eligibility": "Relevant"}]
CARE_LEAVERS_FEB = [{"clea_person_id": "C05", "clea_care_leaver_eligibility": "Former Relevant",
                     "clea_care_leaver_personal_advisor": "W5"}]  # fmt: skip

# (table, la_code, reporting_month, rows). A None month is an LA-level reference delivery.
CSV_DELIVERIES: list[tuple[str, str, str | None, list[dict]]] = [
    ("ref_local_code_map", LA_MAIN, None, CODE_MAP),
    ("ssd_department", LA_MAIN, "2025-01", DEPARTMENT_JAN),
    ("ssd_department", LA_MAIN, "2025-02", DEPARTMENT_FEB),
    ("ssd_department", LA_MAIN, "2025-03", DEPARTMENT_MAR),
    ("ssd_department", LA_OTHER, "2025-02", [team("U1", "Front door", "RA", True)]),
    ("ssd_professionals", LA_MAIN, "2025-01", PROFESSIONALS_JAN),
    ("ssd_professionals", LA_MAIN, "2025-02", PROFESSIONALS_FEB),
    ("ssd_professionals", LA_MAIN, "2025-03", PROFESSIONALS_MAR),
    ("ssd_professionals", LA_OTHER, "2025-02", [worker("X1", "SW", "U1", local_qualified_sw=True)]),
    ("ssd_person", LA_MAIN, "2025-01", PERSONS_JAN),
    ("ssd_person", LA_MAIN, "2025-02", PERSONS_FEB),
    ("ssd_person", LA_MAIN, "2025-03", PERSONS_MAR),
    ("ssd_person", LA_OTHER, "2025-02", [{"pers_person_id": "D01", "pers_dob": D("2016-06-06")}]),
    ("ssd_immigration_status", LA_MAIN, "2025-01", IMMIGRATION_JAN),
    ("ssd_immigration_status", LA_MAIN, "2025-02", IMMIGRATION_FEB),
    ("ssd_address", LA_MAIN, "2025-02", ADDRESSES_FEB),
    ("ssd_involvements", LA_MAIN, "2025-01", INVOLVEMENTS_JAN),
    ("ssd_involvements", LA_MAIN, "2025-02", INVOLVEMENTS_FEB),
    ("ssd_involvements", LA_OTHER, "2025-02", INVOLVEMENTS_OTHER),
    ("ssd_contacts", LA_MAIN, "2025-01", CONTACTS_JAN),
    ("ssd_contacts", LA_MAIN, "2025-02", CONTACTS_FEB),
    ("ssd_early_help_episodes", LA_MAIN, "2025-02", EARLY_HELP_FEB),
    ("ssd_cin_visits", LA_MAIN, "2025-02", CIN_VISITS_FEB),
    ("ssd_cp_visits", LA_MAIN, "2025-02", CP_VISITS_FEB),
    ("ssd_cla_visits", LA_MAIN, "2025-02", CLA_VISITS_FEB),
    ("local_visits", LA_MAIN, "2025-02", LOCAL_VISITS_FEB),
    ("local_case_supervision", LA_MAIN, "2025-02", SUPERVISION_FEB),
    ("local_case_supervision", LA_OTHER, "2025-02", []),  # a header-only file: zero records
    ("ssd_care_leavers", LA_MAIN, "2025-01", CARE_LEAVERS_JAN),
    ("ssd_care_leavers", LA_MAIN, "2025-02", CARE_LEAVERS_FEB),
]
# Files rejected whole (F-codes): a ledger row and no Parquet.
REJECTED = [("ssd_missing", LA_MAIN, "2025-02"), ("local_case_supervision", LA_MAIN, "2025-01")]


def load_id(table: str, la_code: str, reporting_month: str | None) -> str:
    digest = hashlib.sha256(f"{table}|{la_code}|{reporting_month}".encode()).hexdigest()
    return f"{table}-{digest[:16]}"


def _collection_year(reporting_month: str | None) -> str | None:
    if reporting_month is None:
        return None
    year, month = (int(part) for part in reporting_month.split("-"))
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _source_file(table: str, la_code: str, reporting_month: str | None) -> str:
    if reporting_month is None:
        return f"{la_code}/ref/{table}.csv"
    family = table.split("_", 1)[0]
    family = {"ssda903": "903", "cin": "cin"}.get(family, family)
    name = (
        f"{table}.csv" if family not in ("903", "cin") else f"{la_code}_{table}.{'xml' if family == 'cin' else 'csv'}"
    )
    return f"{la_code}/{reporting_month}/{family}/{name}"


def _write(
    landing_dir: Path, family: str, folder: str, schema: pa.Schema, ledger_table: str, la_code: str,
    reporting_month: str | None, rows: list[dict], ledger: list[dict],
) -> None:  # fmt: skip
    """One landed file: its Parquet under landing/<family>/<folder>/la_code=<la>/ and its ledger row."""
    identifier = load_id(ledger_table, la_code, reporting_month)
    source_file = _source_file(ledger_table, la_code, reporting_month)
    metadata = {
        "la_code": la_code,
        "reporting_month": reporting_month,
        "collection_year": _collection_year(reporting_month),
        "load_id": identifier,
        "source_file": source_file,
    }
    unknown = {name for row in rows for name in row} - set(schema.names)
    assert not unknown, f"{ledger_table}: not landed columns {sorted(unknown)}"
    columns = {}
    for name in schema.names:
        if name in metadata:
            columns[name] = [metadata[name]] * len(rows)
        elif name == "source_row":
            columns[name] = list(range(2, len(rows) + 2))
        else:
            columns[name] = [row.get(name) for row in rows]
    path = landing_dir / family / folder / f"la_code={la_code}" / f"{identifier}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), path)
    ledger.append(_ledger_row(identifier, ledger_table, la_code, reporting_month, source_file, len(rows), "landed"))


def _ledger_row(
    identifier: str, table: str, la_code: str, reporting_month: str | None, source_file: str, rows: int, outcome: str
) -> dict:
    return {
        "load_id": identifier,
        "la_code": la_code,
        "reporting_month": reporting_month,
        "collection_year": _collection_year(reporting_month),
        "table_name": table,
        "source_file": source_file,
        "sha256": hashlib.sha256(identifier.encode()).hexdigest(),
        "bytes": 100 + rows,
        "rows_read": rows,
        "rows_landed": rows if outcome == "landed" else 0,
        "rows_quarantined": 0,
        "outcome": outcome,
        "message": None if outcome == "landed" else "F03 a required column is absent",
    }


def write_landing(landing_dir: Path) -> Path:
    """Write the fixture's landed files, ledger and the zero-row schema file of every other table."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    for table, la_code, month, rows in CSV_DELIVERIES:
        spec = REGISTRY.find(table)
        schema = pa.schema([(column.name, column.arrow_type) for column in spec.columns] + METADATA_FIELDS)
        _write(landing_dir, spec.family, spec.folder, schema, table, la_code, month, rows, ledger)
    header_spec = next(spec for spec in TABLES if spec.table == "header")
    _write(landing_dir, "ssda903", "header", data_schema(header_spec), "header", LA_MAIN, "2025-02", HEADER_FEB, ledger)
    _write(landing_dir, "cin", "child", cin_schema_of("child"), "cin", LA_MAIN, "2025-02", CIN_CHILDREN_FEB, ledger)
    for table, la_code, month in REJECTED:
        identifier = load_id(table, la_code, month)
        ledger.append(
            _ledger_row(identifier, table, la_code, month, _source_file(table, la_code, month), 3, "rejected")
        )
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)
    return landing_dir
