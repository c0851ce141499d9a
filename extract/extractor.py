"""Extract one delivered 903 file: archive it, recognise it, check it, land it (docs/architecture.md, "Landing").

A file ends in one of three outcomes: `landed` (its good rows are in the landing Parquet, bad rows in quarantine),
`rejected` (nothing landed; a one-line reason in `_quarantine/files/`) or `unchanged` (the ledger already holds this
load as landed; nothing is written, so a re-run leaves the landing area byte-for-byte as it was).

load_id = `<table>-<first 16 hex of sha256("<file sha256 hex>|<la_code>|<reporting_month>")>`: the same bytes
delivered again for the same LA and month are the same load, while byte-identical files delivered for two months
(or two LAs) are two loads, each landing its own rows with its own reporting month.

Re-delivering a past month replaces that month's delivery (input contract §0.7). When a file lands, every other load
of the same `source_file` (path relative to inbound, so the same LA and month) and table still in the live landing
folder is superseded: its ledger row becomes `superseded` ("superseded by <new load id>") and its Parquet is moved
to `landing/_superseded/...`, which dbt never reads; nothing is deleted. This runs only after the new Parquet and
its ledger row are written, so a crash leaves at worst both loads, never none, and it runs again for an `unchanged`
file, so the next run completes a sweep a crash interrupted. A superseded load delivered again (the LA reverts to the
old bytes) is not `unchanged`: it lands again and supersedes the newer one. A file of the same table under another
NAME in the same delivery folder is not superseded: two files of one table in one delivery are concatenated
(contract §1.1.1), so a renamed file must be removed from the delivery by the organisation.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from extract import landing
from extract.codes import schema_year
from extract.csv_reader import FileRejected, ParsedCsv, parse_csv
from extract.delivery import FileContext, file_context, list_delivery_files
from extract.rows import RowResult, check_rows
from extract.tables import TableSpec, closest, recognise

REJECTED_ROWS_LIMIT = 0.02  # F07: more than 2 % of data rows rejected (and at least one)
STRICT_ENV = "CSC_EXTRACT_STRICT"  # "1": let unexpected exceptions propagate (tests), instead of rejecting F01


@dataclass(frozen=True)
class FileOutcome:
    load_id: str
    source_file: str
    la_code: str | None
    reporting_month: str | None
    collection_year: str | None
    table_name: str | None
    outcome: str  # landed | rejected | unchanged
    rows_read: int
    rows_landed: int
    rows_quarantined: int
    message: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def load_id_for(table: str | None, sha256: str, la_code: str | None, reporting_month: str | None) -> str:
    digest = hashlib.sha256(f"{sha256}|{la_code or ''}|{reporting_month or ''}".encode()).hexdigest()
    return f"{table or 'unrecognised'}-{digest[:16]}"


def extract_all(inbound_dir: Path, landing_dir: Path, archive_dir: Path, as_of: date) -> list[FileOutcome]:
    """Extract every delivery file a run for `as_of` reads (see `list_delivery_files`), in path order."""
    return [
        extract_file(path, inbound_dir=inbound_dir, landing_dir=landing_dir, archive_dir=archive_dir)
        for path in list_delivery_files(inbound_dir, as_of)
    ]


def extract_file(path: Path, *, inbound_dir: Path, landing_dir: Path, archive_dir: Path) -> FileOutcome:
    """Archive, check and land one delivered file. Bad input never raises: it is a rejected outcome."""
    path, landing_dir, archive_dir = Path(path), Path(landing_dir), Path(archive_dir)
    context = file_context(path, Path(inbound_dir))
    try:
        data = path.read_bytes()
    except OSError as error:
        return _reject(landing_dir, context, None, "", 0, None, "F01", f"cannot be read ({error.strerror})")
    sha256 = hashlib.sha256(data).hexdigest()
    landing.archive(archive_dir, sha256, data)
    try:
        return _Extraction(context, data, sha256, landing_dir).run()
    except Exception as error:
        if os.environ.get(STRICT_ENV) == "1":
            raise
        reason = f"unexpected error while checking the file ({type(error).__name__}: {error})"
        return _reject(landing_dir, context, None, sha256, len(data), None, "F01", " ".join(reason.split()))


class _Extraction:
    """One file's run through the checks, in the order of the contract's precedence."""

    def __init__(self, context: FileContext, data: bytes, sha256: str, landing_dir: Path) -> None:
        self.context = context
        self.data = data
        self.sha256 = sha256
        self.landing_dir = landing_dir

    def run(self) -> FileOutcome:
        context = self.context
        parsed: ParsedCsv | None = None
        spec: TableSpec | None = None
        problem: tuple[str, str] | None = None
        try:
            parsed = parse_csv(self.data)
            spec = recognise(parsed.header)
            if spec is None:
                problem = ("F02", _unrecognised(parsed.header))
        except FileRejected as rejected:
            problem = (rejected.rule_code, rejected.message)
        if Path(context.source_file).suffix.lower() != ".csv":
            problem = ("F02", "not a .csv file: 903 tables are delivered as CSV")
        problem = context.problem or problem or self._manifest_problem(parsed) or self._year_problem(spec)
        rows_read = len(parsed.records) if parsed else 0
        if problem:
            return self._reject(spec, rows_read, None, *problem)
        load_id = load_id_for(spec.table, self.sha256, context.la_code, context.reporting_month)
        previous = landing.read_ledger(self.landing_dir, load_id)
        if previous and previous["outcome"] == "landed" and self._landed_file(spec, load_id).is_file():
            self._supersede_earlier_loads(spec, load_id)
            return _outcome(context, load_id, spec, "unchanged", previous["rows_read"], previous, previous["message"])
        result = check_rows(spec, parsed.header, parsed.records, context.collection_year, context.as_at_date)
        rejected = len(result.rejected_rows)
        if rejected and rejected > REJECTED_ROWS_LIMIT * result.rows_read:
            reason = (
                f"{rejected} of {result.rows_read} data rows rejected ({100 * rejected / result.rows_read:.1f} %, "
                f"more than 2 %): {_counts(result.quarantine)}"
            )
            return self._reject(spec, result.rows_read, result, "F07", reason)
        return self._land(spec, load_id, result)

    def _manifest_problem(self, parsed: ParsedCsv | None) -> tuple[str, str] | None:
        entry = self.context.manifest_entry
        if entry is None or parsed is None:
            return None
        listed_sha = str(entry.get("sha256", "")).lower()
        if listed_sha != self.sha256:
            return ("F09", f"manifest sha256 {listed_sha[:12]}... differs from the file's {self.sha256[:12]}...")
        if str(entry.get("rows")) != str(len(parsed.records)):
            return ("F09", f"manifest says {entry.get('rows')} data rows, the file has {len(parsed.records)}")
        return None

    def _year_problem(self, spec: TableSpec | None) -> tuple[str, str] | None:
        """W02: a table the file's collection year does not collect (SWEpisodes before 2023-24, DoLo before 2026-27)."""
        if spec is None or spec.from_year is None or schema_year(self.context.collection_year) >= spec.from_year:
            return None
        first = f"{spec.from_year - 1}-{spec.from_year % 100:02d}"
        return ("W02", f"{spec.name} is collected from {first}; this {self.context.collection_year} file is ignored")

    def _landed_file(self, spec: TableSpec, load_id: str) -> Path:
        return landing.landed_path(self.landing_dir, spec, self.context.la_code, load_id)

    def _land(self, spec: TableSpec, load_id: str, result: RowResult) -> FileOutcome:
        context = self.context
        metadata = {
            "la_code": context.la_code,
            "reporting_month": context.reporting_month,
            "collection_year": context.collection_year,
            "load_id": load_id,
            "source_file": context.source_file,
        }
        landing.write_rows(self._landed_file(spec, load_id), spec, result.kept, metadata)
        self._write_issues("_warnings", load_id, spec, result.warnings)
        self._write_issues("_quarantine/rows", load_id, spec, result.quarantine)
        landing.remove(self.landing_dir / "_quarantine" / "files" / f"{load_id}.json")
        notes = []
        if result.quarantine:
            notes.append(f"quarantined {result.rows_quarantined} rows ({_counts(result.quarantine)})")
        if result.warnings:
            notes.append(f"{len(result.warnings)} warnings ({_counts(result.warnings)})")
        if context.manifest_lists_files and context.manifest_entry is None:
            notes.append("W09 not listed in the delivery manifest")
        message = "; ".join(notes) or None
        counts = {"rows_landed": len(result.kept), "rows_quarantined": result.rows_quarantined}
        file = (self.sha256, len(self.data))
        _write_ledger(self.landing_dir, context, load_id, spec, file, result.rows_read, counts, "landed", message)
        self._supersede_earlier_loads(spec, load_id)  # only now: a crash before this leaves both loads, never none
        return _outcome(context, load_id, spec, "landed", result.rows_read, counts, message)

    def _supersede_earlier_loads(self, spec: TableSpec, load_id: str) -> None:
        """Move out of dbt's reach every other live load of this file (same source_file, LA, month and table).

        The ledger row is rewritten before the move, and a live file whose ledger row already says `superseded`
        is moved too, so a sweep a crash interrupted (between those two steps) is completed by the next run.
        """
        context = self.context
        this_file = (context.source_file, context.la_code, context.reporting_month, spec.table)
        for old_id in landing.live_load_ids(self.landing_dir, spec, context.la_code):
            entry = landing.read_ledger(self.landing_dir, old_id) if old_id != load_id else None
            if entry is None or entry["outcome"] not in ("landed", "superseded"):
                continue  # no ledger row yet: a load still being written by another task
            if (entry["source_file"], entry["la_code"], entry["reporting_month"], entry["table_name"]) != this_file:
                continue
            if entry["outcome"] == "landed":
                landing.write_ledger(
                    self.landing_dir, {**entry, "outcome": "superseded", "message": f"superseded by {load_id}"}
                )
            landing.move(
                self._landed_file(spec, old_id),
                landing.superseded_path(self.landing_dir, spec, context.la_code, old_id),
            )

    def _reject(
        self, spec: TableSpec | None, rows_read: int, result: RowResult | None, rule_code: str, reason: str
    ) -> FileOutcome:
        context = self.context
        load_id = load_id_for(spec.table if spec else None, self.sha256, context.la_code, context.reporting_month)
        if spec is not None and context.la_code is not None:
            landing.remove(self._landed_file(spec, load_id))
        landing.remove(self.landing_dir / "_warnings" / f"{load_id}.parquet")
        self._write_issues("_quarantine/rows", load_id, spec, result.quarantine if result else [])
        size = len(self.data)
        return _reject(self.landing_dir, context, spec, self.sha256, size, result, rule_code, reason, rows_read)

    def _write_issues(self, folder: str, load_id: str, spec: TableSpec | None, issues: list) -> None:
        path = self.landing_dir / folder / f"{load_id}.parquet"
        if not issues:
            landing.remove(path)
            return
        metadata = {
            "load_id": load_id,
            "la_code": self.context.la_code,
            "reporting_month": self.context.reporting_month,
            "table_name": spec.table if spec else None,
            "source_file": self.context.source_file,
        }
        landing.write_issues(path, issues, metadata)


def _write_ledger(
    landing_dir: Path,
    context: FileContext,
    load_id: str,
    spec: TableSpec | None,
    file: tuple[str, int],
    rows_read: int,
    counts: dict,
    outcome: str,
    message: str | None,
) -> None:
    """The ledger row of this load; `file` is (sha256, size in bytes)."""
    landing.write_ledger(
        landing_dir,
        {
            "load_id": load_id,
            "la_code": context.la_code,
            "reporting_month": context.reporting_month,
            "collection_year": context.collection_year,
            "table_name": spec.table if spec else None,
            "source_file": context.source_file,
            "sha256": file[0],
            "bytes": file[1],
            "rows_read": rows_read,
            "rows_landed": counts["rows_landed"],
            "rows_quarantined": counts["rows_quarantined"],
            "outcome": outcome,
            "message": message,
        },
    )


def _reject(
    landing_dir: Path,
    context: FileContext,
    spec: TableSpec | None,
    sha256: str,
    size: int,
    result: RowResult | None,
    rule_code: str,
    reason: str,
    rows_read: int = 0,
) -> FileOutcome:
    """Ledger row and file quarantine line for a rejected file; the message names the file and the problem."""
    load_id = load_id_for(spec.table if spec else None, sha256, context.la_code, context.reporting_month)
    message = f"{context.source_file}: {rule_code} {reason}"
    landing.write_file_quarantine(
        landing_dir / "_quarantine" / "files" / f"{load_id}.json", context.source_file, rule_code, message
    )
    counts = {"rows_landed": 0, "rows_quarantined": result.rows_quarantined if result else 0}
    _write_ledger(landing_dir, context, load_id, spec, (sha256, size), rows_read, counts, "rejected", message)
    return _outcome(context, load_id, spec, "rejected", rows_read, counts, message)


def _outcome(
    context: FileContext,
    load_id: str,
    spec: TableSpec | None,
    outcome: str,
    rows_read: int,
    counts: dict,
    message: str | None,
) -> FileOutcome:
    return FileOutcome(
        load_id=load_id,
        source_file=context.source_file,
        la_code=context.la_code,
        reporting_month=context.reporting_month,
        collection_year=context.collection_year,
        table_name=spec.table if spec else None,
        outcome=outcome,
        rows_read=int(rows_read),
        rows_landed=int(counts["rows_landed"]),
        rows_quarantined=int(counts["rows_quarantined"]),
        message=message,
    )


def _unrecognised(header: list[str]) -> str:
    spec, missing, extra = closest(header)
    parts = [f"missing {', '.join(missing)}" if missing else "", f"extra {', '.join(extra)}" if extra else ""]
    difference = "; ".join(part for part in parts if part)
    return f"column set matches no 903 table (closest is {spec.name}: {difference})"


def _counts(issues: list) -> str:
    counts = Counter(issue.rule_code for issue in issues)
    return ", ".join(f"{code} x{count}" for code, count in sorted(counts.items()))
