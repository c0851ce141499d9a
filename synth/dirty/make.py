"""`make_dirty`: inject defects into written files in place, keep the manifests consistent, write the truth."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from synth.dirty.cin_xml import children_count, dirty_census, render
from synth.dirty.engine import f07_description, inject_rows
from synth.dirty.file_kinds import FILE_KIND_SPECS
from synth.dirty.location import FAMILIES, FileFacts, delivered_file
from synth.dirty.rates import (
    FILE_KINDS,
    HEADER_KINDS,
    ROW_KINDS,
    TABLE_FILE_KINDS,
    TABLE_ROW_KINDS,
    DirtRates,
)
from synth.dirty.row_kinds import ROW_KIND_SPECS, Candidate
from synth.dirty.shapes import shape_of
from synth.dirty.sheet import Defect, Sheet, read_sheet
from synth.dirty.table_files import TABLE_FILE_KIND_SPECS
from synth.dirty.table_kinds import HEADER_KIND_SPECS, TABLE_KIND_SPECS
from synth.dirty.table_shapes import table_shape
from synth.dirty.table_sheet import read_table_sheet
from synth.writer import write_manifest

TRUTH_NAME = "_dirty_truth.jsonl"
F07_SHARE_DENOMINATOR = 50  # F07: rejected rows > 1/50 (2 %) of the data rows


@dataclass(frozen=True)
class _Dirtied:
    """One file made dirty: its new bytes, its truth lines, its data rows as the manifest counts them, and which
    manifest field (rows or sha256) is left stale on purpose, if any."""

    data: bytes
    truth: list[dict]
    rows: int
    stale: str | None


def make_dirty(
    delivery_files: list[Path],
    inbound_dir: Path,
    seed: int,
    rates: DirtRates | None = None,
    families: Iterable[str] = FAMILIES,
) -> Path:
    """Inject defects into the files among `delivery_files` (one organisation's, freshly written) whose family
    folder is in `families` (903, cin, ssd, local, hr, fin; never ref), and return the truth file
    `inbound/<la>/_dirty_truth.jsonl`.

    Files are rewritten in place, deterministically: each file's RNG is seeded by (seed, its path relative to
    `inbound_dir`), so one family's dirt never moves another's. Manifest entries of rewritten files get their new
    rows and sha256, so the manifest still agrees (unless the defect is `manifest_mismatch`). Files that are no
    table of a family (and 903 tables the file's year does not collect) are left alone. Call it once: a second call
    adds more dirt and replaces the truth file.

    Each truth line: file (relative to inbound), row (CSV record number after injection, the header is 1; for the
    CIN XML the line of the record's element; null for manifest and F07 lines), field, kind, expected_rule (input
    contract §0.8 code, or DQ_OVERLAP / DQ_UNCLOSED for the data-quality checks downstream) and description. No
    CHILD, DOB or other personal value is written. A file rejected as a whole (file-level kinds, F07) has no row
    findings, except that on F07 the extract layer still writes the row quarantine (R*, W01) but no warnings.
    """
    rates = rates or DirtRates()
    inbound_dir = Path(inbound_dir)
    families = frozenset(families)
    if not families <= set(FAMILIES):
        raise ValueError(f"make_dirty knows the families {', '.join(FAMILIES)}, not {sorted(families - set(FAMILIES))}")
    paths = sorted({Path(path) for path in delivery_files}, key=lambda path: _relative(path, inbound_dir))
    located = [(path, _locate(path, inbound_dir)) for path in paths]
    la_codes = {found[1].la_code for _path, found in located if found} or {
        Path(_relative(path, inbound_dir)).parts[0] for path in paths
    }
    if len(la_codes) != 1:
        raise ValueError(f"make_dirty takes the files of one organisation, got LA folders {sorted(la_codes)}")
    manifests: dict[Path, dict] = {}
    truth: list[dict] = []
    for path, found in located:
        if found is None or found[0] not in families:
            continue
        family, facts = found
        rng = random.Random(f"{seed}|dirty|{facts.relative}")
        original = path.read_bytes()
        if family == "903":
            dirtied = _dirty_903(original, facts, rates, rng)
        elif family == "cin":
            dirtied = _dirty_cin(original, facts, rates, rng)
        else:
            dirtied = _dirty_table(original, facts, family, rates, rng)
        if dirtied is None:
            continue
        path.write_bytes(dirtied.data)
        if facts.manifest is not None:
            manifest = manifests.setdefault(facts.manifest, json.loads(facts.manifest.read_text(encoding="utf-8")))
            _update_manifest(manifest, facts, dirtied, original)
        truth.extend(dirtied.truth)
    for manifest_path, manifest in manifests.items():
        write_manifest(manifest_path, manifest)
    truth_path = inbound_dir / la_codes.pop() / TRUTH_NAME
    truth.sort(key=lambda line: (line["file"], line["row"] or 0, line["kind"], line["field"] or ""))
    truth_path.write_text("".join(json.dumps(line) + "\n" for line in truth), encoding="utf-8", newline="\n")
    return truth_path


def _locate(path: Path, inbound_dir: Path) -> tuple[str, FileFacts] | None:
    """(family, facts) of a file make_dirty may touch; 903 files must be CSVs (`file_facts`)."""
    found = delivered_file(path, inbound_dir)
    if found is None or (found[0] == "903" and Path(path).suffix.lower() != ".csv"):
        return None
    return found


def _dirty_903(data: bytes, facts: FileFacts, rates: DirtRates, rng: random.Random) -> _Dirtied | None:
    sheet = _sheet(data, facts)
    if sheet is None:
        return None
    if not _file_defect(sheet, rates, rng):
        _row_defects(sheet, rates, rng)
    if not sheet.defects:
        return None
    return _Dirtied(sheet.render(), _truth_lines(sheet), len(sheet.records), _stale(sheet.defects))


def _dirty_table(data: bytes, facts: FileFacts, family: str, rates: DirtRates, rng: random.Random) -> _Dirtied | None:
    """An SSD, local, HR or finance CSV: at most one file-level defect, else row defects and header defects."""
    shape = table_shape(facts.relative.rsplit("/", 1)[-1])
    if shape is None:
        return None
    sheet = read_table_sheet(data, facts, shape, family)
    specs = TABLE_FILE_KIND_SPECS
    if not any(rng.random() < getattr(rates, kind) and specs[kind](sheet, rng) for kind in TABLE_FILE_KINDS):
        kinds = [TABLE_KIND_SPECS[kind] for kind in TABLE_ROW_KINDS if kind != "perm_over_cap" or shape.perm_cap]
        rejected = inject_rows(sheet, kinds, rates, rng, len(sheet.records))
        sheet.materialise()
        for kind in HEADER_KINDS:
            if rng.random() < getattr(rates, kind):
                HEADER_KIND_SPECS[kind](sheet, rng)
        too_many = f07_description(rejected, len(sheet.records))
        if too_many:
            sheet.defects.append(Defect("too_many_rejected_rows", "F07", None, too_many))
    if not sheet.defects:
        return None
    return _Dirtied(sheet.render(), _truth_lines(sheet), len(sheet.records), _stale(sheet.defects))


def _dirty_cin(data: bytes, facts: FileFacts, rates: DirtRates, rng: random.Random) -> _Dirtied | None:
    census = dirty_census(data, facts, rates, rng)
    if census is None:
        return None
    written, lines = render(census)
    truth = [
        _truth_line(facts, lines.get(id(found)), found.field, found.kind, found.rule, found.description)
        for found in census.found
    ]
    stale = next((found.field for found in census.found if found.kind == "manifest_mismatch"), None)
    return _Dirtied(written, truth, children_count(written), stale)


def _stale(defects: list[Defect]) -> str | None:
    return next((defect.field for defect in defects if defect.kind == "manifest_mismatch"), None)


def _relative(path: Path, inbound_dir: Path) -> str:
    return Path(path).absolute().relative_to(Path(inbound_dir).absolute()).as_posix()


def _sheet(data: bytes, facts: FileFacts) -> Sheet | None:
    shape = shape_of(data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r").split(","))
    if shape is None or (shape.from_year is not None and facts.schema_year < shape.from_year):
        return None  # not a 903 table, or one the file's year does not collect (ignored with W02)
    return read_sheet(data, facts, shape)


def _file_defect(sheet: Sheet, rates: DirtRates, rng: random.Random) -> bool:
    """At most one file-level defect: the first kind whose draw hits (and that applies to the file)."""
    return any(rng.random() < getattr(rates, kind) and FILE_KIND_SPECS[kind](sheet, rng) for kind in FILE_KINDS)


def _count(expected: float, rng: random.Random) -> int:
    """`expected` rounded up or down at random, so that the mean count is `expected`."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _row_defects(sheet: Sheet, rates: DirtRates, rng: random.Random) -> None:
    """Non-rejecting structural kinds first (they need adjacent episodes, before rows are inserted), then the
    row-rejecting kinds taken in turns under the F07 cap, then exact duplicates."""
    rows = len(sheet.records)
    wanted = {kind: _count(getattr(rates, kind) * rows, rng) for kind in ROW_KINDS}
    pools: dict[str, list[Candidate]] = {}

    def inject(kind: str) -> bool:
        spec = ROW_KIND_SPECS[kind]
        if kind not in pools:
            pools[kind] = spec.candidates(sheet)
            rng.shuffle(pools[kind])
        pool = pools[kind]
        while pool:
            candidate = pool.pop()
            if sheet.is_free(*candidate[0]) and spec.inject(sheet, rng, candidate):
                return True
        return False

    rejecting = [kind for kind in ROW_KINDS if ROW_KIND_SPECS[kind].rejected_rows]
    for kind in ROW_KINDS:
        if kind not in rejecting and kind != "duplicate_row":
            for _ in range(wanted[kind]):
                if not inject(kind):
                    break
    cap = rows // F07_SHARE_DENOMINATOR if rates.keep_under_f07 else None
    rejected = 0
    turns = list(rejecting)
    rng.shuffle(turns)
    while any(wanted[kind] for kind in turns):
        for kind in turns:
            if not wanted[kind]:
                continue
            size = ROW_KIND_SPECS[kind].rejected_rows
            if cap is not None and rejected + size > cap:
                wanted[kind] = 0
                continue
            wanted[kind] -= 1
            if inject(kind):
                rejected += size
            else:
                wanted[kind] = 0
    for _ in range(wanted["duplicate_row"]):
        if not inject("duplicate_row"):
            break
    if rejected and rejected * F07_SHARE_DENOMINATOR > len(sheet.records):
        description = f"{rejected} of {len(sheet.records)} data rows carry a row-rejecting defect: more than 2 %"
        sheet.defects.append(Defect("too_many_rejected_rows", "F07", None, description))


def _update_manifest(manifest: dict, facts: FileFacts, dirtied: _Dirtied, original: bytes) -> None:
    entry = next(item for item in manifest["files"] if item["path"].removeprefix("./") == facts.manifest_path)
    entry["rows"] = dirtied.rows
    entry["sha256"] = hashlib.sha256(dirtied.data).hexdigest()
    if dirtied.stale == "rows":
        entry["rows"] += 1
    elif dirtied.stale == "sha256":
        entry["sha256"] = hashlib.sha256(original + b"\n").hexdigest()  # the hash of an earlier edit of the file


def _truth_lines(sheet: Sheet) -> list[dict]:
    numbers = sheet.row_numbers()
    lines = []
    for defect in sheet.defects:
        row = 1 if defect.on_header else numbers[id(defect.record)] if defect.record is not None else None
        lines.append(_truth_line(sheet.facts, row, defect.field, defect.kind, defect.expected_rule, defect.description))
    return lines


def _truth_line(facts: FileFacts, row: int | None, field: str | None, kind: str, rule: str, description: str) -> dict:
    return {
        "file": facts.relative,
        "row": row,
        "field": field,
        "kind": kind,
        "expected_rule": rule,
        "description": description,
    }
