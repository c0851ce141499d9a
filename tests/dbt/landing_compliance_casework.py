"""A small landing area for the casework compliance marts (b01 contact decisions, b17/b17v review timeliness, b18
review participation, b19 case supervision), written exactly as `extract/` lands it, with the extract layer's own
schemas (`extract.table_catalogue`). Period end 2025-04-30 (Easter 2025: Good Friday 18 and Easter Monday 21 April
are bank holidays; London is on BST, UTC+1, from 30 March). Ids are synthetic, no real data.

E06000039 (`LA_MAIN`): the SSD and local tables in one delivery for 2025-04; the SSDA903 return as the 2024-25 history
    file (reporting month 2025-03) plus the 2025-26 in-year file (2025-04). `test_compliance_casework.py` works every
    pinned figure out by hand from the rows below.
E09000001 (`LA_GAPS`): a delivery whose ssd_contacts file has no local_decision_datetime column (landed as nulls,
    as extract lands an optional column a file lacks) and whose case supervision is recorded only as management
    oversight (MO): b01 NO_DATA and b19's MO proxy (input contract §9.3 item 3, AM-13).
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
LA_GAPS = "E09000001"
AS_OF = date(2025, 4, 30)
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}

Tables = dict[tuple[str, str], list[dict]]


def _utc(text: str) -> datetime:
    """A landed datetime: UTC, as extract stores Europe/London local times (input contract §0.5)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- row builders (landed column names) ------------------------------------------------------------------------------
def contact(
    contact_id: str, child: str, received: str, decided: str | None, outcome: str = "REF_CSC", team: str | None = None
) -> dict:
    return {
        "cont_contact_id": contact_id,
        "cont_person_id": child,
        "cont_contact_date": _utc(received),
        "local_decision_datetime": _utc(decided) if decided else None,
        "local_decision_outcome": outcome if decided or outcome == "DUPLICATE" else None,
        "local_team_id": team,
    }


def team(team_id: str, service: str, front_door: bool = False) -> dict:
    return {"dept_team_id": team_id, "dept_team_name": team_id, "local_service_code": service,
            "local_front_door": front_door, "local_valid_from": D("2020-04-01")}  # fmt: skip


def worker(worker_id: str, team_id: str, role: str = "SW") -> dict:
    return {"prof_professional_id": worker_id, "local_role_code": role, "local_team_id": team_id,
            "local_qualified_sw": True, "local_case_holding": role == "SW"}  # fmt: skip


def allocation(row_id: str, child: str, worker_id: str, team_id: str, start: str, end: str | None = None) -> dict:
    return {"invo_involvements_id": row_id, "invo_person_id": child, "invo_professional_id": worker_id,
            "invo_professional_role_id": "ALLOCATED_SW", "invo_professional_team": team_id,
            "invo_involvement_start_date": D(start), "invo_involvement_end_date": D(end) if end else None}  # fmt: skip


def supervision(supervision_id: str, child: str, day: str, kind: str = "CASE_SUP") -> dict:
    return {"supervision_id": supervision_id, "person_id": child, "supervision_date": D(day),
            "supervisor_worker_id": "WTM", "supervision_type": kind}  # fmt: skip


def episode(child: str, decom: str, dec: str | None = None, ls: str = "C2", rec: str | None = None) -> dict:
    return {"child": child, "decom": D(decom), "rne": "S", "ls": ls, "cin": "N1", "place": "U4",
            "place_provider": "PR1", "dec": D(dec) if dec else None, "rec": rec}  # fmt: skip


def header(child: str) -> dict:
    return {"child": child, "sex": "2", "dob": D("2012-05-05"), "ethnic": "WBRI", "upn": "UN1"}


def review(child: str, day: str, code: str) -> dict:
    return {"child": child, "dob": D("2012-05-05"), "review": D(day), "review_code": code}


# --- E06000039 --------------------------------------------------------------------------------------------------------
# (id, child, received UTC, decided UTC or None, outcome, front-door team)
CONTACTS = [
    ("CT1", "A01", "2025-04-04 16:00", "2025-04-07 09:00", "REF_CSC", "TFD"),  # Fri 17:00 BST -> Mon: 1 WD
    ("CT2", "A02", "2025-04-17 10:00", "2025-04-22 11:00", "NFA", None),  # Thu -> Tue over Easter: 1 WD
    ("CT3", "A03", "2025-04-09 09:00", "2025-04-09 15:00", "INFO_ADVICE", None),  # day 0
    ("CT4", "A04", "2025-04-09 09:00", "2025-04-11 09:00", "REF_CSC", None),  # day 2: late
    ("CT5", "A05", "2025-04-29 10:00", None, "REF_CSC", None),  # undecided, due Wed 30 = period end: overdue
    ("CT6", "A06", "2025-04-30 10:00", None, "REF_CSC", None),  # received on the period end: not yet due
    ("CT7", "A07", "2025-04-15 10:00", "2025-04-15 11:00", "DUPLICATE", None),  # excluded
    ("CT8", "A08", "2025-03-31 23:30", "2025-04-01 10:00", "REF_CSC", None),  # 00:30 BST on 1 April: April's
    ("CT9", "A09", "2025-03-28 10:00", "2025-03-31 09:00", "REF_CSC", None),  # Fri -> Mon, March
    ("CT10", "A10", "2024-04-30 10:00", "2024-04-30 12:00", "NFA", None),  # before the rolling window
    ("CT11", "A11", "2024-05-01 10:00", "2024-05-03 10:00", "NFA", None),  # its first day; Wed -> Fri: late
]  # fmt: skip

EPISODES = [
    episode("L1", "2024-08-05"),
    episode("L2", "2024-04-02", "2024-09-30", rec="E11"),  # period 1
    episode("L2", "2025-01-06"),  # period 2, after a gap: the review sequence restarts
    episode("L3", "2025-03-03"),
    episode("L4", "2025-02-24"),
    episode("L5", "2025-04-07", "2025-04-25", ls="V4", rec="E13"),  # a series of short breaks: not care
    episode("L6", "2024-10-01"),
]
REVIEWS = [
    review("L1", "2024-08-31", "PN1"), review("L1", "2024-11-29", "PN4"), review("L1", "2025-04-28", "PN7"),
    review("L2", "2024-04-26", "PN2"), review("L2", "2025-02-10", "PN0"),
    review("L4", "2025-04-01", "PN5"),
    review("L5", "2025-04-14", "PN1"),
    review("L6", "2024-10-28", "PN1"), review("L6", "2025-01-27", "PN3"), review("L6", "2025-04-16", "PN6"),
]  # fmt: skip

MAIN_SSD: Tables = {
    ("ssd", "contacts"): [contact(*row) for row in CONTACTS],
    ("ssd", "department"): [
        team("TFD", "RA", front_door=True), team("TSF", "SFS"), team("TCLA", "CLASS"), team("TCWD", "CWD"),
    ],
    ("ssd", "professionals"): [
        worker("W1", "TSF"), worker("W2", "TCWD"), worker("W3", "TCLA", role="TM"), worker("WTM", "TSF", role="TM"),
    ],
    ("ssd", "involvements"): [
        allocation("I1", "A04", "W1", "TSF", "2025-01-06"),
        allocation("I2", "L6", "W1", "TCLA", "2024-10-01", "2025-04-15"),  # L6 moves to TCWD/W2 on 15 April
        allocation("I3", "L6", "W2", "TCWD", "2025-04-15"),
        allocation("I4", "B1", "W2", "TCWD", "2025-03-31"),
        allocation("I5", "B2", "W3", "TCLA", "2025-01-06"),  # a team manager: not case holding
        allocation("I6", "B3", "W1", "TSF", "2024-06-03"),
    ],
    ("local", "case_supervision"): [
        supervision("SV1", "A04", "2025-03-31"), supervision("SV2", "A04", "2025-04-10"),
        supervision("SV3", "L6", "2025-03-05"),
        supervision("SV4", "B3", "2025-04-20", "MO"),
    ],
}  # fmt: skip


def statutory_903(collection_year: str) -> Tables:
    """The 903 tables of one collection year: episodes open in it, reviews held in it (April to March)."""
    start = D(f"{collection_year[:4]}-04-01")
    end = D(f"{int(collection_year[:4]) + 1}-03-31")
    episodes = [row for row in EPISODES if row["decom"] <= end and (row["dec"] is None or row["dec"] >= start)]
    reviews = [row for row in REVIEWS if start <= row["review"] <= end]
    children = sorted({row["child"] for row in episodes + reviews})
    return {
        ("ssda903", "header"): [header(child) for child in children],
        ("ssda903", "episodes"): episodes,
        ("ssda903", "reviews"): reviews,
    }


# --- E09000001 --------------------------------------------------------------------------------------------------------
GAPS_SSD: Tables = {
    # No decision time delivered: the column lands as nulls.
    ("ssd", "contacts"): [
        contact("G1", "Z1", "2025-04-10 10:00", None),  # 14 working days old at the period end: overdue
        contact("G2", "Z2", "2025-04-30 10:00", None),  # received on the period end: not yet due
    ],
    ("ssd", "department"): [team("TZ", "SFS")],
    ("ssd", "professionals"): [worker("W9", "TZ"), worker("WTM", "TZ", role="TM")],
    ("ssd", "involvements"): [
        allocation("J1", "Z1", "W9", "TZ", "2025-01-06"),
        allocation("J2", "Z2", "W9", "TZ", "2025-01-06"),
    ],
    # Only management oversight is recorded: b19 counts it (AM-13 'mo_proxy').
    ("local", "case_supervision"): [supervision("X1", "Z1", "2025-04-10", "MO")],
}


# --- writing ----------------------------------------------------------------------------------------------------------
def _load_id(table_name: str, la_code: str, month: str) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{month}'.encode()).hexdigest()[:16]}"


def _land(landing: Path, la_code: str, month: str, year: str, folder: str, tables: Tables, ledger: list[dict]) -> None:
    """One delivered file per table (903 tables named as 903 does, the others by contract name) and its ledger row;
    `folder` is the delivery folder under the LA (`2025-04`, or `history/903/2024-25`)."""
    for (family, table_folder), rows in tables.items():
        table_name = table_folder if family == "ssda903" else f"{family}_{table_folder}"
        load_id = _load_id(table_name, la_code, month)
        source_file = f"{la_code}/{folder}/{'903' if family == 'ssda903' else family}/{table_name}.csv"
        schema = _SCHEMAS[(family, table_folder)]
        unknown = {name for row in rows for name in row} - set(schema.names)
        assert not unknown, ((family, table_folder), unknown)  # a typo would silently land nulls
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        metadata = {"la_code": la_code, "reporting_month": month, "collection_year": year, "load_id": load_id,
                    "source_file": source_file}  # fmt: skip
        columns.update({name: [value] * len(rows) for name, value in metadata.items()})
        columns["source_row"] = list(range(2, len(rows) + 2))
        path = landing / family / table_folder / f"la_code={la_code}" / f"{load_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns, schema=schema), path)
        ledger.append({
            "load_id": load_id, "la_code": la_code, "reporting_month": month, "collection_year": year,
            "table_name": table_name, "source_file": source_file,
            "sha256": hashlib.sha256(load_id.encode()).hexdigest(), "bytes": 1000 + len(rows),
            "rows_read": len(rows), "rows_landed": len(rows), "rows_quarantined": 0,
            "outcome": "landed", "message": None,
        })  # fmt: skip


def write_landing(landing_dir: Path) -> Path:
    """Write both organisations' deliveries, the ledger and the empty-table files; returns `landing_dir`."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    _land(landing_dir, LA_MAIN, "2025-03", "2024-25", "history/903/2024-25", statutory_903("2024-25"), ledger)
    _land(landing_dir, LA_MAIN, "2025-04", "2025-26", "2025-04", statutory_903("2025-26"), ledger)
    _land(landing_dir, LA_MAIN, "2025-04", "2025-26", "2025-04", MAIN_SSD, ledger)
    _land(landing_dir, LA_GAPS, "2025-04", "2025-26", "2025-04", GAPS_SSD, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
