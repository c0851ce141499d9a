"""Delivery-level rules, checked once every file of a monthly delivery has been extracted (input contract §0.3 F09,
§0.4 parts, §0.8 W06, §1.1.1, §1.1.2, §6 X1 and X3).

A file's own task cannot see the other files of its delivery, so these rules run in one pass per delivery
(`inbound/<la>/<YYYY-MM>/`) over what has landed: `extract_all` calls it after the files, and a DAG runs it as its
own task after the mapped per-file tasks. It reads only the landing area (and the delivery's manifest), and writes
the same bytes for the same inputs, so it can be re-run at will. In order:

* Parts (`extract.parts`): duplicate keys across the files of one table (`_partNN` files, two 903 files of one
  table and year) are W01 / R03 as inside one file; the rows are taken out of their file's landed Parquet into
  `landing/_quarantine/rows/delivery-<la>-<month>.parquet`, and the file's ledger counts follow.
* W06 (903): a child-level row (Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing,
  SWEpisodes, DoLo) whose CHILD is in none of the delivery's landed Header rows is an orphan; a row whose DOB differs
  from its child's Header.DOB is a mismatch (Header wins downstream). Nothing is checked when no Header of the
  delivery has landed: the mandatory-input check stops such a month anyway.
* W06 across families (`extract.orphans`, X1 and X3): child ids of the SSD, local and finance tables against the
  delivery's ssd_person, Header and CIN children; worker ids against ssd_professionals; team ids against
  ssd_department.
* X1 gate: when more than 2 % of the landed rows of a mandatory table (`extract.mandatory`) have an orphan child id,
  the pass returns a `gated` outcome for it, which the mandatory-input check treats like F07.
* The LA-level reference folder (`inbound/<la>/ref/`) has no month; only the parts rule applies to it
  (`check_la_reference`).
* F09: a file the manifest lists that is absent from the delivery gets a ledger row (outcome `rejected`, load id
  `missing-<hash of its path, LA and month>`) and a file quarantine line; once the file arrives, the next pass
  removes both.

W06 rows are kept: the warnings go to `landing/_warnings/delivery-<la>-<month>.parquet`. Each delivery-level file is
removed when the pass finds nothing for it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extract import landing
from extract.delivery import LA_CODE, MANIFEST, MONTH, collection_year_containing, period_end, read_manifest
from extract.delivery_landing import Load, delivery_loads, load_batches, table_ref
from extract.mandatory import GATED, ORPHAN_RATE_LIMIT, is_mandatory
from extract.orphans import check_orphans
from extract.parts import resolve_parts
from extract.tables import TABLES, TableSpec

WARNINGS_PREFIX = "delivery"
MISSING_PREFIX = "missing"
_HEADER = next(spec for spec in TABLES if spec.name == "Header")
_CHILD_TABLES = tuple(spec for spec in TABLES if spec is not _HEADER)


@dataclass
class DeliveryCheck:
    """What the pass found: W06 warnings and rows quarantined across parts (counts), the F09 ledger rows of listed
    files that are absent, the ledger rows the parts rule rewrote, and `gated` outcomes (X1)."""

    warnings: int = 0
    quarantined: int = 0
    missing: list[dict] = field(default_factory=list)  # ledger rows (FileOutcome fields) of the absent files
    ledger: dict[str, dict] = field(default_factory=dict)  # load id -> ledger row rewritten by the parts rule
    gated: list[dict] = field(default_factory=list)  # FileOutcome fields of mandatory tables over the X1 limit


def delivery_warnings_path(landing_dir: Path, la_code: str, reporting_month: str) -> Path:
    return Path(landing_dir) / "_warnings" / f"{WARNINGS_PREFIX}-{la_code}-{reporting_month}.parquet"


def delivery_quarantine_path(landing_dir: Path, la_code: str, reporting_month: str) -> Path:
    return Path(landing_dir) / "_quarantine" / "rows" / f"{WARNINGS_PREFIX}-{la_code}-{reporting_month}.parquet"


def check_delivery_consistency(
    inbound_dir: Path, landing_dir: Path, la_code: str, reporting_month: str
) -> DeliveryCheck:
    """Run the delivery-level rules (module docstring) for the delivery `inbound/<la_code>/<reporting_month>/`."""
    inbound_dir, landing_dir = Path(inbound_dir), Path(landing_dir)
    check = DeliveryCheck(missing=_missing_listed_files(inbound_dir, landing_dir, la_code, reporting_month))
    parts = resolve_parts(landing_dir, la_code, reporting_month)
    check.ledger, check.quarantined = parts.ledger, len(parts.quarantine)
    _write_or_remove(delivery_quarantine_path(landing_dir, la_code, reporting_month), parts.quarantine)
    records, orphan_rows = _w06(landing_dir, la_code, reporting_month)
    orphans = check_orphans(landing_dir, la_code, reporting_month)
    records.extend(orphans.warnings)
    records.sort(key=lambda record: (record["source_file"], record["source_row"], record["field"]))
    _write_or_remove(delivery_warnings_path(landing_dir, la_code, reporting_month), records)
    check.warnings = len(records)
    rates = {**orphan_rows, **{key: (orphans.child_orphan_rows[key], rows) for key, rows in orphans.rows.items()}}
    check.gated = _gated(landing_dir, la_code, reporting_month, rates)
    return check


def check_la_reference(landing_dir: Path, la_code: str) -> DeliveryCheck:
    """The parts rule for the LA-level reference folder `inbound/<la_code>/ref/` (no month: no other rule applies)."""
    landing_dir = Path(landing_dir)
    parts = resolve_parts(landing_dir, la_code, "ref")
    _write_or_remove(delivery_quarantine_path(landing_dir, la_code, "ref"), parts.quarantine)
    return DeliveryCheck(quarantined=len(parts.quarantine), ledger=parts.ledger)


def la_reference_folders(inbound_dir: Path) -> list[str]:
    """LA codes with an LA-level reference folder `inbound/<la>/ref/`, sorted."""
    inbound_dir = Path(inbound_dir)
    if not inbound_dir.is_dir():
        return []
    return sorted(la.name for la in inbound_dir.iterdir() if LA_CODE.match(la.name) and (la / "ref").is_dir())


def _write_or_remove(path: Path, records: list[dict]) -> None:
    if records:
        landing.write_issue_records(path, records)
    else:
        landing.remove(path)


def _w06(landing_dir: Path, la_code: str, month: str) -> tuple[list[dict], dict[tuple[str, str], tuple[int, int]]]:
    """The 903 W06 records, and per table (family, table name) its rows with an orphan CHILD and its landed rows."""
    header_loads = _loads(landing_dir, _HEADER.table, la_code, month)
    if not header_loads:
        return [], {}
    header_dobs: dict[str, set] = {}
    for batch in load_batches(header_loads, ["child", "dob"], meta=False):
        for child, dob in zip(batch.column("child").to_pylist(), batch.column("dob").to_pylist(), strict=True):
            header_dobs.setdefault(child, set()).add(dob)
    records = []
    rates = {}
    for spec in _CHILD_TABLES:
        loads = _loads(landing_dir, spec.table, la_code, month)
        if not loads:  # an empty load (header only) still counts
            continue
        has_dob = any(column.name == "DOB" for column in spec.columns)
        orphans = landed = 0
        for batch in load_batches(loads, ["child", "dob"] if has_dob else ["child"]):
            rows = {name: batch.column(name).to_pylist() for name in batch.schema.names}
            dobs = rows["dob"] if has_dob else [None] * batch.num_rows
            landed += batch.num_rows
            for index, (child, dob) in enumerate(zip(rows["child"], dobs, strict=True)):
                known = header_dobs.get(child)
                if known is None:
                    orphans += 1
                    message = f"CHILD is not in the delivery's Header: {spec.name} row kept as an orphan"
                    records.append(_record(la_code, month, _where(rows, index, spec), "CHILD", child, message))
                elif dob is not None and None not in known and dob not in known:
                    message = f"DOB differs from Header.DOB for this CHILD: row kept, Header's DOB wins ({spec.name})"
                    where = _where(rows, index, spec)
                    records.append(_record(la_code, month, where, "DOB", f"{dob:%d/%m/%Y}", message))
        rates[("ssda903", spec.table)] = (orphans, landed)
    return records, rates


def _loads(landing_dir: Path, folder: str, la_code: str, month: str) -> list[Load]:
    """The live loads of one 903 table in this delivery."""
    return delivery_loads(landing_dir, table_ref("ssda903", folder), la_code, month)


def _where(rows: dict[str, list], index: int, spec: TableSpec) -> dict:
    return {
        "load_id": rows["load_id"][index],
        "table_name": spec.table,
        "source_file": rows["source_file"][index],
        "source_row": rows["source_row"][index],
    }


def _gated(landing_dir: Path, la_code: str, month: str, rates: dict[tuple[str, str], tuple[int, int]]) -> list[dict]:
    """X1: a mandatory table of the delivery with more than 2 % of its landed rows orphans is gated like F07."""
    gated = []
    for (family, table_name), (orphans, rows) in sorted(rates.items()):
        if not (is_mandatory(family, table_name) and rows and orphans > ORPHAN_RATE_LIMIT * rows):
            continue
        first = delivery_loads(landing_dir, table_ref(family, table_name), la_code, month)[0].entry
        message = (
            f"{la_code}/{month}: X1 {orphans} of {rows} landed {table_name} rows ({100 * orphans / rows:.1f} %, more "
            f"than 2 %) have a child id the delivery does not know (W06 in "
            f"{delivery_warnings_path(landing_dir, la_code, month).name}): treated like F07 for gating"
        )
        gated.append(
            {
                "load_id": first["load_id"],
                "source_file": first["source_file"],
                "la_code": la_code,
                "reporting_month": month,
                "collection_year": first["collection_year"],
                "table_name": table_name,
                "outcome": GATED,
                "rows_read": rows,
                "rows_landed": rows,
                "rows_quarantined": 0,
                "message": message,
            }
        )
    return gated


def _record(la_code: str, month: str, where: dict, field_name: str, raw: str, message: str) -> dict:
    """A warning row; CHILD and DOB are personal: only the hash of the raw value is kept."""
    return {
        "load_id": where["load_id"],
        "la_code": la_code,
        "reporting_month": month,
        "table_name": where["table_name"],
        "source_file": where["source_file"],
        "source_row": where["source_row"],
        "field": field_name,
        "value": None,
        "value_hash": hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        "rule_code": "W06",
        "message": message,
    }


def _missing_listed_files(inbound_dir: Path, landing_dir: Path, la_code: str, month: str) -> list[dict]:
    """F09 ledger rows for the manifest's files[] entries absent from the delivery; stale ones are removed."""
    delivery_dir = inbound_dir / la_code / month
    manifest, problem = read_manifest(delivery_dir / MANIFEST, la_code, month, period_end(month))
    if manifest is None or problem or not manifest.get("files"):
        return []
    year = manifest.get("collection_year") or collection_year_containing(period_end(month))
    rows = []
    for entry in manifest["files"]:
        listed = str(entry.get("path", "")).removeprefix("./")
        in_inbound = listed if listed.startswith(f"{la_code}/{month}/") else f"{la_code}/{month}/{listed}"
        load_id = _missing_load_id(in_inbound)
        quarantine = landing_dir / "_quarantine" / "files" / f"{load_id}.json"
        if _is_file(inbound_dir / in_inbound):
            landing.remove(landing.ledger_path(landing_dir, load_id))
            landing.remove(quarantine)
            continue
        table = entry.get("table") if isinstance(entry.get("table"), str) else None
        message = landing.one_line(f"{in_inbound}: F09 listed in the delivery manifest but absent from the delivery")
        row = {
            "load_id": load_id,
            "la_code": la_code,
            "reporting_month": month,
            "collection_year": year,
            "table_name": table,
            "source_file": in_inbound,
            "sha256": str(entry.get("sha256", "")).lower() or None,
            "bytes": 0,
            "rows_read": 0,
            "rows_landed": 0,
            "rows_quarantined": 0,
            "outcome": "rejected",
            "message": message,
        }
        if landing.read_ledger(landing_dir, load_id) != row:  # unchanged: not rewritten
            landing.write_ledger(landing_dir, row)
            landing.write_file_quarantine(quarantine, in_inbound, "F09", message)
        rows.append(row)
    return rows


def _missing_load_id(source_file: str) -> str:
    return f"{MISSING_PREFIX}-{hashlib.sha256(source_file.encode('utf-8')).hexdigest()[:16]}"


def monthly_deliveries(inbound_dir: Path, as_of: date) -> list[tuple[str, str]]:
    """(la_code, month) of every monthly delivery folder up to `as_of`'s month, sorted."""
    inbound_dir = Path(inbound_dir)
    last = f"{as_of:%Y-%m}"
    if not inbound_dir.is_dir():
        return []
    return sorted(
        (la_dir.name, month_dir.name)
        for la_dir in inbound_dir.iterdir()
        if la_dir.is_dir() and LA_CODE.match(la_dir.name)
        for month_dir in la_dir.iterdir()
        if month_dir.is_dir() and MONTH.match(month_dir.name) and month_dir.name <= last
    )


def _is_file(path: Path) -> bool:
    """Whether a manifest-listed path is a delivered file; a path no file can have (too long a name) is not one."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
