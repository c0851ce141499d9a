"""A small landing area for the compliance marts built on the statutory child's journey (re-referrals, assessment
and ICPC timeliness, repeat CP plans, plan durations), written with the extract layer's own schemas.

Period end 2021-11-30, so that Monday 29 November 2021 is a weekly Compliance Report date. Every id is synthetic
(`M01`, `CR0001`, `W1`...), no real data. Two organisations:

E06000039 (LA_MAIN): one CIN census file (reporting month 2021-11) holding a few children's journeys, enriched by
    SSD (an assessment typed OTHER, an other-LA plan, a transfer-in conference, allocations, teams) and local
    strategy discussions. `test_compliance_journey.py` works out every pinned figure by hand from the rows below.
E09000001 (LA_CR): SSD only; the catalogue §5.2 "Open assessments in timescale" snapshot of 29-Nov-21, built
    service by service: R&A 295 / 299 in time (4 overdue), S&FS 16 / 25 (9), CLA&SS 12 / 24 (12; the CLA team and
    the children with disabilities team, which rolls up to CLA&SS), plus assessments that must not count on that
    date (authorised before or on it, started after it).
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import landed_tables, write_empty_tables

LA_MAIN = "E06000039"
LA_CR = "E09000001"
MONTH = "2021-11"
YEAR = "2021-22"
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}


def referral_key(child: str, referral_date: str) -> str:
    """cin_details_key of a child's referral (input contract §1.2.6)."""
    return f"{LA_MAIN}|{child}|{referral_date}|1"


def module_key(parent: str, start: str) -> str:
    """assessment_key / s47_key / cpp_key / cin_plan_key: the first module of a referral starting that day."""
    return f"{parent}|{start}|1"


# --- E06000039: the census -----------------------------------------------------------------------------------------
# (child, referral date, ReferralNFA). M07 is unborn (expected date of birth only): its assessment is pre-birth.
REFERRALS = [
    ("M01", "2020-11-15", False), ("M01", "2021-11-15", False),
    ("M02", "2020-11-14", False), ("M02", "2021-11-15", False),
    ("M03", "2021-06-01", True), ("M03", "2021-11-22", False),
    ("M04", "2017-12-01", False), ("M04", "2021-05-10", False),
    ("M05", "2019-04-01", False), ("M05", "2021-09-06", False),
    ("M06", "2021-01-11", False), ("M07", "2021-08-23", False), ("M08", "2021-10-04", False),
    ("M09", "2021-09-27", False), ("M10", "2021-09-27", False), ("M11", "2020-10-01", False),
    ("M12", "2019-10-01", False), ("M13", "2020-05-01", False), ("M14", "2020-11-01", False),
    ("M15", "2019-05-01", False), ("M16", "2020-11-20", False), ("M17", "2019-12-01", False),
]  # fmt: skip
# (child, referral date, start, authorisation or None)
ASSESSMENTS = [
    ("M01", "2021-11-15", "2021-11-16", None),
    ("M03", "2021-11-22", "2021-11-22", None),
    ("M04", "2021-05-10", "2021-05-11", "2021-07-14"),
    ("M05", "2021-09-06", "2021-09-06", "2021-11-09"),
    ("M06", "2021-01-11", "2021-01-12", "2021-03-16"),
    ("M07", "2021-08-23", "2021-08-23", "2021-10-26"),
    ("M08", "2021-10-04", "2021-10-04", "2021-11-26"),
    ("M09", "2021-09-27", "2021-09-27", "2021-11-12"),
    ("M10", "2021-09-27", "2021-09-27", None),
]
# (child, referral date, S47 start, DateOfInitialCPC)
SECTION47 = [
    ("M04", "2021-05-10", "2021-08-23", "2021-09-14"),
    ("M05", "2021-09-06", "2021-10-18", "2021-11-08"),
    ("M08", "2021-10-04", "2021-10-11", "2021-11-02"),
    ("M09", "2021-09-27", "2021-10-25", "2021-11-10"),
]
# (child, referral date, start, end or None, NumberOfPreviousCPP)
CP_PLANS = [
    ("M04", "2017-12-01", "2018-01-01", "2019-09-13", 0),
    ("M04", "2021-05-10", "2021-09-14", None, 1),
    ("M05", "2019-04-01", "2019-05-01", "2019-11-08", 0),
    ("M05", "2021-09-06", "2021-11-08", None, 1),
    ("M08", "2021-10-04", "2021-11-02", None, 0),
    ("M11", "2020-10-01", "2021-11-15", None, 0),
    ("M12", "2019-10-01", "2019-11-30", None, 0),
    ("M13", "2020-05-01", "2020-06-01", None, 0),
]
# (child, referral date, start, end or None)
CIN_PLANS = [
    ("M14", "2020-11-01", "2020-11-30", None),
    ("M15", "2019-05-01", "2019-06-01", None),
    ("M16", "2020-11-20", "2021-07-01", None),
    ("M17", "2019-12-01", "2020-01-01", "2021-11-29"),
]


def census_tables() -> dict[str, list[dict]]:
    """The census file of E06000039, folder -> rows."""
    children = sorted({child for child, _, _ in REFERRALS})
    return {
        "child": [
            {"lachildid": child, "expectedpersonbirthdate": D("2022-01-15"), "sex": "U", "ethnicity": "WBRI"}
            if child == "M07"
            else {"lachildid": child, "personbirthdate": D("2012-03-03"), "sex": "F", "ethnicity": "WBRI"}
            for child in children
        ],
        "episode": [
            {
                "cin_details_key": referral_key(child, day),
                "lachildid": child,
                "cinreferraldate": D(day),
                "referralsource": "1A",
                "primaryneedcode": "N1",
                "referralnfa": nfa,
            }
            for child, day, nfa in REFERRALS
        ],
        "assessment": [
            {
                "assessment_key": module_key(referral_key(child, referral), start),
                "cin_details_key": referral_key(child, referral),
                "lachildid": child,
                "assessmentactualstartdate": D(start),
                "assessmentauthorisationdate": D(authorised) if authorised else None,
            }
            for child, referral, start, authorised in ASSESSMENTS
        ],
        "s47": [
            {
                "s47_key": module_key(referral_key(child, referral), start),
                "cin_details_key": referral_key(child, referral),
                "lachildid": child,
                "s47actualstartdate": D(start),
                "dateofinitialcpc": D(icpc),
                "icpcnotrequired": False,
            }
            for child, referral, start, icpc in SECTION47
        ],
        "cp_plan": [
            {
                "cpp_key": module_key(referral_key(child, referral), start),
                "cin_details_key": referral_key(child, referral),
                "lachildid": child,
                "cppstartdate": D(start),
                "cppenddate": D(end) if end else None,
                "initialcategoryofabuse": "NEG",
                "latestcategoryofabuse": "NEG",
                "numberofpreviouscpp": previous,
            }
            for child, referral, start, end, previous in CP_PLANS
        ],
        "plan_dates": [
            {
                "cin_plan_key": module_key(referral_key(child, referral), start),
                "cin_details_key": referral_key(child, referral),
                "lachildid": child,
                "cinplanstartdate": D(start),
                "cinplanenddate": D(end) if end else None,
            }
            for child, referral, start, end in CIN_PLANS
        ],
    }


def _team(team_id: str, service: str) -> dict:
    return {"dept_team_id": team_id, "dept_team_name": team_id, "local_service_code": service,
            "local_valid_from": D("2018-04-01")}  # fmt: skip


def _involvement(row_id: str, child: str, worker: str, team: str, start: str, end: str | None = None) -> dict:
    return {"invo_involvements_id": row_id, "invo_person_id": child, "invo_professional_id": worker,
            "invo_professional_role_id": "ALLOCATED_SW", "invo_professional_team": team,
            "invo_involvement_start_date": D(start), "invo_involvement_end_date": D(end) if end else None}  # fmt: skip


# --- E06000039: SSD and local enrichment (one delivery, 2021-11) -----------------------------------------------------
SSD_MAIN = {
    ("ssd", "department"): [_team("TRA", "RA"), _team("TSFS", "SFS"), _team("TCWD", "CWD")],
    ("ssd", "involvements"): [
        # M10 moves from R&A (W1) to S&FS (W2) on the month end; M12 is held by S&FS throughout.
        _involvement("I1", "M10", "W1", "TRA", "2021-09-27", "2021-11-30"),
        _involvement("I2", "M10", "W2", "TSFS", "2021-11-30"),
        _involvement("I3", "M12", "W2", "TSFS", "2019-11-30"),
    ],
    ("ssd", "cin_assessments"): [
        # Matches M09's census assessment (same child and start): typed OTHER, team TCWD.
        {"cina_assessment_id": "SA9", "cina_person_id": "M09", "cina_assessment_start_date": D("2021-09-27"),
         "cina_assessment_auth_date": D("2021-11-12"), "cina_assessment_team": "TCWD",
         "local_assessment_type": "OTHER"},
    ],
    ("ssd", "initial_cp_conference"): [
        # M09's conference, held on the census ICPC date: a transfer-in conference.
        {"icpc_icpc_id": "IC9", "icpc_person_id": "M09", "icpc_icpc_transfer_in": True,
         "icpc_icpc_date": D("2021-11-10")},
    ],
    ("ssd", "cp_plans"): [
        # Matches M11's census plan: another LA's plan.
        {"cppl_cp_plan_id": "SP11", "cppl_person_id": "M11", "cppl_cp_plan_start_date": D("2021-11-15"),
         "cppl_cp_plan_ola": True},
    ],
    ("local", "strategy_discussions"): [
        # Who attended (p_strategy_wt_compliant): ST5 police, health and social care -> compliant; ST8 no health.
        {"strategy_id": "ST5", "person_id": "M05", "strategy_date": D("2021-10-20"), "outcome": "S47",
         "police_present": True, "health_present": True, "sw_present": True},
        {"strategy_id": "ST8", "person_id": "M08", "strategy_date": D("2021-10-14"), "outcome": "S47",
         "police_present": True, "health_present": False, "sw_present": True},
    ],
}  # fmt: skip

# --- E09000001: the catalogue §5.2 Compliance Report of Monday 29-Nov-21 ---------------------------------------------
CR_DATE = date(2021, 11, 29)
# team -> (service code delivered, open assessments on CR_DATE, of which overdue). CLA&SS = CLA + CWD teams.
CR_TEAMS = {
    "RA1": ("RA", 299, 4),
    "SFS1": ("SFS", 25, 9),
    "CLA1": ("CLASS", 14, 7),
    "CWD1": ("CWD", 10, 5),
}
# Starts whose 45th working day (day 0 = start; no bank holiday between September and 29 November 2021) is BEFORE
# 29 Nov (overdue) or ON / after it (in time): Fri 24 Sep 2021 -> due Fri 26 Nov; Mon 27 Sep -> due Mon 29 Nov.
OVERDUE_STARTS = [D("2021-09-24"), D("2021-09-01"), D("2021-07-15")]
IN_TIME_STARTS = [D("2021-09-27"), D("2021-10-15"), D("2021-11-01"), D("2021-11-29")]


def cr_assessments() -> list[dict]:
    """ssd_cin_assessments of E09000001: the open assessments of each team on 29-Nov-21, plus ones that are not."""
    rows: list[dict] = []

    def add(team: str, start: date, authorised: date | None) -> None:
        number = len(rows) + 1
        rows.append({
            "cina_assessment_id": f"CA{number:04d}", "cina_person_id": f"CR{number:04d}",
            "cina_assessment_start_date": start, "cina_assessment_auth_date": authorised,
            "cina_assessment_team": team,
        })  # fmt: skip

    for team, (_, open_count, overdue) in CR_TEAMS.items():
        for index in range(overdue):
            add(team, OVERDUE_STARTS[index % len(OVERDUE_STARTS)], None)
        for index in range(open_count - overdue):
            # Some of the in-time ones are authorised after the CR date: still open on it.
            authorised = CR_DATE + timedelta(days=1) if index % 5 == 0 else None
            add(team, IN_TIME_STARTS[index % len(IN_TIME_STARTS)], authorised)
        # Not open on 29-Nov-21: authorised before it, authorised ON it, started the day after.
        add(team, D("2021-08-02"), D("2021-11-26"))
        add(team, D("2021-09-01"), CR_DATE)
        add(team, CR_DATE + timedelta(days=1), None)
    return rows


SSD_CR = {
    ("ssd", "department"): [_team(team, service) for team, (service, _, _) in CR_TEAMS.items()],
    ("ssd", "cin_assessments"): cr_assessments(),
}


# --- writing -------------------------------------------------------------------------------------------------------
def _load_id(table_name: str, la_code: str) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{MONTH}'.encode()).hexdigest()[:16]}"


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


def _ledger_row(load_id: str, la_code: str, table: str, source_file: str, rows: int) -> dict:
    return {
        "load_id": load_id, "la_code": la_code, "reporting_month": MONTH, "collection_year": YEAR,
        "table_name": table, "source_file": source_file, "sha256": hashlib.sha256(load_id.encode()).hexdigest(),
        "bytes": 1000 + rows, "rows_read": rows, "rows_landed": rows, "rows_quarantined": 0, "outcome": "landed",
        "message": None,
    }  # fmt: skip


def write_landing(landing_dir: Path) -> Path:
    """Write both organisations' files and ledger under `landing_dir`, then the empty-table files; returns it."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    metadata = {"reporting_month": MONTH, "collection_year": YEAR}
    # The census: every CIN table of the file shares its load id; one ledger row ('cin').
    tables = census_tables()
    load_id = _load_id("cin", LA_MAIN)
    source_file = f"{LA_MAIN}/{MONTH}/cin/{LA_MAIN}_cin_{YEAR}.xml"
    for folder, rows in tables.items():
        file_metadata = {**metadata, "la_code": LA_MAIN, "load_id": load_id, "source_file": source_file}
        _write_table(landing_dir, ("cin", folder), rows, file_metadata)
    ledger.append(_ledger_row(load_id, LA_MAIN, "cin", source_file, sum(map(len, tables.values()))))
    # One CSV file per SSD/local table and organisation.
    for la_code, deliveries in ((LA_MAIN, SSD_MAIN), (LA_CR, SSD_CR)):
        for (family, folder), rows in deliveries.items():
            table_name = f"{family}_{folder}"
            load_id = _load_id(table_name, la_code)
            source_file = f"{la_code}/{MONTH}/{family}/{table_name}.csv"
            file_metadata = {**metadata, "la_code": la_code, "load_id": load_id, "source_file": source_file}
            _write_table(landing_dir, (family, folder), rows, file_metadata)
            ledger.append(_ledger_row(load_id, la_code, table_name, source_file, len(rows)))
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
