"""A small landing area for the caseload mart (issue 6 parts 1 and 3), written exactly as `extract/` lands it, with
the extract layer's own schemas. Period end 2021-11-30 (as_of); the weekly Compliance Report dates are Mondays (the
dbt var `cr_weekday`): in November 2021 the 1st, 8th, 15th, 22nd and 29th. Ids are synthetic, no real data.

E06000039 (`LA_MAIN`): the hand-worked cases of `test_caseload.py` (a worker moving team mid-month, a part-time
    worker, a case reallocated on a snapshot date, an allocation ending on a snapshot date, an ASYE, a team manager
    holding a case, a child with 3 workers in 12 months whose first change falls just outside the window, HR links
    that match, lapse or are missing).
E09000001 (`LA_REF`): cohorts of one-day allocations that reproduce the catalogue's §4.3/§5.3 average caseloads by
    service on the Compliance Report dates 12-Jul-21, 9-Aug-21 and 29-Nov-21 (9-Sep-21 is a Thursday, not a CR
    date under the Monday cadence), the month end 31-Oct-21 that gives the published November figures their
    previous values (the §5.7 RAG vectors), and the §5.1 b21 company averages 16.8 and 19.1 on 8 and 15 Nov-21.
    Every worker is an employee in HR: no reconciliation exception.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import write_empty_tables
from tests.dbt.landing_compliance_casework import Tables, _land

LA_MAIN = "E06000039"
LA_REF = "E09000001"
AS_OF = date(2021, 11, 30)
YEAR = "2021-22"
D = date.fromisoformat


# --- row builders (landed column names) ------------------------------------------------------------------------------
def team(team_id: str, service: str) -> dict:
    return {"dept_team_id": team_id, "dept_team_name": team_id, "local_service_code": service,
            "local_valid_from": D("2015-04-01")}  # fmt: skip


def worker(
    worker_id: str, team_id: str, role: str = "SW", fte: str | None = None, hr_person: str | None = None
) -> dict:
    return {"prof_professional_id": worker_id, "local_role_code": role, "local_team_id": team_id,
            "local_qualified_sw": True, "local_case_holding": role in ("SW", "ASYE"),
            "prof_full_time_equivalency": Decimal(fte) if fte else None, "local_hr_person_id": hr_person}  # fmt: skip


def allocation(row_id: str, child: str, worker_id: str | None, team_id: str, start: str | date,
               end: str | date | None = None, role: str = "ALLOCATED_SW") -> dict:  # fmt: skip
    start_date = D(start) if isinstance(start, str) else start
    end_date = D(end) if isinstance(end, str) else end
    return {"invo_involvements_id": row_id, "invo_person_id": child, "invo_professional_id": worker_id,
            "invo_professional_role_id": role, "invo_professional_team": team_id,
            "invo_involvement_start_date": start_date, "invo_involvement_end_date": end_date}  # fmt: skip


def employee(
    person: str, worker_id: str | None, fte: str, start: str, end: str | None = None, asye: bool = False
) -> dict:
    return {"person_id": person, "worker_id": worker_id, "post_id": f"POST-{person}", "contract_type": "PERM",
            "fte": Decimal(fte), "start_date": D(start), "end_date": D(end) if end else None,
            "employment_start_date": D(start), "qualified_sw": True, "asye": asye}  # fmt: skip


def agency(assignment: str, worker_id: str, fte: str, start: str) -> dict:
    return {"agency_assignment_id": assignment, "agency_worker_ref": f"REF-{assignment}", "worker_id": worker_id,
            "agency_name": "Agency", "cost_centre": "CC1", "role": "QSW", "fte": Decimal(fte),
            "start_date": D(start)}  # fmt: skip


# --- E06000039: the hand-worked cases -------------------------------------------------------------------------------
MAIN: Tables = {
    ("ssd", "department"): [team("TRA", "RA"), team("TSF", "SFS"), team("TCLA", "CLASS"), team("TCWD", "CWD")],
    ("ssd", "professionals"): [
        worker("W1", "TSF"),  # moved from TRA to TSF on 16 Nov; the month-end snapshot shows only TSF
        worker("W2", "TSF", fte="0.50"),  # part time: HR says 0.60, which wins
        worker("W3", "TCLA", role="ASYE"),
        worker("W4", "TCLA", role="TM"),  # a team manager holding a case: not frontline
        worker("W5", "TRA"),  # agency
        worker("W6", "TRA", fte="0.80"),  # not in HR: an exception; FTE from the case system
        worker("W7", "TCWD", hr_person="P7"),  # HR assignment ended 31 Oct: an exception in November
    ],
    ("ssd", "involvements"): [
        # W1 moves team: C1 goes with W1 (a new allocation in TSF on 16 Nov), C3 is new in TSF, C4 stays in TRA
        # until 29 Nov (it ends on that snapshot date), C2 is reallocated to W5 on the snapshot date 22 Nov.
        allocation("I01", "C1", "W1", "TRA", "2021-09-01", "2021-11-16"),
        allocation("I02", "C1", "W1", "TSF", "2021-11-16"),
        allocation("I03", "C2", "W1", "TRA", "2021-10-04", "2021-11-22"),
        allocation("I04", "C2", "W5", "TRA", "2021-11-22"),
        allocation("I05", "C3", "W1", "TSF", "2021-11-16"),
        allocation("I06", "C4", "W1", "TRA", "2021-06-01", "2021-11-29"),
        allocation("I07", "C5", "W5", "TRA", "2021-08-02"),
        allocation("I08", "C6", "W5", "TRA", "2021-08-02"),
        allocation("I09", "C7", "W6", "TRA", "2021-10-01"),
        allocation("I10", "C8", "W6", "TRA", "2021-10-01"),
        allocation("I11", "C9", "W2", "TSF", "2021-07-05"),
        allocation("I12", "C10", "W2", "TSF", "2021-07-05"),
        allocation("I13", "C11", "W3", "TCLA", "2021-09-01"),
        allocation("I14", "C12", "W3", "TCLA", "2021-09-01"),
        allocation("I15", "C13", "W3", "TCLA", "2021-09-01"),
        allocation("I16", "C14", "W4", "TCLA", "2021-03-01"),
        allocation("I17", "C15", "W7", "TCWD", "2021-04-01"),
        # C16: 3 workers in about 13 months; the change W6 -> W7 on 30 Nov 2020 is the day before the window
        # (30 Nov 2020, 30 Nov 2021] starts, so only W7 -> W3 (1 Jun 2021) counts: 1 change.
        allocation("I18", "C16", "W6", "TRA", "2020-10-01", "2020-11-30"),
        allocation("I19", "C16", "W7", "TCWD", "2020-11-30", "2021-06-01"),
        allocation("I20", "C16", "W3", "TCLA", "2021-06-01"),
        # C17: W7 -> W2 (1 Mar) -> W5 (1 Sep 2021): 2 changes in the window; its first allocation is no change.
        allocation("I21", "C17", "W7", "TCWD", "2021-01-04", "2021-03-01"),
        allocation("I22", "C17", "W2", "TSF", "2021-03-01", "2021-09-01"),
        allocation("I23", "C17", "W5", "TRA", "2021-09-01"),
        # A team-only allocation and an IRO: no one's case.
        allocation("I24", "C18", None, "TSF", "2021-05-03", role="TEAM_ONLY"),
        allocation("I25", "C9", "W4", "TCLA", "2021-07-05", role="IRO"),
    ],
    ("hr", "employee"): [
        employee("P1", "W1", "1.00", "2019-01-07"),
        employee("P2", "W2", "0.60", "2019-01-07"),
        employee("P3", "W3", "1.00", "2021-08-02", asye=True),
        employee("P4", "W4", "1.00", "2018-04-03"),
        # Linked through ssd_professionals' local_hr_person_id only (no worker_id in HR); last day 31 Oct.
        employee("P7", None, "1.00", "2019-01-07", "2021-10-31"),
    ],
    ("hr", "agency_assignment"): [agency("A5", "W5", "1.00", "2021-06-01")],
}

# --- E09000001: the catalogue's reference caseloads -----------------------------------------------------------------
# (snapshot date, service team, caseload of each worker): S2 2.1 / catalogue §4.3, §5.3.
#   12-Jul-21 R&A 141/5 = 28.2, S&FS 257/10 = 25.7, CLA 171/10 = 17.1
#   09-Aug-21 R&A  55/2 = 27.5, S&FS 123/5  = 24.6, CLA 173/10 = 17.3
#   31-Oct-21 R&A 111/5 = 22.2, S&FS 239/10 = 23.9, CLA 171/10 = 17.1 (the previous values of November)
#   29-Nov-21 R&A  47/2 = 23.5, S&FS 233/10 = 23.3, CLA  19/1  = 19.0 (open to the month end 30 Nov)
# and the §5.1 company frontline averages (S1 App A row 21), alone on their CR dates so b21 is the cohort's own:
#   08-Nov-21 b21 84/5 = 16.8 (Apr-19), in CLA;  15-Nov-21 b21 191/10 = 19.1 (Apr-20), in S&FS
REFERENCE_CASELOADS: list[tuple[str, str, list[int]]] = [
    ("2021-07-12", "RRA", [29, 29, 28, 28, 27]),
    ("2021-07-12", "RSF", [26] * 7 + [25] * 3),
    ("2021-07-12", "RCLA", [18] + [17] * 9),
    ("2021-08-09", "RRA", [28, 27]),
    ("2021-08-09", "RSF", [25, 25, 25, 24, 24]),
    ("2021-08-09", "RCLA", [18] * 3 + [17] * 7),
    ("2021-10-31", "RRA", [23, 22, 22, 22, 22]),
    ("2021-10-31", "RSF", [24] * 9 + [23]),
    ("2021-10-31", "RCLA", [18] + [17] * 9),
    ("2021-11-29", "RRA", [24, 23]),
    ("2021-11-29", "RSF", [24] * 3 + [23] * 7),
    ("2021-11-29", "RCLA", [19]),
    ("2021-11-08", "RCLA", [17] * 4 + [16]),
    ("2021-11-15", "RSF", [20] + [19] * 9),
]


def reference_tables() -> Tables:
    """One allocation per case, open on its snapshot date only (start = d, end = d + 1), except the 29 Nov cohort,
    which stays open so the month end 30 Nov counts it too. Worker n of a team is `<team>-n` in every cohort."""
    involvements: list[dict] = []
    for day, team_id, caseloads in REFERENCE_CASELOADS:
        start = D(day)
        end = None if day == "2021-11-29" else start + timedelta(days=1)
        for number, caseload in enumerate(caseloads, start=1):
            for case in range(caseload):
                child = f"{team_id}-{day}-{number}-{case}"
                involvements.append(allocation(f"R-{child}", child, f"{team_id}-{number}", team_id, start, end))
    workers = sorted({row["invo_professional_id"] for row in involvements})
    return {
        ("ssd", "department"): [team("RRA", "RA"), team("RSF", "SFS"), team("RCLA", "CLASS")],
        ("ssd", "professionals"): [worker(worker_id, worker_id.rsplit("-", 1)[0]) for worker_id in workers],
        ("ssd", "involvements"): involvements,
        ("hr", "employee"): [employee(f"P-{w}", w, "1.00", "2020-01-06") for w in workers],
        ("hr", "agency_assignment"): [],
    }


# The months each organisation delivered (the same full extract each time: the latest delivery holds every row).
# A KPI is NO_DATA in a month without a delivery of its tables (input contract §9.3), so the reference dates'
# months are all delivered; E06000039 delivers October and November only.
MAIN_MONTHS = ["2021-10", "2021-11"]
REF_MONTHS = ["2021-07", "2021-08", "2021-10", "2021-11"]


def write_landing(landing_dir: Path) -> Path:
    """Write both organisations' deliveries, the ledger and the empty-table files."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    reference = reference_tables()
    for month in MAIN_MONTHS:
        _land(landing_dir, LA_MAIN, month, YEAR, month, MAIN, ledger)
    for month in REF_MONTHS:
        _land(landing_dir, LA_REF, month, YEAR, month, reference, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # undelivered tables read as empty, as before every pipeline build
    return landing_dir
