"""Duplicate keys across the files of one table in one delivery (input contract §0.4 parts, §1.1.1, §0.8 R03/W01).

A table MAY come in several files of one delivery: `<table>_part<NN>.csv` for the CSV families, any two 903 files
with the same column set and collection year. Each file is its own load (its own task, ledger row and Parquet), and
its own checks find duplicates only inside it. The contract concatenates the files, so this delivery-level pass
applies the same two rules to the concatenation, for the keys held by more than one file:

* every row of the key equal once parsed (all landed columns): `W01`, the first row (in file then row order) is kept,
  the later ones are dropped;
* rows that differ: `R03`, every row of the key is rejected (in every file that holds it).

Decision: the rows are REMOVED, as inside one file, so the warehouse never sees a conflicting key. The pass rewrites
the live Parquet of each affected load without them (atomically: temporary file then rename), writes their findings
to `landing/_quarantine/rows/delivery-<la>-<YYYY-MM>.parquet` (file, row, field, value hash, rule, message, with the
load id of the file that held the row) and updates the load's ledger row, so conservation still holds per file:
`rows_read = rows_landed + rows_quarantined` (the message gains "parts of the table: N more quarantined (...)").
The removed rows themselves are kept, with the load's landed schema, in
`landing/_held/<family>/<table>/la_code=<la>/<load_id>.parquet`, which nothing downstream reads: the pass always
starts from each load's original rows (live + held), so when the other file is re-delivered without the conflict
(it supersedes its old load), the next pass puts the held rows back. A re-run with the same loads writes nothing.

These rows do not count towards the F07 share of their file: F07 is decided by the file's own task, and a file's
rows are not its fault when another file conflicts with them. CIN is one XML file per collection year; its records
have no delivered key of their own, so it has no parts. The LA-level reference folder (`<la>/ref/`, no month) is
checked the same way (`landing/_quarantine/rows/delivery-<la>-ref.parquet`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract import landing
from extract.delivery_landing import TABLE_REFS, LandedTableRef, Load, delivery_loads

HELD = "_held"
_NOTE = "parts of the table: "
_NOTE_PATTERN = re.compile(rf"(; )?{re.escape(_NOTE)}[^;]*")
_METADATA = frozenset(name for name, _type in landing.METADATA_FIELDS)


@dataclass
class PartsCheck:
    quarantine: list[dict] = field(default_factory=list)  # ISSUE_SCHEMA records, one per removed row
    ledger: dict[str, dict] = field(default_factory=dict)  # load id -> its rewritten ledger row


def held_path(landing_dir: Path, family: str, folder: str, la_code: str, load_id: str) -> Path:
    return landing_dir / HELD / family / folder / f"la_code={la_code}" / f"{load_id}.parquet"


def resolve_parts(landing_dir: Path, la_code: str, folder: str) -> PartsCheck:
    """Apply W01/R03 across the files of every table delivered in `<la_code>/<folder>/` (module docstring): a
    monthly delivery (`folder` = `YYYY-MM`), or the LA-level reference folder (`ref`), whose tables (an ONSPD
    extract) may come in parts as well."""
    check = PartsCheck()
    for ref in TABLE_REFS:
        if folder == "ref" and ref.family != "ref":
            continue
        loads = delivery_loads(landing_dir, ref, la_code, folder)
        if not loads:
            continue
        if len(loads) == 1 and not held_path(landing_dir, ref.family, ref.folder, la_code, loads[0].load_id).is_file():
            continue  # one file and nothing held back: nothing to do (the usual case, no Parquet read)
        groups: dict[str | None, list[Load]] = defaultdict(list)
        for load in loads:  # 903: files of one table are concatenated per collection year (§1.1.1)
            groups[load.entry["collection_year"]].append(load)
        for group in groups.values():
            _resolve_group(landing_dir, ref, la_code, group, check)
    check.quarantine.sort(key=lambda record: (record["source_file"], record["source_row"]))
    return check


def _resolve_group(landing_dir: Path, ref: LandedTableRef, la_code: str, loads: list[Load], check: PartsCheck) -> None:
    held = [held_path(landing_dir, ref.family, ref.folder, la_code, load.load_id) for load in loads]
    originals = [_original(load.path, path) for load, path in zip(loads, held, strict=True)]
    removed, records = _findings(ref, loads, originals) if len(loads) > 1 else ([set() for _ in loads], [])
    check.quarantine.extend(records)
    for load, original, held_file, drop in zip(loads, originals, held, removed, strict=True):
        rows = original["source_row"].to_pylist()
        keep = pa.array([row not in drop for row in rows], type=pa.bool_())
        kept, taken = original.filter(keep), original.filter(pc.invert(keep))
        live_rows = landing.read_columns(load.path, ["source_row"])["source_row"].to_pylist()
        if live_rows != kept["source_row"].to_pylist():
            if taken.num_rows:  # held first: a crash before the live rewrite loses nothing (live + held = original)
                _write(taken, held_file)
            _write(kept, load.path)
        if not taken.num_rows:
            landing.remove(held_file)
        entry = _ledger_row(load.entry, kept.num_rows, [r for r in records if r["load_id"] == load.load_id])
        if entry != load.entry:
            landing.write_ledger(landing_dir, entry)
            check.ledger[load.load_id] = entry


def _original(live: Path, held: Path) -> pa.Table:
    """The rows the load's own task landed: the live rows and any rows this pass held back, in source-row order."""
    table = pq.read_table(live)
    if not held.is_file():
        return table
    back = pq.read_table(held).cast(table.schema)
    back = back.filter(pc.invert(pc.is_in(back["source_row"], value_set=table["source_row"])))
    combined = pa.concat_tables([table, back])
    return combined.take(pc.sort_indices(combined, sort_keys=[("source_row", "ascending")]))


def _findings(ref: LandedTableRef, loads: list[Load], originals: list[pa.Table]) -> tuple[list[set[int]], list[dict]]:
    """The source rows to remove from each load, and their quarantine records."""
    data_columns = [name for name in originals[0].column_names if name not in _METADATA]
    keys_of = [list(zip(*(table[name].to_pylist() for name in ref.pk), strict=True)) for table in originals]
    seen: Counter = Counter()
    for keys in keys_of:
        seen.update(set(keys))
    shared = {key for key, count in seen.items() if count > 1}
    removed: list[set[int]] = [set() for _ in loads]
    records: list[dict] = []
    if not shared:
        return removed, records
    holders: dict[tuple, list[tuple[int, int, tuple]]] = defaultdict(list)  # key -> (load index, row, values)
    for index, (table, keys) in enumerate(zip(originals, keys_of, strict=True)):
        positions = [position for position, key in enumerate(keys) if key in shared]
        if not positions:
            continue
        subset = table.take(positions)
        values = list(zip(*(subset[name].to_pylist() for name in data_columns), strict=True))
        for key, row, row_values in zip(
            (keys[position] for position in positions), subset["source_row"].to_pylist(), values, strict=True
        ):
            holders[key].append((index, row, row_values))
    for key, rows in holders.items():
        rows.sort(key=lambda item: (loads[item[0]].entry["source_file"], item[1]))
        first_index, first_row, first_values = rows[0]
        if all(row_values == first_values for _index, _row, row_values in rows):
            first_file = loads[first_index].entry["source_file"]
            for index, row, _values in rows[1:]:
                message = (
                    f"exact duplicate of {first_file} row {first_row} (another file of this table) once parsed: dropped"
                )
                records.append(_record(loads[index], ref, row, None, None, "W01", message))
                removed[index].add(row)
            continue
        raw = "|".join(str(part) for part in key)
        for index, row, _values in rows:
            others = ", ".join(
                f"{loads[i].entry['source_file']} row {r}" for i, r, _v in rows if (i, r) != (index, row)
            )
            message = (
                f"key ({', '.join(ref.pk_shown)}) also on {others} with different values: the files of a table are "
                "concatenated (input contract §0.4), so every row of the key is rejected"
            )
            records.append(_record(loads[index], ref, row, ",".join(ref.pk_shown), raw, "R03", message))
            removed[index].add(row)
    return removed, records


def _record(
    load: Load, ref: LandedTableRef, row: int, field_name: str | None, raw: str | None, rule: str, message: str
) -> dict:
    """A quarantine row; keys hold ids and dates of birth, so only the hash of the raw key is kept."""
    return {
        "load_id": load.load_id,
        "la_code": load.entry["la_code"],
        "reporting_month": load.entry["reporting_month"],
        "table_name": ref.table_name,
        "source_file": load.entry["source_file"],
        "source_row": row,
        "field": field_name,
        "value": None,
        "value_hash": hashlib.sha256((raw or "").encode("utf-8")).hexdigest(),
        "rule_code": rule,
        "message": message,
    }


def _ledger_row(entry: dict, landed: int, records: list[dict]) -> dict:
    """The ledger row with the counts after the pass; the note of an earlier pass is replaced, not repeated."""
    message = _NOTE_PATTERN.sub("", entry["message"] or "").strip("; ") or None
    if records:
        counts = Counter(record["rule_code"] for record in records)
        shown = ", ".join(f"{code} x{count}" for code, count in sorted(counts.items()))
        note = f"{_NOTE}{len(records)} more quarantined ({shown})"
        message = f"{message}; {note}" if message else note
    return {**entry, "rows_landed": landed, "rows_quarantined": entry["rows_read"] - landed, "message": message}


def _write(table: pa.Table, path: Path) -> None:
    """Atomic, as every landing write: a temporary name in the same folder, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(table, temporary)
    os.replace(temporary, path)
