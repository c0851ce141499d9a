"""Cut the 903 tables beyond Header and Episodes for one file (collection year, as_at date) and write them.

DfE scope (input contract §1.1.3): Reviews and Missing dated in the window (1 April to as_at), SWEpisodes open in
it, UASC rows for the file's children; OC2, OC3, AD1, PlacedAdoption and PrevPerm as the case system produces them
for the year so far. Only children with an episode in the file get rows, except OC3 care leavers (who also get a
Header row: pass `oc3_leaver_ids` to `cut_903`). Dates after the as_at date are not known yet and show blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from synth.calendar import anniversary, collection_year_bounds, dmy
from synth.extracts import EPISODE_COLUMNS, HEADER_COLUMNS, cut_903
from synth.population import Child
from synth.reference.la import dfe_la_number
from synth.ssda903.lives import ChildLives
from synth.ssda903.outcomes import oc2_row_values, oc3_birthday_of_former, oc3_values
from synth.ssda903.periods import SHORT_BREAK
from synth.ssda903.permanence import prev_perm
from synth.writer import write_csv

# table (manifest name, as extract lands it) -> exact DfE column set, in the DfE order (input contract §1.1.1)
COLUMNS: dict[str, tuple[str, ...]] = {
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "oc2": (
        *("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK"),
        *("HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    ),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "placed_adoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "prev_perm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "sw_episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "dolo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
# First schema year (the collection year's end year) of the tables that have not always existed.
FIRST_SCHEMA_YEAR = {"sw_episodes": 2024, "dolo": 2027}
_NUMERIC_SEX = {"M": "1", "F": "2"}


def tables_for_year(cy: str) -> list[str]:
    """The extra 903 tables collected in collection year `cy`, in file-writing order."""
    schema_year = int(cy[:4]) + 1
    return [table for table in COLUMNS if schema_year >= FIRST_SCHEMA_YEAR.get(table, 0)]


def _in_file(child: Child, first: int, as_at: int) -> bool:
    """The child has an episode (other than a short break) in the file: open at some time from `first` to `as_at`."""
    return any(e.decom <= as_at and e.dec >= first and e.ls not in SHORT_BREAK for e in child.episodes)


def _shown(day: int | None, as_at: int) -> str:
    """A date the file knows (blank when it is still in the future at the as_at date)."""
    return dmy(day) if day is not None and day <= as_at else ""


def _oc3_birthdays(children: Sequence[Child], lives: ChildLives, first: int, until: int) -> dict[str, tuple[int, int]]:
    """child id -> (age, birthday) of the OC3 care leavers with a birthday in `first`..`until`."""
    birthdays = {}
    for child in children:
        if lives.former_relevant(child):
            birthday = oc3_birthday_of_former(child, lives.periods(child), first, until)
            if birthday is not None:
                birthdays[child.child_id] = birthday
    return birthdays


def oc3_leaver_ids(children: Sequence[Child], cy: str, as_at: date, lives: ChildLives | None = None) -> set[str]:
    """Ids of the care leavers in the `cy` OC3 table as at `as_at` (they need Header rows)."""
    first, last = (day.toordinal() for day in collection_year_bounds(cy))
    lives = lives or ChildLives(0, "")  # care periods only: no seed needed
    return set(_oc3_birthdays(children, lives, first, min(last, as_at.toordinal())))


def cut_903_extra_tables(
    children: Sequence[Child], la_code: str, cy: str, as_at_date: date, seed: int, lives: ChildLives | None = None
) -> dict[str, list[list[str]]]:
    """The rows of every extra 903 table of the `cy` file as at `as_at_date`, sorted by CHILD then date. `lives`:
    the organisation's per-child records (seed and la_code must match), shared between the files it cuts."""
    first, last = (day.toordinal() for day in collection_year_bounds(cy))
    as_at = as_at_date.toordinal()
    schema_year = int(cy[:4]) + 1
    tables = tables_for_year(cy)
    rows: dict[str, list[list[str]]] = {table: [] for table in tables}
    lives = lives or ChildLives(seed, la_code)
    la_number = dfe_la_number(la_code)
    birthdays = _oc3_birthdays(children, lives, first, min(last, as_at))
    for child in children:
        dob = dmy(child.dob)
        key = [child.child_id, dob]
        birthday = birthdays.get(child.child_id)
        if birthday is not None:
            rows["oc3"].append([*key, *oc3_values(child, seed, la_code, birthday[0], schema_year)])
        if not _in_file(child, first, as_at):
            if any(e.rne == "S" and first <= e.decom <= as_at for e in child.episodes):
                rows["prev_perm"].append([*key, "Z1", "", ""])  # short breaks start with RNE S too (rule 630)
            continue
        periods = lives.periods(child)
        for day, code in lives.reviews(child):
            if first <= day <= as_at:
                rows["reviews"].append([*key, dmy(day), code])
        if child.uasc:
            sex = _NUMERIC_SEX[child.sex] if schema_year <= 2024 else child.sex
            rows["uasc"].append([child.child_id, sex, dob, dmy(anniversary(child.dob, 18))])
        oc2 = oc2_row_values(child, seed, la_code, first, last, as_at, periods)
        if oc2 is not None:
            rows["oc2"].append([*key, *oc2])
        for decision in lives.adoption_decisions(child):
            if decision.decided > as_at or (decision.ceased is not None and decision.ceased < first):
                continue
            ceased = _shown(decision.ceased, as_at)
            rows["placed_adoption"].append([*key, dmy(decision.decided), ceased, decision.reason if ceased else ""])
            if decision.adopted is not None and first <= decision.adopted <= as_at:
                number, sex, status = decision.adopters
                foster = "1" if decision.by_foster_carer else "0"
                rows["ad1"].append([*key, dmy(decision.decided), dmy(decision.matched), foster, number, sex, status])
        started = [index for index, period in enumerate(periods) if first <= period.start <= as_at]
        if started:
            index = started[-1]
            previous = periods[index - 1] if index else None
            rows["prev_perm"].append([*key, *prev_perm(child, seed, la_code, periods[index], previous, la_number)])
        for code, start, end in lives.missing(child):
            if start <= as_at and end >= first:
                rows["missing"].append([*key, code, dmy(start), _shown(end, as_at)])
        if "sw_episodes" in rows:
            for worker, start, end, reason in lives.social_workers(child):
                if start <= as_at and (end is None or end >= first):
                    rows["sw_episodes"].append([*key, worker, dmy(start), _shown(end, as_at), reason])
        if "dolo" in rows:
            for start, end in lives.dolos(child):
                if start <= as_at and (end is None or end >= first):
                    rows["dolo"].append([*key, dmy(start), _shown(end, as_at)])
    return rows


def _file_name(la_code: str, cy: str, table: str) -> str:
    return f"{la_code}_903_{cy}_{table}.csv"


def write_903_extra_tables(
    folder: Path,
    la_code: str,
    cy: str,
    children: Sequence[Child],
    as_at: date,
    seed: int,
    lives: ChildLives | None = None,
) -> list[dict]:
    """Write the extra 903 tables of `cy` as at `as_at` into `folder`; return their manifest entries
    ({"path": "903/<file>", "table", "rows", "sha256"}). Header must list the OC3 leavers: see `write_903_year`."""
    entries = []
    for table, rows in cut_903_extra_tables(children, la_code, cy, as_at, seed, lives).items():
        name = _file_name(la_code, cy, table)
        facts = write_csv(Path(folder) / name, COLUMNS[table], rows)
        entries.append({"path": f"903/{name}", "table": table, **facts})
    return entries


def write_903_year(
    folder: Path,
    la_code: str,
    cy: str,
    children: Sequence[Child],
    as_at: date,
    seed: int,
    lives: ChildLives | None = None,
) -> list[dict]:
    """Write the whole 903 set of `cy` as at `as_at` (Header with the OC3 leavers, Episodes, the extra tables)
    into `folder`; return the manifest entries. Pass the same `lives` (ChildLives(seed, la_code)) to every year
    cut from one population: each child's records are then drawn once."""
    lives = lives or ChildLives(seed, la_code)
    headers, episodes = cut_903(list(children), cy, as_at, leavers=oc3_leaver_ids(children, cy, as_at, lives))
    entries = []
    for table, columns, rows in (("header", HEADER_COLUMNS, headers), ("episodes", EPISODE_COLUMNS, episodes)):
        name = _file_name(la_code, cy, table)
        entries.append({"path": f"903/{name}", "table": table, **write_csv(Path(folder) / name, columns, rows)})
    return entries + write_903_extra_tables(folder, la_code, cy, children, as_at, seed, lives)
