"""A small landing area of HR exports (input contract §4.1), staff supervision and teams for the workforce mart.

Period end 2025-02-28. Every id is synthetic (`H1`, `P1`, `AGR5`...), no real data. `test_workforce.py` works out
every expected figure by hand from the rows below.

E06000039 (the scenarios) delivers in January and February 2025; the January delivery is the February one as it was
known on 31 January (nothing that starts later, no end that was still to come) plus one sickness spell the February
delivery deletes (recorded in error), so a run at as_of 2025-01-31 must reproduce January exactly as it was then.
Teams: T1 Front door (RA), T2 Safeguarding (SFS), T3 CLA (CLASS). Posts (funded from 2020-04-01, 1.00 FTE each):
    P1 T1 QSW frontline    P2 T1 QSW frontline    P3 T2 QSW frontline    P4 T2 QSW frontline
    P5 T2 TM               P6 T3 QSW frontline    P7 T3 QSW frontline    P8 T1 QSW frontline
    P9 T2 QSW frontline, funded to 2024-02-28     P10 T3 FSW
People:
    H1  the mover: PERM 1.0 on P1 from 2020-01-01 to 2025-02-14, then on P6 (T3) from 2025-02-15
    H2  the part-timer: PERM 0.60 on P4 from 2022-06-01; ASYE completed 2023-05-31 (retained a year later)
    H3  the leaver on the last day of the window: PERM on P8 from 2019-05-01, leaves 2025-02-28 (voluntary)
    H4  the agency worker converting to permanent: agency on P7 2024-06-01..2024-11-30, PERM on P7 from 2024-12-01
    AGR5 an agency worker HR does not know, filling the vacancy P3 from 2024-09-01
    H6  team manager, PERM on P5 from 2018-01-01; long-term sick from 2025-01-06 (ongoing)
    H7  PERM on P9 2021-01-01..2024-02-28, dismissed (the day before the Feb-25 rolling window starts)
    H9  FTC on P2 2022-09-01..2024-03-31 (END_FTC); ASYE completed 2023-08-31, gone a year later
    H10 the returner: PERM on P10 2020-01-01..2023-06-30 (resigned), back on P10 from 2025-02-03

Three more organisations reproduce the catalogue's §5.3 reference figures at 2025-02-28 from constructed data:
    E08000001 the Nov-21 qualified frontline mix 51.32 / 22.89 / 25.79 (agency of filled 30.8%)
    E08000002 the Nov-21 turnover, 35% all and 27% voluntary, over a constant 100 permanent staff (and Jul-21's 39%,
              Aug-21's 37% and Sep-21's 24% voluntary at the two month ends before)
    E08000003 the Oct-21 sickness absence, 4.2% in the month and 2.2% year to date
and two the §5.1 Board KPIs and the rest of §5.3:
    E08000004 the Apr-20 Board figures b22 21.0% (turnover) and b23 37.0% (agency of filled frontline FTE)
    E08000005 the Aug-21 sickness absence, 2.3% in the month and 1.7% year to date
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.csv_families.registry import REGISTRY
from extract.landing import LEDGER_SCHEMA, METADATA_FIELDS
from extract.table_catalogue import write_empty_tables
from tests.dbt.landing_casework import _write, team

LA_MAIN = "E06000039"
LA_MIX = "E08000001"
LA_TURNOVER = "E08000002"
LA_SICKNESS = "E08000003"
LA_BOARD = "E08000004"
LA_SICKNESS_AUGUST = "E08000005"
AS_OF = date(2025, 2, 28)
JANUARY = date(2025, 1, 31)

D = date.fromisoformat
FTE = Decimal


def post(post_id: str, team_id: str | None, family: str, frontline: bool, fte: str = "1.00", **extra: object) -> dict:
    row = {"post_id": post_id, "funded_from": D("2020-04-01"), "cost_centre": f"CC{team_id}", "team_id": team_id,
           "job_family": family, "frontline_case_holding": frontline, "budgeted_fte": FTE(fte)}  # fmt: skip
    row.update(extra)
    return row


def employee(person: str, post_id: str, contract: str, start: str, end: str | None = None, fte: str = "1.00",
             employment_start: str | None = None, **extra: object) -> dict:  # fmt: skip
    row = {"person_id": person, "worker_id": f"W{person[1:]}", "post_id": post_id, "contract_type": contract,
           "fte": FTE(fte), "start_date": D(start), "end_date": D(end) if end else None,
           "employment_start_date": D(employment_start or start), "qualified_sw": True}  # fmt: skip
    row.update(extra)
    return row


def leaver(person: str, leave: str, contract: str, reason: str, voluntary: bool, post_id: str | None = None) -> dict:
    return {"person_id": person, "leave_date": D(leave), "post_id": post_id, "contract_type": contract,
            "reason": reason, "voluntary": voluntary}  # fmt: skip


def absence(absence_id: str, person: str, start: str, end: str | None, **extra: object) -> dict:
    row = {"absence_id": absence_id, "person_id": person, "start_date": D(start),
           "end_date": D(end) if end else None, "absence_type": "SICKNESS"}  # fmt: skip
    row.update(extra)
    return row


def supervision(supervision_id: str, day: str, worker_id: str | None = None, person_id: str | None = None,
                kind: str = "PERSONAL") -> dict:  # fmt: skip
    return {"supervision_id": supervision_id, "worker_id": worker_id, "person_id": person_id,
            "supervision_date": D(day), "supervision_kind": kind}  # fmt: skip


# --- E06000039: the scenarios ---------------------------------------------------------------------------------------
DEPARTMENT = [team("T1", "Front door", "RA", True), team("T2", "Safeguarding", "SFS"), team("T3", "CLA", "CLASS")]

POSTS = [
    post("P1", "T1", "QSW", True), post("P2", "T1", "QSW", True), post("P3", "T2", "QSW", True),
    post("P4", "T2", "QSW", True), post("P5", "T2", "TM", False), post("P6", "T3", "QSW", True),
    post("P7", "T3", "QSW", True), post("P8", "T1", "QSW", True),
    post("P9", "T2", "QSW", True, funded_to=D("2024-02-28")), post("P10", "T3", "FSW", False),
]  # fmt: skip

EMPLOYEES = [
    employee("H1", "P1", "PERM", "2020-01-01", "2025-02-14"),
    employee("H1", "P6", "PERM", "2025-02-15", employment_start="2020-01-01"),
    employee("H2", "P4", "PERM", "2022-06-01", fte="0.60", asye=False, asye_completion_date=D("2023-05-31")),
    employee("H3", "P8", "PERM", "2019-05-01", "2025-02-28"),
    employee("H4", "P7", "PERM", "2024-12-01", asye_completion_date=D("2024-12-15")),
    employee("H6", "P5", "PERM", "2018-01-01"),
    employee("H7", "P9", "PERM", "2021-01-01", "2024-02-28"),
    employee("H9", "P2", "FTC", "2022-09-01", "2024-03-31", asye_completion_date=D("2023-08-31")),
    employee("H10", "P10", "PERM", "2020-01-01", "2023-06-30"),
    employee("H10", "P10", "PERM", "2025-02-03"),
]

AGENCY = [
    {"agency_assignment_id": "AA4", "agency_worker_ref": "AGR4", "person_id": "H4", "worker_id": "W4",
     "post_id": "P7", "cost_centre": "CCT3", "team_id": "T3", "role": "QSW", "fte": FTE("1.00"),
     "start_date": D("2024-06-01"), "end_date": D("2024-11-30")},
    {"agency_assignment_id": "AA5", "agency_worker_ref": "AGR5", "worker_id": "W5", "post_id": "P3",
     "cost_centre": "CCT2", "team_id": "T2", "role": "QSW", "fte": FTE("1.00"), "start_date": D("2024-09-01")},
]  # fmt: skip

LEAVERS = [
    leaver("H3", "2025-02-28", "PERM", "RESIGNATION", True, "P8"),
    leaver("H7", "2024-02-28", "PERM", "DISMISSAL", False, "P9"),
    leaver("H9", "2024-03-31", "FTC", "END_FTC", False, "P2"),
    leaver("H10", "2023-06-30", "PERM", "RESIGNATION", True, "P10"),
]

ABSENCES = [
    absence("AB1", "H2", "2025-02-10", "2025-02-12"),  # 3 working days x FTE 0.60 on the first day = 1.80
    absence("AB2", "H6", "2025-01-06", None, fte_at_time=FTE("1.00")),  # ongoing: to as_of, long-term
    absence("AB3", "H3", "2025-02-03", "2025-02-03", working_days_lost=FTE("0.50")),  # a half day, as HR says
]
ABSENCE_DELETED_IN_FEBRUARY = absence("AB9", "H4", "2025-01-20", "2025-01-21")  # in January's delivery only

SUPERVISIONS = [
    # H1 (by worker id): 9 personal in (2024-02-28, 2025-02-28], the first on the window's first day; one the day
    # before the window and one group session do not count.
    supervision("S100", "2024-02-28", worker_id="W1"),
    supervision("S101", "2024-02-29", worker_id="W1"),
    *[supervision(f"S1{month:02d}", f"2024-{month:02d}-15", worker_id="W1") for month in range(4, 12)],
    supervision("S199", "2024-12-15", worker_id="W1", kind="GROUP"),
    # H2 (by HR id): 8 personal, one short of 9.
    *[supervision(f"S2{month:02d}", f"2024-{month:02d}-15", person_id="H2") for month in range(4, 12)],
    # H4 (started 2024-12-01, 3 months of service: needs ceil(9 x 3 / 12) = 3): 3 personal.
    supervision("S401", "2024-12-15", worker_id="W4"),
    supervision("S402", "2025-01-15", worker_id="W4"),
    supervision("S403", "2025-02-14", worker_id="W4"),
    # H6 (by HR id): 9 personal, March to November 2024.
    *[supervision(f"S6{month:02d}", f"2024-{month:02d}-15", person_id="H6") for month in range(3, 12)],
]


def _as_known_on(rows: list[dict], day: date, start: str, ends: tuple[str, ...]) -> list[dict]:
    """The rows as a delivery made on `day` held them: nothing starting later, and no end still to come."""
    known = []
    for row in rows:
        if row[start] is not None and row[start] > day:
            continue
        copy = dict(row)
        for end in ends:
            if copy.get(end) is not None and copy[end] > day:
                copy[end] = None
        known.append(copy)
    return known


def _main_deliveries() -> list[tuple[str, str, str, list[dict]]]:
    january = {
        "hr_post": POSTS,
        "hr_employee": _as_known_on(EMPLOYEES, JANUARY, "start_date", ("end_date",)),
        "hr_agency_assignment": _as_known_on(AGENCY, JANUARY, "start_date", ("end_date",)),
        "hr_leaver": [row for row in LEAVERS if row["leave_date"] <= JANUARY],
        "hr_absence": [*_as_known_on(ABSENCES, JANUARY, "start_date", ("end_date",)), ABSENCE_DELETED_IN_FEBRUARY],
        "local_staff_supervision": [row for row in SUPERVISIONS if row["supervision_date"] <= JANUARY],
        "ssd_department": DEPARTMENT,
    }
    february = {
        "hr_post": POSTS,
        "hr_employee": EMPLOYEES,
        "hr_agency_assignment": AGENCY,
        "hr_leaver": LEAVERS,
        "hr_absence": ABSENCES,
        "local_staff_supervision": SUPERVISIONS,
        "ssd_department": DEPARTMENT,
    }
    return [
        *[(table, LA_MAIN, "2025-01", rows) for table, rows in january.items()],
        *[(table, LA_MAIN, "2025-02", rows) for table, rows in february.items()],
    ]


# --- E08000001: the qualified frontline mix of S2 2.1 (Nov-21) -----------------------------------------------------
# 50 frontline posts of 2.00 FTE = establishment 100.00. Employed: 34 x 1.50 + 0.32 = 51.32; agency: 15 x 1.50 +
# 0.39 = 22.89; vacancy 100 - 51.32 - 22.89 = 25.79. Agency of filled = 22.89 / 74.21 = 30.845... -> 30.8%.
MIX_POSTS = [post(f"M{index:02d}", None, "QSW", True, "2.00") for index in range(50)]
MIX_EMPLOYEES = [
    employee(f"E{index:02d}", f"M{index:02d}", "PERM", "2020-05-01", fte="1.50" if index < 34 else "0.32")
    for index in range(35)
]
MIX_AGENCY = [
    {"agency_assignment_id": f"MA{index:02d}", "agency_worker_ref": f"MR{index:02d}", "post_id": f"M{35 + index:02d}",
     "cost_centre": "CCM", "role": "QSW", "fte": FTE("1.50" if index < 15 else "0.39"), "start_date": D("2024-10-01")}
    for index in range(16)
]  # fmt: skip

# --- E08000002: permanent turnover of S2 5.2 (Nov-21: 35% all, 27% voluntary) --------------------------------------
# 100 permanent posts held at every month end of the window (2024-02-28, 2025-02-28]: in 35 of them the holder
# leaves (27 voluntarily) and a new starter takes over the next day: 35 / 100 = 35.0%, 27 / 100 = 27.0%. Slots 0-34
# leave on 2024-03-10 + 7k days, except three of the voluntary ones (slots 24-26), who resign on 10, 15 and 20
# January 2025. Seven more holders are made redundant before that window (slots 35-41): five in January 2024 and
# two in February 2024. So the two month ends before it give the §5.3 run ahead of Oct-21's 35%:
#   Dec-24 (2023-12-31, 2024-12-31]: 35 - 3 (January 2025) + 5 + 2 = 39 leavers -> 39% (Jul-21); voluntary
#          27 - 3 = 24 -> 24% (Sep-21);
#   Jan-25 (2024-01-31, 2025-01-31]: 35 + 2 (February 2024) = 37 -> 37% (Aug-21);
# over the same 100 (no one leaves on a month end). December and January deliver the extract as known then, so
# neither month is NO_DATA.
_EARLY_LEAVES = {
    **{35 + n: date(2024, 1, 5 * (n + 1)) for n in range(5)},
    40: date(2024, 2, 10),
    41: date(2024, 2, 20),
    24: date(2025, 1, 10),
    25: date(2025, 1, 15),
    26: date(2025, 1, 20),
}
TURNOVER_EMPLOYEES: list[dict] = []
TURNOVER_LEAVERS: list[dict] = []
for _slot in range(100):
    if _slot < 35 or _slot in _EARLY_LEAVES:
        _leave = _EARLY_LEAVES.get(_slot, date(2024, 3, 10) + timedelta(days=7 * _slot))
        TURNOVER_EMPLOYEES.append(employee(f"A{_slot:02d}", f"Q{_slot:02d}", "PERM", "2020-01-01", _leave.isoformat()))
        TURNOVER_EMPLOYEES.append(
            employee(f"B{_slot:02d}", f"Q{_slot:02d}", "PERM", (_leave + timedelta(1)).isoformat())
        )
        TURNOVER_LEAVERS.append(
            leaver(
                f"A{_slot:02d}", _leave.isoformat(), "PERM", "RESIGNATION" if _slot < 27 else "REDUNDANCY", _slot < 27
            )
        )
    else:
        TURNOVER_EMPLOYEES.append(employee(f"A{_slot:02d}", f"Q{_slot:02d}", "PERM", "2020-01-01"))

# --- E08000003: sickness absence of S2 5.2 (Oct-21: 4.2% in the month, 2.2% YTD) -----------------------------------
# 10 employees of 1.00 FTE all year. February 2025 has 20 working days: available 200; lost 8 (3-12 Feb) + 0.40 (a
# part day HR recorded) = 8.40 -> 4.2%. 1 April 2024 - 28 February 2025 has 233 working days: available 2,330; lost
# 8.40 + 30 (3 Jun - 12 Jul, long-term) + 12 (2-17 Sep) = 50.40 -> 2.16% -> 2.2%; short-term 20.40 -> 0.9%.
SICKNESS_EMPLOYEES = [employee(f"K{index}", f"R{index}", "PERM", "2020-01-01") for index in range(10)]
SICKNESS_ABSENCES = [
    absence("K-1", "K0", "2025-02-03", "2025-02-12"),
    absence("K-2", "K1", "2025-02-20", "2025-02-20", working_days_lost=FTE("0.40")),
    absence("K-3", "K2", "2024-06-03", "2024-07-12"),
    absence("K-4", "K3", "2024-09-02", "2024-09-17"),
]

# --- E08000004: the Board KPIs b22 and b23 of S1 Appendix A (Apr-20: 21.0% and 37.0%; catalogue §5.1) -------------
# 100 permanent employees, 63 in frontline posts F00-F62 and 37 in business-support posts N63-N99, held at every
# month end of (2024-02-28, 2025-02-28]. In 21 of the slots the holder leaves (18 resign, voluntary; 3 dismissed) on
# 2024-03-10 + 7k days and a new starter takes the post the next day: b22 = 21 / 100 = 21.0%, b22v 18 / 100 = 18.0%.
# 37 agency workers of 1.00 FTE fill the frontline posts G00-G36: b23 = 37 / (63 + 37) = 37.0%; the frontline
# establishment is 63 + 37 = 100.00, all filled: mix 63.00 / 37.00 / 0.00. The Apr-19 b23 of 36% is its January:
# the agency worker of G36 starts on 1 February 2025, and a fixed-term employee holds a frontline post X00 funded
# to 31 January 2025 from 1 October 2024 to that day (an FTC ending as planned: no leaver, not in b22), so on
# 31 January agency 36 / filled (63 + 1 + 36) = 36.0%. January delivers the extract as known then.
BOARD_POSTS = [
    *[post(f"F{slot:02d}", None, "QSW", True) for slot in range(63)],
    *[post(f"N{slot:02d}", None, "BUSINESS_SUPPORT", False) for slot in range(63, 100)],
    *[post(f"G{slot:02d}", None, "QSW", True) for slot in range(37)],
    post("X00", None, "QSW", True, funded_to=D("2025-01-31")),
]
BOARD_EMPLOYEES: list[dict] = []
BOARD_LEAVERS: list[dict] = []
for _slot in range(100):
    _post = f"{'F' if _slot < 63 else 'N'}{_slot:02d}"
    if _slot < 21:
        _leave = date(2024, 3, 10) + timedelta(days=7 * _slot)
        BOARD_EMPLOYEES.append(employee(f"C{_slot:02d}", _post, "PERM", "2020-01-01", _leave.isoformat()))
        BOARD_EMPLOYEES.append(employee(f"D{_slot:02d}", _post, "PERM", (_leave + timedelta(1)).isoformat()))
        _reason, _voluntary = ("RESIGNATION", True) if _slot < 18 else ("DISMISSAL", False)
        BOARD_LEAVERS.append(leaver(f"C{_slot:02d}", _leave.isoformat(), "PERM", _reason, _voluntary))
    else:
        BOARD_EMPLOYEES.append(employee(f"C{_slot:02d}", _post, "PERM", "2020-01-01"))
BOARD_AGENCY = [
    {"agency_assignment_id": f"BA{slot:02d}", "agency_worker_ref": f"BR{slot:02d}", "post_id": f"G{slot:02d}",
     "cost_centre": "CCB", "role": "QSW", "fte": FTE("1.00"),
     "start_date": D("2025-02-01" if slot == 36 else "2024-10-01")}
    for slot in range(37)
]  # fmt: skip
BOARD_EMPLOYEES.append(employee("X00", "X00", "FTC", "2024-10-01", "2025-01-31"))

# --- E08000005: sickness absence of S2 5.2 (Aug-21: 2.3% in the month, 1.7% YTD) -----------------------------------
# 10 employees of 1.00 FTE all year: February 2025 available 10 x 20 = 200; lost 4 (Mon 3 - Thu 6 Feb) + 0.60 (a part
# day HR recorded) = 4.60 -> 2.3%. YTD available 10 x 233 = 2,330; lost 4.60 + 25 (Mon 7 Oct - Fri 8 Nov 2024, five
# weeks without a holiday: long-term, over 20) + 10 (Mon 3 - Fri 14 Jun 2024) = 39.60 -> 1.6996 -> 1.7%; short-term
# 14.60 -> 0.63 -> 0.6%.
SICKNESS_AUGUST_EMPLOYEES = [employee(f"L{index}", f"S{index}", "PERM", "2020-01-01") for index in range(10)]
SICKNESS_AUGUST_ABSENCES = [
    absence("L-1", "L0", "2025-02-03", "2025-02-06"),
    absence("L-2", "L1", "2025-02-24", "2025-02-24", working_days_lost=FTE("0.60")),
    absence("L-3", "L2", "2024-10-07", "2024-11-08"),
    absence("L-4", "L3", "2024-06-03", "2024-06-14"),
]

DELIVERIES: list[tuple[str, str, str, list[dict]]] = [
    *_main_deliveries(),
    ("hr_post", LA_MIX, "2025-02", MIX_POSTS),
    ("hr_employee", LA_MIX, "2025-02", MIX_EMPLOYEES),
    ("hr_agency_assignment", LA_MIX, "2025-02", MIX_AGENCY),
    *[
        delivery
        for month, known_on in (("2024-12", date(2024, 12, 31)), ("2025-01", JANUARY))
        for delivery in (
            (
                "hr_employee",
                LA_TURNOVER,
                month,
                _as_known_on(TURNOVER_EMPLOYEES, known_on, "start_date", ("end_date",)),
            ),
            ("hr_leaver", LA_TURNOVER, month, [row for row in TURNOVER_LEAVERS if row["leave_date"] <= known_on]),
        )
    ],
    ("hr_employee", LA_TURNOVER, "2025-02", TURNOVER_EMPLOYEES),
    ("hr_leaver", LA_TURNOVER, "2025-02", TURNOVER_LEAVERS),
    ("hr_employee", LA_SICKNESS, "2025-02", SICKNESS_EMPLOYEES),
    ("hr_absence", LA_SICKNESS, "2025-02", SICKNESS_ABSENCES),
    ("hr_post", LA_BOARD, "2025-01", BOARD_POSTS),
    ("hr_employee", LA_BOARD, "2025-01", _as_known_on(BOARD_EMPLOYEES, JANUARY, "start_date", ("end_date",))),
    ("hr_agency_assignment", LA_BOARD, "2025-01", _as_known_on(BOARD_AGENCY, JANUARY, "start_date", ("end_date",))),
    ("hr_leaver", LA_BOARD, "2025-01", BOARD_LEAVERS),
    ("hr_post", LA_BOARD, "2025-02", BOARD_POSTS),
    ("hr_employee", LA_BOARD, "2025-02", BOARD_EMPLOYEES),
    ("hr_agency_assignment", LA_BOARD, "2025-02", BOARD_AGENCY),
    ("hr_leaver", LA_BOARD, "2025-02", BOARD_LEAVERS),
    ("hr_employee", LA_SICKNESS_AUGUST, "2025-02", SICKNESS_AUGUST_EMPLOYEES),
    ("hr_absence", LA_SICKNESS_AUGUST, "2025-02", SICKNESS_AUGUST_ABSENCES),
]


def write_landing(landing_dir: Path) -> Path:
    """Write the fixture's landed files, their ledger and the zero-row schema file of every other table."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    for table, la_code, month, rows in DELIVERIES:
        spec = REGISTRY.find(table)
        schema = pa.schema([(column.name, column.arrow_type) for column in spec.columns] + METADATA_FIELDS)
        _write(landing_dir, spec.family, spec.folder, schema, table, la_code, month, rows, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)
    return landing_dir
