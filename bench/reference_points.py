"""The two reference points of the end-to-end benchmark, on the same inbound files as the pipeline.

* The floor: DuckDB reading every delivered CSV once (all text, no checks) and counting its rows.
* A plain pandas computation of five headline indicators from each organisation's latest delivery, the way an
  analyst would write it without the warehouse: no landing checks, repairs, history or RAG, one month end. The
  figures are compared with the warehouse's published ones, so the benchmark also says whether the shortcut agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

SHORT_BREAKS = ("V3", "V4")
FOSTER_PLACEMENTS = ("U1", "U2", "U3", "U4", "U5", "U6")
IN_HOUSE_PROVIDER = "PR1"
AGENCY_FRONTLINE_ROLES = ("QSW", "SSW", "ASYE")  # an agency worker without a funded post (int_workforce_positions)
INDICATORS = (
    "s_cla_count",
    "s_cla_16plus_pct",
    "b24_inhouse_foster_pct",
    "b24b_inhouse_share_of_fostered",
    "b23_frontline_agency_pct",
)


@dataclass(frozen=True)
class Figure:
    """One indicator for one organisation: value (a count, or a percentage to 1 decimal), numerator, denominator."""

    value: float | None
    numerator: float
    denominator: float | None

    def same_as(self, other: Figure | None) -> bool:
        if other is None:
            return False
        return (
            _close(self.value, other.value)
            and _close(self.numerator, other.numerator)
            and _close(self.denominator, other.denominator)
        )


def _close(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is None and right is None
    return abs(float(left) - float(right)) < 1e-6


def duckdb_scan_rows(csv_files: list[Path], threads: int = 2) -> int:
    """Read every CSV once with DuckDB (every column as text, as extract reads it) and count the data rows."""
    connection = duckdb.connect(config={"threads": threads})
    rows = 0
    for path in csv_files:
        query = "select count(*) from read_csv(?, all_varchar = true, header = true)"
        rows += connection.execute(query, [str(path)]).fetchone()[0]
    connection.close()
    return rows


def latest_delivery(organisation: Path, as_of: date) -> Path:
    """The organisation's delivery folder (<YYYY-MM>) for the latest month up to `as_of`."""
    last = f"{as_of:%Y-%m}"
    months = sorted(p for p in organisation.iterdir() if p.is_dir() and p.name[:4].isdigit() and p.name <= last)
    return months[-1]


def pandas_indicators(inbound: Path, as_of: date) -> dict[str, dict[str, Figure]]:
    """la_code -> indicator -> Figure, computed with pandas from each organisation's latest delivery."""
    figures: dict[str, dict[str, Figure]] = {}
    for organisation in sorted(p for p in inbound.iterdir() if p.is_dir()):
        delivery = latest_delivery(organisation, as_of)
        figures[organisation.name] = {
            **_looked_after(delivery, pd.Timestamp(as_of)),
            "b23_frontline_agency_pct": _frontline_agency(delivery, pd.Timestamp(as_of)),
        }
    return figures


def _percentage(numerator: float, denominator: float) -> Figure:
    value = round(100 * numerator / denominator, 1) if denominator else None
    return Figure(value, numerator, denominator)


def _looked_after(delivery: Path, month_end: pd.Timestamp) -> dict[str, Figure]:
    """Children looked after at the month end from the 903 episodes of the current year's file (it holds every
    episode open during the year), excluding short breaks; their age from the header."""
    episodes = pd.read_csv(next((delivery / "903").glob("*-[0-9][0-9]_episodes.csv")), dtype=str)
    header = pd.read_csv(next((delivery / "903").glob("*-[0-9][0-9]_header.csv")), dtype=str)
    episodes["start"] = pd.to_datetime(episodes["DECOM"], format="%d/%m/%Y")
    episodes["end"] = pd.to_datetime(episodes["DEC"], format="%d/%m/%Y")
    open_now = episodes[
        (episodes["start"] <= month_end)
        & (episodes["end"].isna() | (episodes["end"] > month_end))
        & ~episodes["LS"].isin(SHORT_BREAKS)
    ]
    current = open_now.sort_values("start").groupby("CHILD").tail(1).merge(header[["CHILD", "DOB"]], on="CHILD")
    born = pd.to_datetime(current["DOB"], format="%d/%m/%Y")
    month, day = born.dt.month, born.dt.day
    had_birthday = (month < month_end.month) | ((month == month_end.month) & (day <= month_end.day))
    age = month_end.year - born.dt.year - (~had_birthday).astype(int)
    fostered = current["PLACE"].isin(FOSTER_PLACEMENTS)
    in_house = fostered & (current["PLACE_PROVIDER"] == IN_HOUSE_PROVIDER)
    children = len(current)
    return {
        "s_cla_count": Figure(float(children), float(children), None),
        "s_cla_16plus_pct": _percentage(int((age >= 16).sum()), children),
        "b24_inhouse_foster_pct": _percentage(int(in_house.sum()), children),
        "b24b_inhouse_share_of_fostered": _percentage(int(in_house.sum()), int(fostered.sum())),
    }


def _frontline_agency(delivery: Path, month_end: pd.Timestamp) -> Figure:
    """Agency FTE of the filled frontline FTE at the month end: employees and agency assignments held that day,
    frontline when their funded post is case-holding (an agency worker without a post: by role)."""
    hr = delivery / "hr"
    posts = pd.read_csv(hr / "hr_post.csv", dtype=str)
    employees = pd.read_csv(hr / "hr_employee.csv", dtype=str).assign(agency=False, role=None)
    agency = pd.read_csv(hr / "hr_agency_assignment.csv", dtype=str).assign(agency=True)
    held = pd.concat([employees, agency], ignore_index=True)
    held = held[_open_on(held, "start_date", "end_date", month_end)]
    posts = posts[_open_on(posts, "funded_from", "funded_to", month_end)]
    held = held.merge(posts[["post_id", "frontline_case_holding"]], on="post_id", how="left")
    frontline = held["frontline_case_holding"].eq("Y") | (
        held["frontline_case_holding"].isna() & held["agency"] & held["role"].isin(AGENCY_FRONTLINE_ROLES)
    )
    fte = held.loc[frontline, "fte"].astype(float)
    agency_fte = fte[held.loc[frontline, "agency"]].sum()
    return _percentage(round(float(agency_fte), 6), round(float(fte.sum()), 6))


def _open_on(frame: pd.DataFrame, start: str, end: str, day: pd.Timestamp) -> pd.Series:
    started = pd.to_datetime(frame[start], format="%Y-%m-%d") <= day
    ended = pd.to_datetime(frame[end], format="%Y-%m-%d")
    return started & (ended.isna() | (ended >= day))


def warehouse_indicators(warehouse: Path, as_of: date) -> dict[str, dict[str, Figure]]:
    """The same indicators as published by the warehouse (pub_tsg_dataset, company grain, the month end)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        schema = connection.execute(
            "select table_schema from information_schema.tables where table_name = 'pub_tsg_dataset'"
        ).fetchone()[0]
        rows = connection.execute(
            f'select la_code, kpi_id, value, numerator, denominator from "{schema}".pub_tsg_dataset '
            "where grain = 'company' and period_end = ? and kpi_id in ?",
            [as_of, list(INDICATORS)],
        ).fetchall()
    figures: dict[str, dict[str, Figure]] = {}
    for la_code, kpi_id, value, numerator, denominator in rows:
        figures.setdefault(la_code, {})[kpi_id] = Figure(
            None if value is None else float(value),
            float(numerator or 0),
            None if denominator is None else float(denominator),
        )
    return figures
