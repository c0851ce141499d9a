"""Cross-family foreign keys of one delivery (input contract §6 X1 and X3, `W06`), read from the landed Parquet.

* X1: a child id used in a table of the SSD, local or finance family must be in at least one of the delivery's
  `ssd_person` (pers_person_id), 903 `Header` (CHILD) or CIN `ChildIdentifiers` (LAchildID). The child id columns are
  those of §0.9: SSD `*_person_id` (not `local_hr_person_id`, an HR number), local `person_id` (not in
  `local_staff_supervision`, where it is the HR id), finance `child_id`. HR `person_id` is the HR number, never a
  child. The 903 tables have their own, stricter rule (CHILD in the delivery's Header, `extract.consistency`), and
  every CIN record hangs off its own Child element, so neither is checked again here.
* X3: every `worker_id` / `*_worker_id` (and the columns the contract points at ssd_professionals:
  `invo_professional_id`, `clea_care_leaver_personal_advisor`) must be a `prof_professional_id` of the delivery's
  `ssd_professionals`; every team id (`team_id`, `*_team_id`, SSD `*_team`) a `dept_team_id` of its `ssd_department`.
* §4.1: every `post_id` of `hr_employee` (and of `hr_agency_assignment`, whose post_id the contract also points at
  hr_post; null there means supernumerary) must be a `post_id` of the delivery's `hr_post`.

A rule is checked only when its reference table has landed in the delivery (as the 903 rule needs a Header): without
`ssd_professionals` there is nothing to check worker ids against. Rows are kept; one W06 warning per orphan value,
with only the hash of the id. The checks are set look-ups (Arrow `is_in`) over a batch of rows at a time
(`delivery_landing.load_batches`), against the distinct ids of the reference tables; only orphan rows are visited one
by one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from extract.csv_families.registry import REGISTRY
from extract.csv_families.spec import TableSpec
from extract.delivery_landing import CIN_CHILD, LandedTableRef, delivery_loads, distinct_values, load_batches, table_ref

_PERSON, _PROFESSIONALS, _DEPARTMENT = "ssd_person", "ssd_professionals", "ssd_department"
_CHILD_SOURCES = (
    (table_ref("ssd", _PERSON), "pers_person_id"),
    (table_ref("ssda903", "header"), "child"),
    (CIN_CHILD, "lachildid"),
)
_WORKER_SOURCES = ((table_ref("ssd", _PROFESSIONALS), "prof_professional_id"),)
_TEAM_SOURCES = ((table_ref("ssd", _DEPARTMENT), "dept_team_id"),)
_POST_SOURCES = ((table_ref("hr", "hr_post"), "post_id"),)
_POST_LINKS = frozenset({"hr_employee", "hr_agency_assignment"})  # tables whose post_id points at hr_post
_KINDS = ("child", "worker", "team", "post")
_WORKER_LINKS = frozenset({"invo_professional_id", "clea_care_leaver_personal_advisor"})
_MESSAGES = {
    "child": "{column} is in none of the delivery's ssd_person, 903 Header or CIN ChildIdentifiers: row kept (X1)",
    "worker": "{column} is not a prof_professional_id of the delivery's ssd_professionals: row kept (X3)",
    "team": "{column} is not a dept_team_id of the delivery's ssd_department: row kept (X3)",
    "post": "{column} is not a post_id of the delivery's hr_post: row kept (§4.1)",
}


@dataclass
class OrphanCheck:
    warnings: list[dict] = field(default_factory=list)
    child_orphan_rows: Counter = field(default_factory=Counter)  # (family, table_name) -> rows with an X1 orphan
    rows: Counter = field(default_factory=Counter)  # (family, table_name) -> landed rows of the delivery


def id_columns(spec: TableSpec) -> dict[str, list[str]]:
    """The columns of a CSV-family table that hold child, worker, team and post ids (module docstring)."""
    found: dict[str, list[str]] = {kind: [] for kind in _KINDS}
    for column in spec.columns:
        name = column.name
        if column.type != "id":
            continue
        if _is_child(spec, name):
            found["child"].append(name)
        elif spec.name != _PROFESSIONALS and (
            name == "worker_id" or name.endswith("_worker_id") or name in _WORKER_LINKS
        ):
            found["worker"].append(name)
        elif spec.name != _DEPARTMENT and (name.endswith("team_id") or name.endswith("_team")):
            found["team"].append(name)
        elif spec.name in _POST_LINKS and name == "post_id":
            found["post"].append(name)
    return found


def _is_child(spec: TableSpec, name: str) -> bool:
    if spec.family == "ssd":
        return spec.name != _PERSON and name.endswith("_person_id") and name != "local_hr_person_id"
    if spec.family == "local":
        return name == "person_id" and spec.name != "local_staff_supervision"
    return spec.family == "fin" and name == "child_id"


_CHECKED = tuple((spec, id_columns(spec)) for spec in REGISTRY.tables if spec.family in ("ssd", "local", "hr", "fin"))


def check_orphans(landing_dir: Path, la_code: str, month: str) -> OrphanCheck:
    check = OrphanCheck()
    known = {
        "child": _known(landing_dir, la_code, month, _CHILD_SOURCES),
        "worker": _known(landing_dir, la_code, month, _WORKER_SOURCES),
        "team": _known(landing_dir, la_code, month, _TEAM_SOURCES),
        "post": _known(landing_dir, la_code, month, _POST_SOURCES),
    }
    for spec, columns in _CHECKED:
        kinds = [kind for kind in _KINDS if columns[kind] and known[kind] is not None]
        if not kinds:
            continue
        loads = delivery_loads(landing_dir, table_ref(spec.family, spec.name), la_code, month)
        if not loads:
            continue
        key = (spec.family, spec.name)
        check.rows[key] += 0  # a table of no row still counts as landed
        found: dict[str, list[dict]] = {name: [] for kind in kinds for name in columns[kind]}  # column order
        for batch in load_batches(loads, list(found)):
            check.rows[key] += batch.num_rows
            orphan_child = pa.array([False] * batch.num_rows, type=pa.bool_())
            for kind in kinds:
                for name in columns[kind]:
                    values = batch.column(name)
                    orphan = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known[kind])))
                    if kind == "child":
                        orphan_child = pc.or_(orphan_child, orphan)
                    if pc.any(orphan).as_py():
                        found[name].extend(_records(batch.filter(orphan), spec.name, name, kind, la_code, month))
            check.child_orphan_rows[key] += pc.sum(pc.cast(orphan_child, pa.int64())).as_py() or 0
        for records in found.values():  # each column's warnings in row order, as over the whole table
            check.warnings.extend(records)
    return check


def _known(
    landing_dir: Path, la_code: str, month: str, sources: tuple[tuple[LandedTableRef, str], ...]
) -> pa.Array | None:
    """The distinct ids of the delivery's reference tables, or None when none of them has landed (nothing to
    check)."""
    found = None
    for ref, column in sources:
        loads = delivery_loads(landing_dir, ref, la_code, month)
        if not loads:
            continue
        ids = distinct_values(loads, column)
        found = ids if found is None else pc.unique(pa.concat_arrays([found, ids]))
    return found


def _records(orphans: pa.RecordBatch, table_name: str, column: str, kind: str, la_code: str, month: str) -> list[dict]:
    message = _MESSAGES[kind].format(column=column)
    return [
        {
            "load_id": load_id,
            "la_code": la_code,
            "reporting_month": month,
            "table_name": table_name,
            "source_file": source_file,
            "source_row": source_row,
            "field": column,
            "value": None,  # ids are personal: only the hash is kept
            "value_hash": hashlib.sha256(value.encode("utf-8")).hexdigest(),
            "rule_code": "W06",
            "message": message,
        }
        for value, load_id, source_file, source_row in zip(
            orphans[column].to_pylist(),
            orphans["load_id"].to_pylist(),
            orphans["source_file"].to_pylist(),
            orphans["source_row"].to_pylist(),
            strict=True,
        )
    ]
