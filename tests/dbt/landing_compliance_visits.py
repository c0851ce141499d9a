"""A landing area for the visit indicators of the compliance mart (b04, b07, t_visits_in_time_all), written exactly as
`extract/` lands it, with the extract layer's own schemas (`extract.table_catalogue`). Period end 2021-12-31.

Two organisations, both SSD-primary (no CIN census), ids synthetic (no real data):

E06000039 (`LA_MAIN`): a handful of hand-worked children (M1-M9), delivered for 2021-11 and 2021-12. The November
    delivery holds only what existed by 30 November and no `local_visits` (so assessment and care-leaver visits are
    unknown in November: AM-12); December's holds everything. `test_compliance_visits.py` works every figure out.
E09000001 (`LA_CR`): the catalogue §5.2 weekly Compliance Report of 29-Nov-21 (corrected: R&A 355/447, S&FS 616/696,
    CLA&SS 324/371, company 1,295/1,514 = 85.5%) constructed child by child by `cr_children()` below, one delivery
    for 2021-11. Who is in time follows from the visit dates chosen per group (see `CR_GROUPS`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import landed_tables, write_empty_tables

LA_MAIN = "E06000039"
LA_CR = "E09000001"
AS_OF = date(2021, 12, 31)
CR_DATE = date(2021, 11, 29)
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}

Tables = dict[tuple[str, str], list[dict]]


# --- small row builders (landed column names) ---------------------------------------------------------------------
def team(team_id: str, service: str) -> dict:
    return {
        "dept_team_id": team_id,
        "dept_team_name": team_id,
        "local_service_code": service,
        "local_valid_from": D("2020-04-01"),
    }


def worker(worker_id: str, team_id: str, role: str = "SW") -> dict:
    return {
        "prof_professional_id": worker_id,
        "local_role_code": role,
        "local_team_id": team_id,
        "local_qualified_sw": role == "SW",
        "local_case_holding": role == "SW",
    }


def person(child: str) -> dict:
    return {"pers_person_id": child, "pers_sex": "F", "pers_dob": D("2010-05-05")}


def involvement(
    row_id: str,
    child: str,
    worker_id: str,
    team_id: str,
    start: str,
    end: str | None = None,
    role: str = "ALLOCATED_SW",
) -> dict:
    return {
        "invo_involvements_id": row_id,
        "invo_person_id": child,
        "invo_professional_id": worker_id,
        "invo_professional_role_id": role,
        "invo_professional_team": team_id,
        "invo_involvement_start_date": D(start),
        "invo_involvement_end_date": D(end) if end else None,
    }


def referral(referral_id: str, child: str, referral_date: str, team_id: str) -> dict:
    return {
        "cine_referral_id": referral_id,
        "cine_person_id": child,
        "cine_referral_date": D(referral_date),
        "cine_cin_primary_need_code": "N1",
        "cine_referral_source_code": "1A",
        "cine_referral_team": team_id,
    }


def cp_plan(plan_id: str, referral_id: str, child: str, start: str) -> dict:
    return {
        "cppl_cp_plan_id": plan_id,
        "cppl_referral_id": referral_id,
        "cppl_person_id": child,
        "cppl_cp_plan_start_date": D(start),
        "cppl_cp_plan_initial_category": "NEG",
        "cppl_cp_plan_latest_category": "NEG",
        "cppl_cp_plan_ola": False,
    }


def cin_plan(plan_id: str, referral_id: str, child: str, start: str, team_id: str) -> dict:
    return {
        "cinp_cin_plan_id": plan_id,
        "cinp_referral_id": referral_id,
        "cinp_person_id": child,
        "cinp_cin_plan_start_date": D(start),
        "cinp_cin_plan_team": team_id,
    }


def assessment(assessment_id: str, referral_id: str, child: str, start: str, team_id: str) -> dict:
    return {
        "cina_assessment_id": assessment_id,
        "cina_person_id": child,
        "cina_referral_id": referral_id,
        "cina_assessment_start_date": D(start),
        "cina_assessment_team": team_id,
    }


def episode(
    child: str,
    decom: str,
    rne: str,
    place: str,
    dec: str | None = None,
    rec: str | None = None,
    ls: str = "C2",
    postcode: str = "SL1 1AA",
) -> dict:
    return {
        "child": child,
        "decom": D(decom),
        "rne": rne,
        "ls": ls,
        "cin": "N1",
        "place": place,
        "place_provider": "PR1",
        "dec": D(dec) if dec else None,
        "rec": rec,
        "pl_post": postcode,
    }


def header(child: str) -> dict:
    return {"child": child, "sex": "2", "dob": D("2010-05-05"), "ethnic": "WBRI", "upn": "UN1"}


def cp_visit(visit_id: str, child: str, day: str, seen: bool = True, alone: str | None = "Y") -> dict:
    return {
        "cppv_cp_visit_id": visit_id,
        "cppv_person_id": child,
        "cppv_cp_visit_date": D(day),
        "cppv_cp_visit_seen": seen,
        "cppv_cp_visit_seen_alone": alone,
    }


def cin_visit(visit_id: str, child: str, day: str, context: str = "CIN", seen: bool = True) -> dict:
    return {
        "cinv_cin_visit_id": visit_id,
        "cinv_person_id": child,
        "cinv_cin_visit_date": D(day),
        "cinv_cin_visit_seen": seen,
        "cinv_cin_visit_seen_alone": "Y",
        "local_visit_context": context,
    }


def cla_visit(visit_id: str, child: str, day: str, alone: str | None = "Y", seen: bool = True) -> dict:
    return {
        "clav_cla_visit_id": visit_id,
        "clav_person_id": child,
        "clav_cla_visit_date": D(day),
        "clav_cla_visit_seen": seen,
        "clav_cla_visit_seen_alone": alone,
    }


def local_visit(visit_id: str, child: str, day: str, context: str, seen: bool = True) -> dict:
    return {
        "visit_id": visit_id,
        "person_id": child,
        "visit_date": D(day),
        "visit_context": context,
        "statutory": True,
        "child_seen": seen,
        "seen_alone": "Y",
    }


def care_leaver(child: str, team_id: str) -> dict:
    return {
        "clea_person_id": child,
        "clea_care_leaver_eligibility": "Former Relevant",
        "clea_care_leaver_allocated_team": team_id,
    }


# --- E06000039: hand-worked children -------------------------------------------------------------------------------
# M1 CP plan (allocated TS1/W1); M2 CP plan (no allocation, referral team TS1); M3, M4, M5 looked after (M3
# allocated TC1/W2; M4 long-term U1; M5 moves placement on 24 Dec); M6 CIN plan and an open assessment (moves from
# TR1/W3 to TS1/W1 on 15 Dec); M7 open assessment only; M8 a former relevant care leaver (team TL1, CL); M9 a
# short-break child (V4, not looked after).
MAIN: Tables = {
    ("ssd", "department"): [team("TR1", "RA"), team("TS1", "SFS"), team("TC1", "CLASS"), team("TL1", "CL")],
    ("ssd", "professionals"): [worker("W1", "TS1"), worker("W2", "TC1"), worker("W3", "TR1")],
    ("ssd", "person"): [person(f"M{n}") for n in range(1, 10)],
    ("ssd", "involvements"): [
        involvement("I1", "M1", "W1", "TS1", "2021-10-01"),
        involvement("I3", "M3", "W2", "TC1", "2021-06-01"),
        involvement("I6A", "M6", "W3", "TR1", "2021-09-01", "2021-12-15"),
        involvement("I6B", "M6", "W1", "TS1", "2021-12-15"),
    ],
    ("ssd", "cin_episodes"): [
        referral("SE1", "M1", "2021-09-20", "TS1"),
        referral("SE2", "M2", "2021-09-20", "TS1"),
        referral("SE6", "M6", "2021-08-15", "TR1"),
        referral("SE7", "M7", "2021-11-10", "TR1"),
    ],
    ("ssd", "cp_plans"): [cp_plan("SP1", "SE1", "M1", "2021-10-01"), cp_plan("SP2", "SE2", "M2", "2021-10-01")],
    ("ssd", "cin_plans"): [cin_plan("SC6", "SE6", "M6", "2021-09-01", "TS1")],
    ("ssd", "cin_assessments"): [
        assessment("SA6", "SE6", "M6", "2021-12-01", "TR1"),
        assessment("SA7", "SE7", "M7", "2021-11-15", "TR1"),
    ],
    ("ssda903", "header"): [header(child) for child in ("M3", "M4", "M5", "M8", "M9")],
    ("ssda903", "episodes"): [
        episode("M3", "2021-06-01", "S", "U3"),
        episode("M4", "2019-03-01", "S", "U1"),
        episode("M5", "2020-05-01", "S", "U3", "2021-12-24", "X1"),
        episode("M5", "2021-12-24", "P", "U3", postcode="SL2 2BB"),
        episode("M8", "2018-01-01", "S", "U3", "2021-04-30", "E8"),
        episode("M9", "2021-11-01", "S", "U3", ls="V4"),
    ],
    ("ssd", "cp_visits"): [
        cp_visit("PV11", "M1", "2021-11-22"),
        cp_visit("PV12", "M1", "2021-12-16"),
        cp_visit("PV21", "M2", "2021-12-02"),
        cp_visit("PV22", "M2", "2021-12-20", seen=False, alone=None),
    ],
    ("ssd", "cin_visits"): [cin_visit("NV61", "M6", "2021-11-30")],
    ("ssd", "cla_visits"): [
        cla_visit("CV31", "M3", "2021-11-25", alone="N"),
        cla_visit("CV41", "M4", "2021-10-15", alone="NA"),
        cla_visit("CV51", "M5", "2021-11-10"),
        cla_visit("CV52", "M5", "2021-12-20"),
    ],
    ("local", "visits"): [
        local_visit("LV71", "M7", "2021-12-10", "ASSESS"),
        local_visit("LV81", "M8", "2021-11-05", "PATHWAY"),
    ],
    ("ssd", "care_leavers"): [care_leaver("M8", "TL1")],
}

# The date column a row is dated by: the November delivery holds only the rows that existed by 30 November.
_ROW_DATE: dict[tuple[str, str], str] = {
    ("ssd", "involvements"): "invo_involvement_start_date",
    ("ssd", "cin_episodes"): "cine_referral_date",
    ("ssd", "cp_plans"): "cppl_cp_plan_start_date",
    ("ssd", "cin_plans"): "cinp_cin_plan_start_date",
    ("ssd", "cin_assessments"): "cina_assessment_start_date",
    ("ssda903", "episodes"): "decom",
    ("ssd", "cp_visits"): "cppv_cp_visit_date",
    ("ssd", "cin_visits"): "cinv_cin_visit_date",
    ("ssd", "cla_visits"): "clav_cla_visit_date",
}
# End dates after the as-at date are not known yet: open in that delivery.
_END_DATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("ssd", "involvements"): ("invo_involvement_end_date",),
    ("ssda903", "episodes"): ("dec", "rec"),
}


def as_at(tables: Tables, as_at_date: date, without: tuple[tuple[str, str], ...] = ()) -> Tables:
    """The tables as a delivery dated `as_at_date` holds them: later rows dropped, later ends still open."""
    delivered: Tables = {}
    for key, rows in tables.items():
        if key in without:
            continue
        kept = []
        for row in rows:
            if key in _ROW_DATE and row[_ROW_DATE[key]] > as_at_date:
                continue
            row = dict(row)
            ends = _END_DATES.get(key, ())
            if ends and row.get(ends[0]) and row[ends[0]] > as_at_date:
                row.update(dict.fromkeys(ends))
            kept.append(row)
        delivered[key] = kept
    return delivered


# --- E09000001: the §5.2 Compliance Report of 29-Nov-21, child by child --------------------------------------------
@dataclass(frozen=True)
class CrGroup:
    """A block of children of one service with one requirement; `overdue` of them are overdue on 29-Nov-21."""

    service: str
    requirement: str
    size: int
    overdue: int


# (R&A 447: 92 overdue) (S&FS 696: CP 250 with 30 overdue + CIN 446 with 50) (CLA&SS 371: CLA 300 with 37 + care
# leavers 71 with 10): 355 + 616 + 324 = 1,295 in time of 1,514.
CR_GROUPS = (
    CrGroup("RA", "ASSESS", 447, 92),
    CrGroup("SFS", "CP", 250, 30),
    CrGroup("SFS", "CIN", 446, 50),
    CrGroup("CLASS", "CLA", 300, 37),
    CrGroup("CLASS", "PATHWAY", 71, 10),
)


def _cr_assessed(tables: Tables, index: int, overdue: bool) -> None:
    """Open assessment since Mon 25 Oct (team TRA1/TRA2). In time: seen Mon 15 Nov -> due 13 Dec (20 WD). Overdue:
    seen Tue 26 Oct -> due Tue 23 Nov, or never seen -> 25 Oct + 20 WD = Mon 22 Nov; the first ten also had a visit on
    25 Nov where they were not seen (no reset). Every tenth is unallocated (the assessment's team: R&A)."""
    child, team_id = f"R{index:04d}", ("TRA1", "TRA2")[index % 2]
    tables[("ssd", "cin_episodes")].append(referral(f"RE{index}", child, "2021-10-20", team_id))
    tables[("ssd", "cin_assessments")].append(assessment(f"RA{index}", f"RE{index}", child, "2021-10-25", team_id))
    visit_day = "2021-10-26" if overdue and index < 46 else None if overdue else "2021-11-15"
    if visit_day:
        # Assessment visits come from local_visits (even) or ssd_cin_visits with context ASSESS (odd).
        if index % 2 == 0:
            tables[("local", "visits")].append(local_visit(f"LA{index}", child, visit_day, "ASSESS"))
        else:
            tables[("ssd", "cin_visits")].append(cin_visit(f"NA{index}", child, visit_day, context="ASSESS"))
    if overdue and index < 10:
        tables[("ssd", "cin_visits")].append(cin_visit(f"NX{index}", child, "2021-11-25", "ASSESS", seen=False))
    if index % 10:
        worker_id = f"WRA{index % 4}"
        tables[("ssd", "involvements")].append(
            involvement(f"IR{index}", child, worker_id, ("TRA1", "TRA2")[index % 4 % 2], "2021-10-25")
        )


def _cr_protected(tables: Tables, index: int, overdue: bool) -> None:
    """CP plan since 1 Sep (referral team TSF1). In time: CP visit Mon 22 Nov -> due Mon 6 Dec (10 WD). Overdue: Fri
    12 Nov -> due Fri 26 Nov. The first 40 also have an open CIN plan since 1 Jun: CP governs (under CIN's 20 WD the
    12 Nov visit would be due 10 Dec, in time). Every 25th is unallocated (the referral's team, S&FS)."""
    child = f"S{index:04d}"
    tables[("ssd", "cin_episodes")].append(referral(f"SE{index}", child, "2021-08-20", "TSF1"))
    tables[("ssd", "cp_plans")].append(cp_plan(f"SP{index}", f"SE{index}", child, "2021-09-01"))
    if index < 40:
        tables[("ssd", "cin_plans")].append(cin_plan(f"SCX{index}", f"SE{index}", child, "2021-06-01", "TSF2"))
    tables[("ssd", "cp_visits")].append(cp_visit(f"PV{index}", child, "2021-11-12" if overdue else "2021-11-22"))
    if index % 25:
        tables[("ssd", "involvements")].append(
            involvement(f"IS{index}", child, f"WSF{index % 6}", ("TSF1", "TSF2")[index % 6 % 2], "2021-09-01")
        )


def _cr_in_need(tables: Tables, index: int, overdue: bool) -> None:
    """CIN plan since 1 Sep (team TSF2). In time: seen Mon 15 Nov -> due Mon 13 Dec (20 WD). Overdue: Fri 1 Oct ->
    due Fri 29 Oct. Every 25th is unallocated (the plan's team, S&FS)."""
    child = f"S{index:04d}"
    tables[("ssd", "cin_episodes")].append(referral(f"SE{index}", child, "2021-08-20", "TSF2"))
    tables[("ssd", "cin_plans")].append(cin_plan(f"SC{index}", f"SE{index}", child, "2021-09-01", "TSF2"))
    tables[("ssd", "cin_visits")].append(cin_visit(f"NV{index}", child, "2021-10-01" if overdue else "2021-11-15"))
    if index % 25:
        tables[("ssd", "involvements")].append(
            involvement(f"IS{index}", child, f"WSF{index % 6}", ("TSF1", "TSF2")[index % 6 % 2], "2021-09-01")
        )


def _cr_looked_after(tables: Tables, index: int, overdue: bool) -> None:
    """Looked after. The overdue (k < 37) in a U3 placement since 4 Jan 2021 (its first year), seen 1 Oct -> due 12
    Nov (6 weeks). Then 30 (37 <= k < 67) in a long-term U4 placement since 3 Jun 2019, seen 15 Sep 2021, after the
    first year -> 3 months -> due 15 Dec, in time (6 weeks would be 27 Oct); the rest like the first, seen 1 Nov ->
    due 13 Dec. Seen alone: N when k % 7 == 0, NA when k % 7 == 1, else Y. Allocation: every 20th none (CLA&SS),
    k % 3 == 0 the CWD team, else TCL1."""
    child = f"L{index:04d}"
    tables[("ssda903", "header")].append(header(child))
    alone = {0: "N", 1: "NA"}.get(index % 7, "Y")
    if 37 <= index < 67:
        tables[("ssda903", "episodes")].append(episode(child, "2019-06-03", "S", "U4"))
        day = "2021-09-15"
    else:
        tables[("ssda903", "episodes")].append(episode(child, "2021-01-04", "S", "U3"))
        day = "2021-10-01" if overdue else "2021-11-01"
    tables[("ssd", "cla_visits")].append(cla_visit(f"CV{index}", child, day, alone=alone))
    if index % 20:
        team_id, worker_id = ("TCWD", "WCWD") if index % 3 == 0 else ("TCL1", f"WCL{index % 4}")
        tables[("ssd", "involvements")].append(involvement(f"IL{index}", child, worker_id, team_id, "2021-01-04"))


def _cr_care_leaver(tables: Tables, index: int, overdue: bool) -> None:
    """Former relevant care leaver (team TCLV, service CL -> CLA&SS), in care 3 Sep 2018 to 31 May 2021; a personal
    adviser (role PA, not an allocation). PATHWAY visit in time 1 Nov -> due 27 Dec (8 weeks); overdue 20 Sep -> due
    15 Nov."""
    child = f"L{index:04d}"
    tables[("ssda903", "header")].append(header(child))
    tables[("ssda903", "episodes")].append(episode(child, "2018-09-03", "S", "U3", "2021-05-31", "E8"))
    tables[("ssd", "care_leavers")].append(care_leaver(child, "TCLV"))
    tables[("local", "visits")].append(
        local_visit(f"LP{index}", child, "2021-09-20" if overdue else "2021-11-01", "PATHWAY")
    )
    tables[("ssd", "involvements")].append(involvement(f"IP{index}", child, "WPA", "TCLV", "2021-05-31", role="PA"))


_CR_BUILDERS: dict[str, Callable[[Tables, int, bool], None]] = {
    "ASSESS": _cr_assessed,
    "CP": _cr_protected,
    "CIN": _cr_in_need,
    "CLA": _cr_looked_after,
    "PATHWAY": _cr_care_leaver,
}


def cr_children() -> Tables:
    """Every table of E09000001's November delivery. Within each group, index order: the overdue children first.
    S&FS and CLA&SS number their children across their two groups (S0000-S0695, L0000-L0370)."""
    tables: Tables = {
        key: []
        for key in [
            ("ssd", "cin_episodes"),
            ("ssd", "cin_assessments"),
            ("ssd", "cp_plans"),
            ("ssd", "cin_plans"),
            ("ssd", "cp_visits"),
            ("ssd", "cin_visits"),
            ("ssd", "cla_visits"),
            ("local", "visits"),
            ("ssd", "involvements"),
            ("ssd", "care_leavers"),
            ("ssda903", "header"),
            ("ssda903", "episodes"),
        ]
    }
    offsets = {"RA": 0, "SFS": 0, "CLASS": 0}
    for group in CR_GROUPS:
        for position in range(group.size):
            index = offsets[group.service] + position
            _CR_BUILDERS[group.requirement](tables, index, position < group.overdue)
        offsets[group.service] += group.size
    children = sorted({row[key] for rows, key in _person_columns(tables) for row in rows})
    tables[("ssd", "person")] = [person(child) for child in children]
    teams = {"TRA1": "RA", "TRA2": "RA", "TSF1": "SFS", "TSF2": "SFS", "TCL1": "CLASS", "TCWD": "CWD", "TCLV": "CL"}
    tables[("ssd", "department")] = [team(team_id, service) for team_id, service in teams.items()]
    workers = sorted(
        {(row["invo_professional_id"], row["invo_professional_team"]) for row in tables[("ssd", "involvements")]}
    )
    tables[("ssd", "professionals")] = [
        worker(worker_id, team_id, "PA" if worker_id == "WPA" else "SW") for worker_id, team_id in dict(workers).items()
    ]
    return tables


def _person_columns(tables: Tables) -> list[tuple[list[dict], str]]:
    return [
        (tables[("ssd", "cin_episodes")], "cine_person_id"),
        (tables[("ssda903", "header")], "child"),
        (tables[("ssd", "care_leavers")], "clea_person_id"),
    ]


# --- writing ---------------------------------------------------------------------------------------------------------
def _collection_year(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    start = year if number >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _load_id(table_name: str, la_code: str, month: str) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{month}'.encode()).hexdigest()[:16]}"


def _land(landing: Path, la_code: str, month: str, tables: Tables, ledger: list[dict]) -> None:
    """One delivered file per table (903 tables named as 903 does, the others by contract name) and its ledger row."""
    year = _collection_year(month)
    for (family, folder), rows in tables.items():
        table_name = folder if family == "ssda903" else f"{family}_{folder}"
        load_id = _load_id(table_name, la_code, month)
        source_file = f"{la_code}/{month}/{'903' if family == 'ssda903' else family}/{table_name}.csv"
        schema = _SCHEMAS[(family, folder)]
        unknown = {name for row in rows for name in row} - set(schema.names)
        assert not unknown, ((family, folder), unknown)  # a typo would silently land nulls
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        metadata = {
            "la_code": la_code,
            "reporting_month": month,
            "collection_year": year,
            "load_id": load_id,
            "source_file": source_file,
        }
        columns.update({name: [value] * len(rows) for name, value in metadata.items()})
        columns["source_row"] = list(range(2, len(rows) + 2))
        path = landing / family / folder / f"la_code={la_code}" / f"{load_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns, schema=schema), path)
        ledger.append(
            {
                "load_id": load_id,
                "la_code": la_code,
                "reporting_month": month,
                "collection_year": year,
                "table_name": table_name,
                "source_file": source_file,
                "sha256": hashlib.sha256(load_id.encode()).hexdigest(),
                "bytes": 1000 + len(rows),
                "rows_read": len(rows),
                "rows_landed": len(rows),
                "rows_quarantined": 0,
                "outcome": "landed",
                "message": None,
            }
        )


def write_landing(landing_dir: Path) -> Path:
    """Write both organisations' deliveries, the ledger and the empty-table files; returns `landing_dir`."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    _land(landing_dir, LA_MAIN, "2021-11", as_at(MAIN, D("2021-11-30"), without=(("local", "visits"),)), ledger)
    _land(landing_dir, LA_MAIN, "2021-12", MAIN, ledger)
    _land(landing_dir, LA_CR, "2021-11", cr_children(), ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
