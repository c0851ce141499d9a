"""The HR exports (input contract §4.1) of each monthly delivery, cut from the simulated workforce.

Each delivery `inbound/<la>/<YYYY-MM>/hr/` is a full refresh of its window (§0.7): records overlapping the 72
months to the delivery's as_at_date (its period end), plus anything still open. What happens after as_at_date is
unknown to that delivery: later end dates show as blank, later records are absent.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from synth.calendar import add_months, month_end
from synth.workforce.establishment import agency_rate
from synth.workforce.pool import build_workforce
from synth.workforce.staffing import Spell, Workforce
from synth.writer import write_csv

WINDOW_MONTHS = 72
HR_COLUMNS: dict[str, tuple[str, ...]] = {
    "hr_post": (
        *("post_id", "funded_from", "funded_to", "cost_centre", "team_id", "job_title", "job_family"),
        *("frontline_case_holding", "grade", "budgeted_fte"),
    ),
    "hr_employee": (
        *("person_id", "worker_id", "post_id", "contract_type", "fte", "start_date", "end_date"),
        *("employment_start_date", "qualified_sw", "asye", "asye_completion_date", "overseas_recruit"),
    ),
    "hr_agency_assignment": (
        *("agency_assignment_id", "agency_worker_ref", "person_id", "worker_id", "agency_name", "post_id"),
        *("cost_centre", "team_id", "role", "fte", "start_date", "end_date", "charge_rate_hourly", "managed_team"),
    ),
    "hr_leaver": ("person_id", "leave_date", "post_id", "contract_type", "reason", "voluntary", "exit_interview_done"),
    "hr_absence": (
        *("absence_id", "person_id", "start_date", "end_date", "absence_type", "working_days_lost"),
        *("fte_at_time", "long_term"),
    ),
    "hr_appraisal": ("person_id", "appraisal_date", "valid_until"),
    "hr_training": ("person_id", "course_code", "completed_date"),
}


@lru_cache(maxsize=65536)
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def iso(ordinal: int | None) -> str:
    return "" if ordinal is None else _iso(ordinal)


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


def fy_start_year(ordinal: int) -> int:
    day = date.fromordinal(ordinal)
    return day.year if day.month >= 4 else day.year - 1


def charge_rate_hourly(spell: Spell, pay_inflation: float) -> float:
    """The agency worker's hourly charge rate, fixed at the rate card of the financial year the assignment began."""
    return round(agency_rate(spell.job_family, fy_start_year(spell.start), pay_inflation) * spell.charge_factor, 2)


def delivery_period_ends(as_of: date, months: int) -> list[date]:
    return [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]


def _in_window(start: int, end: int | None, first: int, as_at: int) -> bool:
    return start <= as_at and (end is None or end >= first)


def _known_end(end: int | None, as_at: int) -> int | None:
    return end if end is not None and end <= as_at else None


def appraisal_days(workforce: Workforce) -> dict[str, list[int]]:
    """Yearly appraisals of each employee spell from its first anniversary; about 1 in 7 is missed."""
    result: dict[str, list[int]] = {}
    for spell in workforce.spells:
        if spell.is_agency:
            continue
        rng = random.Random(f"{workforce.seed}|{workforce.la_code}|appraisal|{spell.spell_id}")
        day, last, held_days = spell.start + 365, workforce.horizon if spell.end is None else spell.end, []
        while day <= last:
            held = day + rng.randint(-20, 40)
            if rng.random() < 0.86 and held <= last:
                held_days.append(held)
            day += 365
        result[spell.spell_id] = held_days
    return result


def _training(spell: Spell, first: int, as_at: int) -> Iterable[list[str]]:
    """Staff College leadership programme for managers (second year in post), safeguarding level 3 for others."""
    last = as_at if spell.end is None else min(spell.end, as_at)
    if spell.job_family in ("TM", "ATM", "SM"):
        course, day = "STAFF_COLLEGE", spell.start + 400 + int(spell.spell_id[1:]) % 120
    else:
        course, day = "SAFEGUARDING_L3", spell.start + 60 + int(spell.spell_id[1:]) % 60
    if first <= day <= last:
        yield [spell.person_id, course, iso(day)]


def hr_tables(
    workforce: Workforce, as_at_date: date, appraisals: dict[str, list[int]] | None = None
) -> dict[str, list[list[str]]]:
    """The rows of every HR table as known on `as_at_date` (`appraisals`: appraisal_days(workforce), if at hand)."""
    appraisals = appraisal_days(workforce) if appraisals is None else appraisals
    as_at = as_at_date.toordinal()
    first = date(*add_months(as_at_date, -WINDOW_MONTHS), 1).toordinal()
    inflation = workforce.params.pay_inflation
    tables: dict[str, list[list[str]]] = {name: [] for name in HR_COLUMNS}
    for post in workforce.posts:
        if post.funded_from <= as_at:
            tables["hr_post"].append(
                [post.post_id, iso(post.funded_from), "", post.cost_centre, post.team_id, post.job_title,
                 post.job_family, yn(post.frontline_case_holding), post.grade, f"{post.budgeted_fte:.2f}"]
            )  # fmt: skip
    for spell in workforce.spells:
        if not _in_window(spell.start, spell.end, first, as_at):
            continue
        end = _known_end(spell.end, as_at)
        if spell.is_agency:
            converted = spell.converted_on is not None and spell.converted_on <= as_at
            tables["hr_agency_assignment"].append(
                [spell.spell_id, spell.agency_worker_ref, spell.converted_person_id if converted else "",
                 spell.worker_id, spell.agency_name, spell.post_id, spell.cost_centre, spell.team_id,
                 spell.job_family, f"{spell.fte:.2f}", iso(spell.start), iso(end),
                 f"{charge_rate_hourly(spell, inflation):.2f}", "N"]
            )  # fmt: skip
            continue
        completed = spell.asye_completion if spell.asye_completion and spell.asye_completion <= as_at else None
        tables["hr_employee"].append(
            [spell.person_id, spell.worker_id, spell.post_id, spell.kind, f"{spell.fte:.2f}", iso(spell.start),
             iso(end), iso(spell.employment_start), yn(spell.qualified_sw), yn(spell.asye), iso(completed),
             yn(spell.overseas)]
        )  # fmt: skip
        if end is not None and spell.leave_reason:
            tables["hr_leaver"].append(
                [spell.person_id, iso(end), spell.post_id, spell.kind, spell.leave_reason, yn(spell.voluntary),
                 yn(spell.exit_interview)]
            )  # fmt: skip
        tables["hr_appraisal"].extend(
            [spell.person_id, iso(held), iso(held + 365)]
            for held in appraisals[spell.spell_id]
            if first <= held <= as_at
        )
        tables["hr_training"].extend(_training(spell, first, as_at))
    for absence in workforce.absences:
        if not _in_window(absence.start, absence.end, first, as_at):
            continue
        ended = absence.end <= as_at
        tables["hr_absence"].append(
            [absence.absence_id, absence.person_id, iso(absence.start), iso(absence.end) if ended else "", "SICKNESS",
             f"{absence.working_days * absence.fte:.2f}" if ended else "", f"{absence.fte:.2f}",
             yn(absence.working_days > 20) if ended else ""]
        )  # fmt: skip
    for name in ("hr_employee", "hr_leaver", "hr_appraisal", "hr_training"):
        tables[name].sort()
    return tables


def write_tables(
    folder: Path, prefix: str, columns: dict[str, Sequence[str]], tables: dict[str, list[list[str]]]
) -> list[dict[str, object]]:
    """Write each table as `<folder>/<table>.csv`; manifest entries carry `<prefix>/<table>.csv` paths."""
    entries = []
    for name, header in columns.items():
        facts = write_csv(folder / f"{name}.csv", header, tables[name])
        entries.append({"path": f"{prefix}/{name}.csv", "table": name, **facts})
    return entries


def write_workforce_exports(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    months: int = 1,
    seed: int = 42,
    workforce: Workforce | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Write `hr/` of the `months` monthly deliveries ending at `as_of` for one organisation.

    Returns manifest entries ({path, table, rows, sha256}, path relative to the delivery folder) by delivery
    folder name (`YYYY-MM`). `workforce` defaults to `build_workforce(seed, la_code, as_of)`.
    """
    workforce = workforce or build_workforce(seed, la_code, as_of)
    appraisals = appraisal_days(workforce)
    manifest: dict[str, list[dict[str, object]]] = {}
    for period_end in delivery_period_ends(as_of, months):
        folder = Path(inbound_dir) / la_code / f"{period_end:%Y-%m}"
        tables = hr_tables(workforce, period_end, appraisals)
        manifest[f"{period_end:%Y-%m}"] = write_tables(folder / "hr", "hr", HR_COLUMNS, tables)
    return manifest
