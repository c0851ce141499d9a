"""Delivery-level rules, checked once every file of a monthly delivery has been extracted (input contract §0.3 F09,
§0.8 W06, §1.1.2).

A file's own task cannot see the other files of its delivery, so these rules run in one pass per delivery
(`inbound/<la>/<YYYY-MM>/`) over what has landed: `extract_all` calls it after the files, and a DAG runs it as its
own task after the mapped per-file tasks. It reads only the landing area (and the delivery's manifest), and writes
the same bytes for the same inputs, so it can be re-run at will.

* W06 (903): a child-level row (Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing,
  SWEpisodes, DoLo) whose CHILD is in none of the delivery's landed Header rows is an orphan; a row whose DOB differs
  from its child's Header.DOB is a mismatch (Header wins downstream). Rows are kept: the warnings go to
  `landing/_warnings/delivery-<la>-<month>.parquet` (the file is removed when there are none). Nothing is checked
  when no Header of the delivery has landed: the mandatory-input check stops such a month anyway.
* F09: a file the manifest lists that is absent from the delivery gets a ledger row (outcome `rejected`, load id
  `missing-<hash of its path, LA and month>`) and a file quarantine line; once the file arrives, the next pass
  removes both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract import landing
from extract.delivery import LA_CODE, MANIFEST, MONTH, collection_year_containing, period_end, read_manifest
from extract.tables import TABLES

WARNINGS_PREFIX = "delivery"
MISSING_PREFIX = "missing"
_HEADER = next(spec for spec in TABLES if spec.name == "Header")
_CHILD_TABLES = tuple(spec for spec in TABLES if spec is not _HEADER)


@dataclass
class DeliveryCheck:
    """What the pass found: W06 warnings written, and the F09 ledger rows of listed files that are absent."""

    warnings: int = 0
    missing: list[dict] = field(default_factory=list)  # ledger rows (FileOutcome fields) of the absent files


def delivery_warnings_path(landing_dir: Path, la_code: str, reporting_month: str) -> Path:
    return Path(landing_dir) / "_warnings" / f"{WARNINGS_PREFIX}-{la_code}-{reporting_month}.parquet"


def check_delivery_consistency(
    inbound_dir: Path, landing_dir: Path, la_code: str, reporting_month: str
) -> DeliveryCheck:
    """Run the delivery-level rules (module docstring) for the delivery `inbound/<la_code>/<reporting_month>/`."""
    inbound_dir, landing_dir = Path(inbound_dir), Path(landing_dir)
    check = DeliveryCheck(missing=_missing_listed_files(inbound_dir, landing_dir, la_code, reporting_month))
    records = _w06(landing_dir, la_code, reporting_month)
    path = delivery_warnings_path(landing_dir, la_code, reporting_month)
    if records:
        landing.write_issue_records(path, records)
    else:
        landing.remove(path)
    check.warnings = len(records)
    return check


def _w06(landing_dir: Path, la_code: str, month: str) -> list[dict]:
    prefix = f"{la_code}/{month}/903/"
    headers = _landed(landing_dir, _HEADER.table, la_code, month, prefix, ["child", "dob"])
    if headers is None:
        return []
    header_dobs: dict[str, set] = {}
    for child, dob in zip(headers["child"], headers["dob"], strict=True):
        header_dobs.setdefault(child, set()).add(dob)
    records = []
    for spec in _CHILD_TABLES:
        has_dob = any(column.name == "DOB" for column in spec.columns)
        rows = _landed(landing_dir, spec.table, la_code, month, prefix, ["child", "dob"] if has_dob else ["child"])
        if rows is None:
            continue
        dobs = rows["dob"] if has_dob else [None] * len(rows["child"])
        for index, (child, dob) in enumerate(zip(rows["child"], dobs, strict=True)):
            where = {
                "load_id": rows["load_id"][index],
                "table_name": spec.table,
                "source_file": rows["source_file"][index],
                "source_row": rows["source_row"][index],
            }
            known = header_dobs.get(child)
            if known is None:
                message = f"CHILD is not in the delivery's Header: {spec.name} row kept as an orphan"
                records.append(_record(la_code, month, where, "CHILD", child, message))
            elif dob is not None and None not in known and dob not in known:
                message = f"DOB differs from Header.DOB for this CHILD: row kept, Header's DOB wins ({spec.name})"
                records.append(_record(la_code, month, where, "DOB", f"{dob:%d/%m/%Y}", message))
    records.sort(key=lambda record: (record["source_file"], record["source_row"], record["field"]))
    return records


def _landed(landing_dir: Path, folder: str, la_code: str, month: str, prefix: str, columns: list[str]) -> dict | None:
    """The landed rows of one 903 table from the live loads of this delivery, as lists by column; None when no
    load of the delivery is live."""
    wanted = [*columns, "load_id", "source_file", "source_row"]
    found: dict[str, list] | None = None
    for load_id in landing.live_load_ids(landing_dir, "ssda903", folder, la_code):
        table = pq.read_table(landing.landed_path(landing_dir, "ssda903", folder, la_code, load_id), columns=wanted)
        table = table.filter(pc.starts_with(table["source_file"], prefix))
        if table.num_rows == 0 and not _is_delivery_load(landing_dir, load_id, la_code, month, prefix):
            continue
        found = found or {name: [] for name in wanted}
        for name in wanted:
            found[name].extend(table[name].to_pylist())
    return found


def _is_delivery_load(landing_dir: Path, load_id: str, la_code: str, month: str, prefix: str) -> bool:
    """An empty landed load (header only) still belongs to the delivery when its ledger row says so."""
    entry = landing.read_ledger(landing_dir, load_id)
    return bool(entry) and entry["la_code"] == la_code and entry["source_file"].startswith(prefix)


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
        if (inbound_dir / in_inbound).is_file():
            landing.remove(landing.ledger_path(landing_dir, load_id))
            landing.remove(quarantine)
            continue
        table = entry.get("table") if isinstance(entry.get("table"), str) else None
        message = f"{in_inbound}: F09 listed in the delivery manifest but absent from the delivery"
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
