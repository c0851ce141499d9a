"""A small landing area for the statutory side of the child's journey: CIN census files, SSD and local event tables,
903 episodes and reviews, the LA profile - written exactly as `extract/` lands them, with the extract layer's own
schemas (`extract.table_catalogue`), so the fixture cannot drift from what extract really writes.

Period end 2025-02-28. Two organisations; child ids are synthetic (C01..., no real data).

E06000039 (census primary; its LA profile asks for SSD as the primary source of CIN plans only):
    CIN census  history 2023-24 (reporting month 2024-03), in-year 2024-25 for 2025-01 (superseded) and 2025-02
    SSD         ssd_cin_episodes for 2025-01 and 2025-02; every other SSD/local table for 2025-02 only
    903         one in-year delivery (2025-02): header, episodes, reviews
E09000001 (no census at all: SSD is the primary source): one SSD delivery for 2025-02.

Every figure the tests expect is worked out by hand in `test_journey_staging.py` from the rows below.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import landed_tables, write_empty_tables

LA_MAIN = "E06000039"
LA_SSD = "E09000001"
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}


def cin_key(child: str, referral_date: str) -> str:
    """cin_details_key of a child's first referral on a date (input contract §1.2.6)."""
    return f"{LA_MAIN}|{child}|{referral_date}|1"


def module_key(parent: str, start: str) -> str:
    """assessment_key / s47_key / cpp_key / cin_plan_key: the first module of a referral starting that day."""
    return f"{parent}|{start}|1"


R_C01, R_C02, R_C03 = cin_key("C01", "2024-01-15"), cin_key("C02", "2023-05-01"), cin_key("C03", "2024-12-01")
R_C04, R_C05 = cin_key("C04", "2024-10-01"), cin_key("C05", "2024-11-11")
A_C01, A_C03 = module_key(R_C01, "2024-01-20"), module_key(R_C03, "2024-12-05")
S_C02, S_C04 = module_key(R_C02, "2023-05-10"), module_key(R_C04, "2024-10-05")
P_C02, P_C04 = module_key(R_C02, "2023-05-30"), module_key(R_C04, "2024-10-25")
CP_C01 = module_key(R_C01, "2024-04-10")


def _child(child: str, **values: object) -> dict:
    return {"lachildid": child, **values}


def _referral(key: str, child: str, referral_date: str, source: str, need: str, **values: object) -> dict:
    return {
        "cin_details_key": key,
        "lachildid": child,
        "cinreferraldate": D(referral_date),
        "referralsource": source,
        "primaryneedcode": need,
        "referralnfa": False,
        **values,
    }


# --- CIN census of E06000039: folder -> rows, per file -------------------------------------------------------------
CIN_HISTORY_2023_24 = {
    "child": [
        _child("C01", personbirthdate=D("2015-06-01"), gendercurrent="1", ethnicity="WBRI"),
        _child("C02", personbirthdate=D("2012-02-02"), gendercurrent="2", ethnicity="WBRI"),
    ],
    "disability": [{"lachildid": "C02", "disability": "NONE"}],
    "episode": [
        # C01's referral is open on 31 March 2024: it is in the 2024-25 files as well, closed there.
        _referral(R_C01, "C01", "2024-01-15", "1A", "N1"),
        _referral(R_C02, "C02", "2023-05-01", "2A", "N2", cinclosuredate=D("2023-09-01"), reasonforclosure="RC8"),
    ],
    "assessment": [
        {
            "assessment_key": A_C01,
            "cin_details_key": R_C01,
            "lachildid": "C01",
            "assessmentactualstartdate": D("2024-01-20"),
            "assessmentauthorisationdate": D("2024-03-01"),
        }
    ],
    "factor": [
        {"assessment_key": A_C01, "cin_details_key": R_C01, "lachildid": "C01", "assessmentfactors": code}
        for code in ("3B", "4B")
    ],
    "s47": [
        {
            "s47_key": S_C02,
            "cin_details_key": R_C02,
            "lachildid": "C02",
            "s47actualstartdate": D("2023-05-10"),
            "initialcpctarget": D("2023-06-01"),
            "dateofinitialcpc": D("2023-05-30"),
            "icpcnotrequired": False,
        }
    ],
    "cp_plan": [
        {
            "cpp_key": P_C02,
            "cin_details_key": R_C02,
            "lachildid": "C02",
            "cppstartdate": D("2023-05-30"),
            "cppenddate": D("2023-08-31"),
            "initialcategoryofabuse": "NEG",
            "latestcategoryofabuse": "NEG",
            "numberofpreviouscpp": 0,
        }
    ],
    "review": [{"cpp_key": P_C02, "cin_details_key": R_C02, "lachildid": "C02", "cppreviewdate": D("2023-08-15")}],
}

CIN_2024_25_JANUARY = {
    # Superseded by February's file: C05's referral was recorded in error and is gone in February.
    "child": [
        _child("C01", personbirthdate=D("2015-06-01"), sex="M", ethnicity="WBRI"),
        _child("C03", expectedpersonbirthdate=D("2025-04-01"), sex="U", ethnicity="WBRI"),
        _child("C05", personbirthdate=D("2019-03-03"), sex="F", ethnicity="WBRI"),
    ],
    "episode": [
        _referral(R_C01, "C01", "2024-01-15", "1A", "N1", cinclosuredate=D("2024-06-30"), reasonforclosure="RC8"),
        _referral(R_C03, "C03", "2024-12-01", "3B", "N1"),
        _referral(R_C05, "C05", "2024-11-11", "8", "N5"),
    ],
    "plan_dates": [
        {"cin_plan_key": CP_C01, "cin_details_key": R_C01, "lachildid": "C01", "cinplanstartdate": D("2024-04-10")}
    ],
}

CIN_2024_25_FEBRUARY = {
    "child": [
        _child("C01", personbirthdate=D("2015-06-01"), sex="M", ethnicity="WBRI"),
        # C03 is unborn: only an expected date of birth, so its assessment is a pre-birth one.
        _child("C03", expectedpersonbirthdate=D("2025-04-01"), sex="U", ethnicity="WBRI"),
        _child("C04", personbirthdate=D("2010-01-01"), sex="F", ethnicity="WBRI"),
    ],
    "episode": [
        _referral(R_C01, "C01", "2024-01-15", "1A", "N1", cinclosuredate=D("2024-07-31"), reasonforclosure="RC7"),
        _referral(R_C03, "C03", "2024-12-01", "3B", "N1"),
        _referral(R_C04, "C04", "2024-10-01", "6", "N1"),
    ],
    "assessment": [
        {
            # Authorised with no factor in the census: the SSD factors fill in.
            "assessment_key": A_C03,
            "cin_details_key": R_C03,
            "lachildid": "C03",
            "assessmentactualstartdate": D("2024-12-05"),
            "assessmentauthorisationdate": D("2025-01-20"),
        }
    ],
    "plan_dates": [
        {
            "cin_plan_key": CP_C01,
            "cin_details_key": R_C01,
            "lachildid": "C01",
            "cinplanstartdate": D("2024-04-10"),
            "cinplanenddate": D("2024-07-31"),
        }
    ],
    "s47": [
        {
            "s47_key": S_C04,
            "cin_details_key": R_C04,
            "lachildid": "C04",
            "s47actualstartdate": D("2024-10-05"),
            "initialcpctarget": D("2024-10-26"),
            "dateofinitialcpc": D("2024-10-25"),
            "icpcnotrequired": False,
        }
    ],
    "cp_plan": [
        {
            "cpp_key": P_C04,
            "cin_details_key": R_C04,
            "lachildid": "C04",
            "cppstartdate": D("2024-10-25"),
            "initialcategoryofabuse": "PHY",
            "latestcategoryofabuse": "PHY",
            "numberofpreviouscpp": 1,
        }
    ],
    "review": [{"cpp_key": P_C04, "cin_details_key": R_C04, "lachildid": "C04", "cppreviewdate": D("2025-01-20")}],
}


def _episode(referral_id: str, child: str, referral_date: str, source: str, need: str, **values: object) -> dict:
    return {
        "cine_referral_id": referral_id,
        "cine_person_id": child,
        "cine_referral_date": D(referral_date),
        "cine_referral_source_code": source,
        "cine_cin_primary_need_code": need,
        **values,
    }


# --- SSD and local tables: (family, folder) -> rows, per delivery --------------------------------------------------
SSD_MAIN_JANUARY = {
    ("ssd", "cin_episodes"): [
        _episode("SE1", "C01", "2024-01-15", "1A", "N1", cine_referral_team="T1"),
        # SE5 is open here and absent from February's delivery: deleted inside the window.
        _episode("SE5", "C05", "2024-11-11", "8", "N5"),
        # SE7 closed 2021-12-31, before February's window (which starts 2022-03-15): kept from January.
        _episode("SE7", "C07", "2019-01-01", "1C", "N4", cine_close_date=D("2021-12-31"), cine_close_reason="RC7"),
    ],
}

SSD_MAIN_FEBRUARY = {
    ("ssd", "cin_episodes"): [
        _episode(
            "SE1",
            "C01",
            "2024-01-15",
            "1A",
            "N1",
            cine_close_date=D("2024-07-31"),
            cine_close_reason="RC7",
            cine_referral_team="T1",
            cine_referral_worker_id="W1",
        ),
        _episode("SE4", "C04", "2024-10-01", "6", "N2", cine_referral_team="T2", cine_referral_worker_id="W2"),
    ],
    ("ssd", "contacts"): [
        {
            "cont_contact_id": "CT4",
            "cont_person_id": "C04",
            "cont_contact_date": datetime(2024, 9, 30, 9, 0, tzinfo=UTC),
            "local_referral_id": "SE4",
        }
    ],
    ("ssd", "cin_assessments"): [
        {
            "cina_assessment_id": "SA1",
            "cina_person_id": "C01",
            "cina_referral_id": "SE1",
            "cina_assessment_start_date": D("2024-01-20"),
            "cina_assessment_auth_date": D("2024-03-05"),
            "cina_assessment_team": "T1",
            "local_assessment_type": "OTHER",
        },
        {
            "cina_assessment_id": "SA3",
            "cina_person_id": "C03",
            "cina_assessment_start_date": D("2024-12-05"),
            "cina_assessment_auth_date": D("2025-01-20"),
            "cina_assessment_team": "T3",
            "cina_assessment_worker_id": "W3",
        },
    ],
    ("ssd", "assessment_factors"): [
        {
            "cinf_table_id": "F1",
            "cinf_assessment_id": "SA3",
            "cinf_assessment_factors_json": '{"3A":"Yes","4B":"No","2C":"true"}',
        },
        {"cinf_table_id": "F2", "cinf_assessment_id": "SA1", "cinf_assessment_factors_json": '["1B","3B"]'},
    ],
    ("ssd", "s47_enquiry"): [
        {
            "s47e_s47_enquiry_id": "SS4",
            "s47e_referral_id": "SE4",
            "s47e_person_id": "C04",
            "s47e_s47_start_date": D("2024-10-05"),
            "s47e_s47_end_date": D("2024-10-25"),
            "s47e_s47_completed_by_team": "T2",
            "local_strategy_id": "ST4",
        }
    ],
    ("ssd", "initial_cp_conference"): [
        {
            "icpc_icpc_id": "IC4",
            "icpc_s47_enquiry_id": "SS4",
            "icpc_person_id": "C04",
            "icpc_icpc_transfer_in": True,
            "icpc_icpc_target_date": D("2024-10-26"),
            "icpc_icpc_date": D("2024-10-25"),
        }
    ],
    ("ssd", "cp_plans"): [
        {
            "cppl_cp_plan_id": "SP4",
            "cppl_referral_id": "SE4",
            "cppl_icpc_id": "IC4",
            "cppl_person_id": "C04",
            "cppl_cp_plan_start_date": D("2024-10-25"),
            # Local text, mapped to PHY by the LA's ref_local_code_map.
            "cppl_cp_plan_initial_category": "Physical abuse",
            "cppl_cp_plan_latest_category": "PHY",
            "cppl_cp_plan_ola": False,
            "local_number_of_previous_cpp": 1,
        }
    ],
    ("ssd", "cp_reviews"): [
        {
            "cppr_cp_review_id": "SR4",
            "cppr_person_id": "C04",
            "cppr_cp_plan_id": "SP4",
            "cppr_cp_review_due": D("2025-01-24"),
            "cppr_cp_review_date": D("2025-01-20"),
            "cppr_cp_review_quorate": True,
            "cppr_cp_review_participation": "PN1",
        },
        # Due, not yet held: not a review row.
        {
            "cppr_cp_review_id": "SR5",
            "cppr_person_id": "C04",
            "cppr_cp_plan_id": "SP4",
            "cppr_cp_review_due": D("2025-04-20"),
        },
    ],
    ("ssd", "cin_plans"): [
        {
            "cinp_cin_plan_id": "SCP1",
            "cinp_referral_id": "SE1",
            "cinp_person_id": "C01",
            "cinp_cin_plan_start_date": D("2024-04-10"),
            "cinp_cin_plan_end_date": D("2024-07-31"),
            "cinp_cin_plan_team": "T1",
            "local_step_down_to": "EH",
        },
        {
            "cinp_cin_plan_id": "SCP9",
            "cinp_referral_id": "SE1",
            "cinp_person_id": "C01",
            "cinp_cin_plan_start_date": D("2024-09-01"),
            "cinp_cin_plan_team": "T1",
        },
    ],
    ("ssd", "cla_reviews"): [
        {
            "clar_cla_review_id": "CR1",
            "clar_cla_id": "POC2",
            "local_person_id": "A01",
            "clar_cla_review_due_date": D("2024-10-20"),
            "clar_cla_review_date": D("2024-10-15"),
            "clar_cla_review_cancelled": False,
            "clar_cla_review_participation": "PN1",
        }
    ],
    ("local", "strategy_discussions"): [
        {
            "strategy_id": "ST4",
            "person_id": "C04",
            "referral_id": "SE4",
            "strategy_date": D("2024-10-04"),
            "police_present": True,
            "outcome": "S47",
        }
    ],
}

SSD_ONLY_FEBRUARY = {
    ("ssd", "cin_episodes"): [_episode("YE1", "D01", "2024-11-01", "5A", "N3", cine_referral_team="T9")],
    ("ssd", "cin_assessments"): [
        {
            "cina_assessment_id": "YA1",
            "cina_person_id": "D01",
            "cina_referral_id": "YE1",
            "cina_assessment_start_date": D("2024-11-02"),
            "cina_assessment_auth_date": D("2024-12-10"),
        }
    ],
    ("ssd", "assessment_factors"): [
        {"cinf_table_id": "YF1", "cinf_assessment_id": "YA1", "cinf_assessment_factors_json": '["1B","3B","XX"]'}
    ],
    ("ssd", "s47_enquiry"): [
        {
            "s47e_s47_enquiry_id": "YS1",
            "s47e_referral_id": "YE1",
            "s47e_person_id": "D01",
            "s47e_s47_start_date": D("2024-11-20"),
        }
    ],
    ("ssd", "initial_cp_conference"): [
        {
            "icpc_icpc_id": "YI1",
            "icpc_s47_enquiry_id": "YS1",
            "icpc_person_id": "D01",
            "icpc_icpc_target_date": D("2024-12-11"),
            "icpc_icpc_date": D("2024-12-10"),
        }
    ],
    ("ssd", "cp_plans"): [
        {
            "cppl_cp_plan_id": "YP1",
            "cppl_referral_id": "YE1",
            "cppl_person_id": "D01",
            "cppl_cp_plan_start_date": D("2024-12-10"),
            "cppl_cp_plan_initial_category": "NEG",
            "cppl_cp_plan_latest_category": "NEG",
            "cppl_cp_plan_ola": True,
        }
    ],
}

LA_LEVEL_REF = {
    # LA-level reference files (inbound/<la>/ref/): no reporting month.
    ("ref", "la_profile"): [
        {
            "la_name": "Slough",
            "dfe_la_number": "871",
            "office_postcode": "SL1 2EL",
            "source_preference": '{"cs_cin_plan":"SSD"}',
        }
    ],
    ("ref", "local_code_map"): [
        {
            "table_name": "ssd_cp_plans",
            "column_name": "cppl_cp_plan_initial_category",
            "local_value": "Physical abuse",
            "contract_value": "PHY",
        }
    ],
}


def _903_episode(child: str, decom: str, rne: str, ls: str, dec: str | None = None, rec: str | None = None) -> dict:
    return {
        "child": child,
        "decom": D(decom),
        "rne": rne,
        "ls": ls,
        "cin": "N1",
        "place": "U4",
        "place_provider": "PR1",
        "dec": D(dec) if dec else None,
        "rec": rec,
    }


SSDA903_FEBRUARY = {
    ("ssda903", "header"): [
        {"child": child, "sex": "M", "dob": D("2012-01-01"), "ethnic": "WBRI", "upn": "UN1"} for child in ("A01", "A02")
    ],
    ("ssda903", "episodes"): [
        # A01: two periods of care. A02: the first episode on record is a placement change (censored start).
        _903_episode("A01", "2023-05-01", "S", "C2", "2023-11-01", "E11"),
        _903_episode("A01", "2024-03-01", "S", "C2"),
        _903_episode("A02", "2022-06-01", "P", "C2", "2024-06-01", "X1"),
        _903_episode("A02", "2024-06-01", "L", "C1"),
    ],
    ("ssda903", "reviews"): [
        {"child": "A01", "dob": D("2012-01-01"), "review": D("2023-06-01"), "review_code": "PN1"},
        {"child": "A01", "dob": D("2012-01-01"), "review": D("2024-10-15"), "review_code": "PN2"},
        {"child": "A02", "dob": D("2012-01-01"), "review": D("2024-09-01"), "review_code": "PN3"},
    ],
}


def _write_table(landing: Path, key: tuple[str, str], rows: list[dict], metadata: dict) -> None:
    family, folder = key
    schema = _SCHEMAS[key]
    unknown = {name for row in rows for name in row} - set(schema.names)
    assert not unknown, (key, unknown)  # a typo would silently land nulls
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    columns.update({name: [value] * len(rows) for name, value in metadata.items()})
    columns["source_row"] = list(range(2, len(rows) + 2))
    path = landing / family / folder / f"la_code={metadata['la_code']}" / f"{metadata['load_id']}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), path)


def _load_id(table_name: str, la_code: str, month: str | None) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{month}'.encode()).hexdigest()[:16]}"


def _ledger_row(
    load_id: str, la_code: str, month: str | None, year: str | None, table: str, file: str, rows: int
) -> dict:
    return {
        "load_id": load_id,
        "la_code": la_code,
        "reporting_month": month,
        "collection_year": year,
        "table_name": table,
        "source_file": file,
        "sha256": hashlib.sha256(load_id.encode()).hexdigest(),
        "bytes": 1000 + rows,
        "rows_read": rows,
        "rows_landed": rows,
        "rows_quarantined": 0,
        "outcome": "landed",
        "message": None,
    }


def _land_cin(landing: Path, month: str, year: str, tables: dict[str, list[dict]], ledger: list[dict]) -> None:
    """One census file: every CIN table it holds shares the file's load id; one ledger row ('cin')."""
    load_id = _load_id("cin", LA_MAIN, month)
    folder = f"history/cin/{year}" if month.endswith("-03") else f"{month}/cin"
    source_file = f"{LA_MAIN}/{folder}/{LA_MAIN}_cin_{year}.xml"
    metadata = {"la_code": LA_MAIN, "reporting_month": month, "collection_year": year}
    for table, rows in tables.items():
        _write_table(landing, ("cin", table), rows, {**metadata, "load_id": load_id, "source_file": source_file})
    ledger.append(_ledger_row(load_id, LA_MAIN, month, year, "cin", source_file, sum(map(len, tables.values()))))


def _land_csv(landing: Path, la_code: str, month: str | None, tables: dict, ledger: list[dict]) -> None:
    """One delivered CSV (or 903 CSV) file per table; ledger table_name = the contract name (903: the table)."""
    year = "2024-25" if month else None
    for (family, folder), rows in tables.items():
        table_name = folder if family == "ssda903" else f"{family}_{folder}"
        load_id = _load_id(table_name, la_code, month)
        source_file = f"{la_code}/{month or 'ref'}/{family}/{table_name}.csv"
        metadata = {"la_code": la_code, "reporting_month": month, "collection_year": year}
        _write_table(landing, (family, folder), rows, {**metadata, "load_id": load_id, "source_file": source_file})
        ledger.append(_ledger_row(load_id, la_code, month, year, table_name, source_file, len(rows)))


def write_landing(landing_dir: Path) -> Path:
    """Write the fixture's landing files and ledger under `landing_dir`, then the empty-table files; returns it."""
    ledger: list[dict] = []
    _land_cin(landing_dir, "2024-03", "2023-24", CIN_HISTORY_2023_24, ledger)
    _land_cin(landing_dir, "2025-01", "2024-25", CIN_2024_25_JANUARY, ledger)
    _land_cin(landing_dir, "2025-02", "2024-25", CIN_2024_25_FEBRUARY, ledger)
    _land_csv(landing_dir, LA_MAIN, "2025-01", SSD_MAIN_JANUARY, ledger)
    _land_csv(landing_dir, LA_MAIN, "2025-02", SSD_MAIN_FEBRUARY, ledger)
    _land_csv(landing_dir, LA_MAIN, "2025-02", SSDA903_FEBRUARY, ledger)
    _land_csv(landing_dir, LA_MAIN, None, LA_LEVEL_REF, ledger)
    _land_csv(landing_dir, LA_SSD, "2025-02", SSD_ONLY_FEBRUARY, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
