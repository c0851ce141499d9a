"""Placement indicators computed independently of synth/ from the written CSVs (kpi-catalogue §0.2, b08, b24).

Episodes of every 903 file (history and monthly deliveries) are combined on (CHILD, DECOM), the latest
collection year winning (input contract §1.1.3); within one year, the latest as_at_date wins.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}
SHORT_BREAKS = {"V3", "V4"}


@dataclass(frozen=True)
class Row:
    child: str
    decom: date
    dec: date | None
    rne: str
    ls: str
    place: str
    provider: str
    pl_post: str
    urn: str


def parse_date(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def episodes_files(la_root: Path) -> list[tuple[str, str, Path]]:
    """(collection year, as-at ordering key, path) of every Episodes file under an LA folder."""
    found = []
    for path in la_root.rglob("*_903_*.csv"):
        _la, _903, cy, table = path.stem.split("_", 3)  # <la>_903_<cy>_<table>: not sw_episodes, nor other tables
        if table != "episodes":
            continue
        month = path.parent.parent.name  # YYYY-MM for deliveries, "903" for history (complete year: sorts last)
        found.append((cy, "9999" if month == "903" else month, path))
    return sorted(found)


def combined_episodes(la_root: Path) -> dict[str, list[Row]]:
    """Each child's episodes in DECOM order, the latest collection year's row winning per (CHILD, DECOM)."""
    latest: dict[tuple[str, date], Row] = {}
    for _cy, _order, path in episodes_files(la_root):
        for raw in read_csv(path):
            row = Row(
                raw["CHILD"],
                parse_date(raw["DECOM"]),
                parse_date(raw["DEC"]) if raw["DEC"] else None,
                raw["RNE"],
                raw["LS"],
                raw["PLACE"],
                raw["PLACE_PROVIDER"],
                raw["PL_POST"],
                raw["URN"],
            )
            latest[(row.child, row.decom)] = row
    by_child: dict[str, list[Row]] = {}
    for key in sorted(latest):
        by_child.setdefault(key[0], []).append(latest[key])
    return by_child


def is_open(row: Row, day: date) -> bool:
    return row.decom <= day and (row.dec is None or row.dec > day)


def cla_on(by_child: dict[str, list[Row]], day: date) -> dict[str, Row]:
    """Children looked after on `day` (short breaks excluded), with the latest-starting open episode."""
    current = {}
    for child, rows in by_child.items():
        open_rows = [row for row in rows if is_open(row, day) and row.ls not in SHORT_BREAKS]
        if open_rows:
            current[child] = open_rows[-1]
    return current


def placements(rows: list[Row]) -> list[tuple[date, date | None]]:
    """(start, end) of a child's placements: temporary episodes never start one; RNE L continues one; after a
    temporary placement, a return to the same PLACE/provider/postcode/URN continues the earlier placement."""
    result: list[list] = []
    previous: Row | None = None  # the last non-temporary episode
    after_temporary = False
    for row in rows:
        if row.ls in SHORT_BREAKS:
            continue
        if row.place in TEMPORARY:
            after_temporary = True
            continue
        if previous is None or row.rne == "S":
            new = True
        elif after_temporary:
            same = (row.place, row.provider, row.pl_post, row.urn) == (
                previous.place,
                previous.provider,
                previous.pl_post,
                previous.urn,
            )
            new = not same
        else:
            new = row.rne != "L"
        if new:
            result.append([row.decom, row.dec])
        else:
            result[-1][1] = row.dec
        previous, after_temporary = row, False
    return [(start, end) for start, end in result]


def twelve_months_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Figures:
    cla: int
    three_plus: int
    inhouse_foster: int

    @property
    def b08_pct(self) -> float:
        return 100.0 * self.three_plus / self.cla

    @property
    def b24_pct(self) -> float:
        return 100.0 * self.inhouse_foster / self.cla


def figures_on(by_child: dict[str, list[Row]], day: date) -> Figures:
    """CLA count, b08 numerator (3+ placements in (day - 12 months, day]) and b24 numerator on `day`."""
    window_start = twelve_months_before(day)
    current = cla_on(by_child, day)
    three_plus = 0
    for child in current:
        count = sum(
            1 for start, end in placements(by_child[child]) if start <= day and (end is None or end > window_start)
        )
        three_plus += count >= 3
    inhouse = sum(
        1 for row in current.values() if row.place in {f"U{n}" for n in range(1, 7)} and row.provider == "PR1"
    )
    return Figures(len(current), three_plus, inhouse)


# b21 (kpi-catalogue §1.1): qualified, case-holding social workers' ALLOCATED_SW caseloads -----------------------
CASEWORK_ROLES = {"SW", "ASYE", "SSW"}
SERVICE_ROLL_UP = {"CWD": "CLASS", "CL": "CLASS"}  # the TSG "CLA&SS" grain (input contract §2.2 ssd_department)


def parse_iso(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def b21_by_service(ssd_folder: Path, day: date) -> dict[str, tuple[int, int]]:
    """{service: (allocations, workers)} on `day` from one delivery's SSD extracts, plus "company".

    Numerator: ALLOCATED_SW involvements open on `day` (start <= day < end) held by a worker whose local_role_code
    is SW, ASYE or SSW, qualified and case-holding; denominator: distinct such workers holding >= 1 of them. The
    service is that of the worker's home team (local_team_id), CWD and CL rolled up to CLASS."""
    service_of = {
        row["dept_team_id"]: SERVICE_ROLL_UP.get(row["local_service_code"], row["local_service_code"])
        for row in read_csv(ssd_folder / "ssd_department.csv")
    }
    frontline = {
        row["prof_professional_id"]: service_of[row["local_team_id"]]
        for row in read_csv(ssd_folder / "ssd_professionals.csv")
        if row["local_role_code"] in CASEWORK_ROLES and row["local_qualified_sw"] == "Y"
        and row["local_case_holding"] == "Y"
    }  # fmt: skip
    cases: dict[str, int] = {}
    for row in read_csv(ssd_folder / "ssd_involvements.csv"):
        start, end = parse_iso(row["invo_involvement_start_date"]), parse_iso(row["invo_involvement_end_date"])
        worker = row["invo_professional_id"]
        open_on_day = start is not None and start <= day and (end is None or end > day)
        if row["invo_professional_role_id"] == "ALLOCATED_SW" and worker in frontline and open_on_day:
            cases[worker] = cases.get(worker, 0) + 1
    result: dict[str, tuple[int, int]] = {}
    for worker, count in cases.items():
        for service in (frontline[worker], "company"):
            allocations, workers = result.get(service, (0, 0))
            result[service] = (allocations + count, workers + 1)
    return result
