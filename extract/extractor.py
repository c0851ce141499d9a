"""Extract one delivered file of any family: archive it, recognise it, check it, land it (docs/architecture.md,
"Landing").

The family (the delivery sub-folder) chooses the reader: `read_903` below for SSDA903 CSVs, `extract.cin` for the
CIN census XML, `extract.csv_families` for the SSD, local, HR, finance and reference CSVs. A reader says which table
the file is and returns its checked rows (`extract.reading`); everything below is shared by every family.

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
(contract §0.4 parts, §1.1.1; their duplicate keys are settled by `extract.parts` in the delivery-level pass), so a
renamed file must be removed from the delivery by the organisation.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from extract import csv_stream, landing
from extract.codes import schema_year
from extract.consistency import (
    check_delivery_consistency,
    check_la_reference,
    la_reference_folders,
    monthly_deliveries,
)
from extract.csv_reader import FileRejected, ParsedCsv, parse_csv
from extract.csv_stream import NotStreamable, StreamedCsv, open_streamed, scan_file
from extract.delivery import FileContext, file_context, list_delivery_files
from extract.reading import Checked, LandedTable, Recognised
from extract.rows import check_rows
from extract.streamed_check import Staging, check_streamed
from extract.tables import TableSpec, closest, recognise
from pipeline.crashpoints import crashpoint

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


def extract_all(
    inbound_dir: Path, landing_dir: Path, archive_dir: Path, as_of: date, workers: int = 1
) -> list[FileOutcome]:
    """Extract every delivery file a run for `as_of` reads (see `list_delivery_files`), in path order, then run the
    delivery-level rules of every monthly delivery (`check_delivery_consistency`); a manifest-listed file that is
    absent (F09) is reported as a rejected outcome after the files.

    `workers` > 1 extracts files in that many processes (the outcomes keep path order). Each file is its own task
    either way, as under Airflow's mapped tasks, whose parallelism is the usual one.
    """
    paths = list_delivery_files(inbound_dir, as_of)
    extract = partial(extract_file, inbound_dir=inbound_dir, landing_dir=landing_dir, archive_dir=archive_dir)
    if workers > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(extract, paths, chunksize=max(1, len(paths) // (8 * workers))))
    else:
        outcomes = [extract(path) for path in paths]
    adjusted: dict[str, dict] = {}
    delivery_outcomes = check_all_deliveries(inbound_dir, landing_dir, as_of, adjusted=adjusted)
    return [_adjusted(outcome, adjusted.get(outcome.load_id)) for outcome in outcomes] + delivery_outcomes


def check_all_deliveries(
    inbound_dir: Path, landing_dir: Path, as_of: date, adjusted: dict[str, dict] | None = None
) -> list[FileOutcome]:
    """The delivery-level rules of every monthly delivery up to `as_of`, once all its files are extracted
    (`extract.consistency`): each manifest-listed file that is absent comes back as a rejected (F09) outcome, and
    each mandatory table over the X1 orphan limit as a `gated` one. Ledger rows the parts rule rewrote are put in
    `adjusted` (load id -> row) when it is given."""
    outcomes = []
    checks = [check_la_reference(landing_dir, la_code) for la_code in la_reference_folders(inbound_dir)]
    for la_code, month in monthly_deliveries(inbound_dir, as_of):
        check = check_delivery_consistency(inbound_dir, landing_dir, la_code, month)
        outcomes.extend(_missing_outcome(row) for row in check.missing)
        outcomes.extend(FileOutcome(**row) for row in check.gated)
        checks.append(check)
        crashpoint("extract.delivery")
    if adjusted is not None:
        for check in checks:
            adjusted.update(check.ledger)
    return outcomes


def _adjusted(outcome: FileOutcome, entry: dict | None) -> FileOutcome:
    """A landed file's outcome with the counts and message of its ledger row after the delivery-level pass."""
    if entry is None or outcome.outcome not in ("landed", "unchanged"):
        return outcome
    counts = {name: entry[name] for name in ("rows_landed", "rows_quarantined", "message")}
    return replace(outcome, **counts)


def _missing_outcome(row: dict) -> FileOutcome:
    """The outcome of a manifest-listed file absent from its delivery (F09), from its ledger row."""
    return FileOutcome(
        load_id=row["load_id"],
        source_file=row["source_file"],
        la_code=row["la_code"],
        reporting_month=row["reporting_month"],
        collection_year=row["collection_year"],
        table_name=row["table_name"],
        outcome="rejected",
        rows_read=0,
        rows_landed=0,
        rows_quarantined=0,
        message=row["message"],
    )


def extract_file(path: Path, *, inbound_dir: Path, landing_dir: Path, archive_dir: Path) -> FileOutcome:
    """Archive, check and land one delivered file. Bad input never raises: it is a rejected outcome.

    A file whose header carries a prohibited personal-data column (input contract §11.2) is not archived: its raw
    bytes would persist the column, which W10 forbids. Its ledger row keeps the sha256, so the load stays traceable.
    """
    path, landing_dir, archive_dir = Path(path), Path(landing_dir), Path(archive_dir)
    context = file_context(path, Path(inbound_dir))
    streamed = _streamed_extraction(path, context, landing_dir, archive_dir)
    if streamed is not None:
        return streamed
    if context.family == "cin":
        return _cin_extraction(path, context, landing_dir, archive_dir)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _reject(landing_dir, context, None, "", 0, None, "F01", f"cannot be read ({error.strerror})")
    sha256 = hashlib.sha256(data).hexdigest()

    def extract() -> FileOutcome:
        if not prohibited_columns_in(context, data):
            landing.archive(archive_dir, sha256, data)
        with _collector_paused():
            return _Extraction(context, data, sha256, landing_dir).run()

    return _guarded(extract, context, landing_dir, sha256, len(data))


def _streamed_extraction(path: Path, context: FileContext, landing_dir: Path, archive_dir: Path) -> FileOutcome | None:
    """A CSV over `STREAM_BYTES` landed without holding it whole (`extract.csv_stream`), or None: any other file, or
    one `parse_csv` would reject, which the caller reads whole so the rejection is worded as before."""
    from extract.csv_families import CSV_FAMILIES

    if (context.family != "ssda903" and context.family not in CSV_FAMILIES) or path.suffix.lower() != ".csv":
        return None
    try:
        if path.stat().st_size <= csv_stream.STREAM_BYTES:
            return None
        scan = scan_file(path)
        source = open_streamed(path, scan)
    except OSError:
        return None  # the caller's read says why
    if source is None:
        return None

    def extract() -> FileOutcome:
        if not prohibited_columns_in(context, scan.head):
            landing.archive_file(archive_dir, scan.sha256, path)
        with _collector_paused():
            return _Extraction(context, source, scan.sha256, landing_dir, scan.size).run()

    try:
        return _guarded(extract, context, landing_dir, scan.sha256, scan.size)
    except NotStreamable:
        return None  # found mid-file (nothing landed: the staged rows are deleted); read whole, it is rejected


def _cin_extraction(path: Path, context: FileContext, landing_dir: Path, archive_dir: Path) -> FileOutcome:
    """A CIN census XML, never held whole: hashed a chunk at a time, archived by copying its path, and parsed from
    its path (`extract.cin.read_cin`)."""
    try:
        sha256, size = _file_sha256(path)
    except OSError as error:
        return _reject(landing_dir, context, None, "", 0, None, "F01", f"cannot be read ({error.strerror})")

    def extract() -> FileOutcome:
        landing.archive_file(archive_dir, sha256, path)
        with _collector_paused():
            return _Extraction(context, path, sha256, landing_dir, size).run()

    return _guarded(extract, context, landing_dir, sha256, size)


def _file_sha256(path: Path) -> tuple[str, int]:
    """The sha256 (hex) and size of a file, read a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _guarded(
    extract: Callable[[], FileOutcome], context: FileContext, landing_dir: Path, sha256: str, size: int
) -> FileOutcome:
    """`extract()`, with a storage error turned into `LandingWriteError` and any other into an F01 rejection."""
    try:
        return extract()
    except NotStreamable:
        raise
    except Exception as error:
        if isinstance(error, OSError) and error.errno in landing.STORAGE_ERRNOS:
            where = f" ({error.filename})" if error.filename else ""
            raise landing.LandingWriteError(
                f"cannot write the landing area or archive while extracting {context.source_file}: "
                f"{error.strerror or error}{where}"
            ) from error
        if os.environ.get(STRICT_ENV) == "1":
            raise
        reason = f"unexpected error while checking the file ({type(error).__name__}: {error})"
        return _reject(landing_dir, context, None, sha256, size, None, "F01", " ".join(reason.split()))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one file is checked: a big file allocates millions of objects
    that live until it lands (values, records), and the collector would rescan them again and again (a third of a
    CIN file's time) for cycles they do not form. It is switched back on (if it was on) when the file is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(data: bytes | StreamedCsv | Path, context: FileContext) -> Recognised:
    """The reader of the file's family (the delivery sub-folder); a CIN file comes as its path."""
    if context.family == "ssda903":
        return read_903(data, context)
    if context.family == "cin":
        from extract.cin import read_cin

        return read_cin(data, context)
    from extract.csv_families import read_family_csv

    return read_family_csv(data, context)


def prohibited_columns_in(context: FileContext, data: bytes) -> list[str]:
    from extract.csv_families import prohibited_columns_in_header

    return prohibited_columns_in_header(context, data)


def read_903(data: bytes | StreamedCsv, context: FileContext) -> Recognised:
    """An SSDA903 CSV: recognised by its exact column set (input contract §1.1.1), checked by `extract.rows`. A large
    file comes as a `StreamedCsv` and is checked batch by batch (`extract.streamed_check`)."""
    parsed: ParsedCsv | StreamedCsv | None = None
    spec: TableSpec | None = None
    problem: tuple[str, str] | None = None
    try:
        parsed = data if isinstance(data, StreamedCsv) else parse_csv(data)
        spec = recognise(parsed.header)
        if spec is None:
            problem = ("F02", _unrecognised(parsed.header))
    except FileRejected as rejected:
        problem = (rejected.rule_code, rejected.message)
    if Path(context.source_file).suffix.lower() != ".csv":
        problem = ("F02", "not a .csv file: 903 tables are delivered as CSV")

    def check_parsed(parsed: ParsedCsv) -> Checked:
        result = check_rows(spec, parsed, context.collection_year, context.as_at_date)
        return Checked(
            rows_read=result.rows_read,
            tables=[
                LandedTable(
                    spec.table, landing.data_schema(spec), columns=result.columns, source_rows=result.source_rows
                )
            ],
            quarantine=result.quarantine,
            warnings=result.warnings,
            rows_rejected=len(result.rejected_rows),
            rows_quarantined=result.rows_quarantined,
        )

    def check(staging: Staging | None = None) -> Checked:
        if not isinstance(parsed, StreamedCsv):
            return check_parsed(parsed)
        header = parsed.header
        # CHILD (a required id) is every 903 key's text column; a column a W rule may null is left out of the key.
        nulled = {rule.column for rule in spec.conditionals if rule.rule_code.startswith("W")}
        keys = [name for name in spec.pk if spec.column(name).type == "id" and spec.column(name).blank == "N"]
        positions = [header.index(name) for name in keys if name not in nulled]
        return check_streamed(parsed, check_parsed, positions, staging)

    return Recognised(
        table_name=spec.table if spec else None,
        folders=(spec.table,) if spec else (),
        data_rows=parsed.row_count if parsed else None,
        problem=problem,
        scope_problem=_year_problem(spec, context.collection_year) if spec and not problem else None,
        check=check if spec and not problem else None,
        streamed=isinstance(parsed, StreamedCsv),
    )


def _year_problem(spec: TableSpec, collection_year: str | None) -> tuple[str, str] | None:
    """W02: a table the file's collection year does not collect (SWEpisodes before 2023-24, DoLo before 2026-27)."""
    if spec.from_year is None or collection_year is None or schema_year(collection_year) >= spec.from_year:
        return None
    first = f"{spec.from_year - 1}-{spec.from_year % 100:02d}"
    return ("W02", f"{spec.name} is collected from {first}; this {collection_year} file is ignored")


class _Extraction:
    """One file's run through the checks, in the order of the contract's precedence."""

    def __init__(
        self,
        context: FileContext,
        data: bytes | StreamedCsv | Path,
        sha256: str,
        landing_dir: Path,
        size: int | None = None,
    ) -> None:
        self.context = context
        self.data = data
        self.sha256 = sha256
        self.landing_dir = landing_dir
        self.size = len(data) if size is None else size

    def run(self) -> FileOutcome:
        recognised = read_file(self.data, self.context)
        if recognised.collection_year:
            self.context = replace(self.context, collection_year=recognised.collection_year)
        context = self.context
        problem = (
            context.problem or recognised.problem or self._manifest_problem(recognised) or recognised.scope_problem
        )
        rows_read = recognised.data_rows or 0
        if problem or recognised.check is None:
            problem = problem or ("F02", "not recognised")
            return self._reject(recognised, rows_read, None, *problem)
        load_id = load_id_for(recognised.table_name, self.sha256, context.la_code, context.reporting_month)
        previous = landing.read_ledger(self.landing_dir, load_id)
        if previous and previous["outcome"] == "landed" and self._all_landed(recognised, load_id):
            self._supersede_earlier_loads(recognised, load_id)
            return _outcome(
                context,
                load_id,
                recognised.table_name,
                "unchanged",
                previous["rows_read"],
                previous,
                previous["message"],
            )
        checked = recognised.check(self._staging(load_id)) if recognised.streamed else recognised.check()
        try:
            rejected = checked.rows_rejected
            if rejected and rejected > REJECTED_ROWS_LIMIT * checked.rows_read:
                reason = (
                    f"{rejected} of {checked.rows_read} data rows rejected "
                    f"({100 * rejected / checked.rows_read:.1f} %, more than 2 %): {_counts(checked.quarantine)}"
                )
                return self._reject(recognised, checked.rows_read, checked, "F07", reason)
            return self._land(recognised, load_id, checked)
        finally:  # a rejected file lands nothing; a landed one's staged tables are already renamed away
            for table in checked.tables:
                if table.staged is not None:
                    table.staged.unlink(missing_ok=True)

    def _staging(self, load_id: str) -> Staging:
        """Where a streamed file's check writes its landed tables before the file is accepted."""
        return Staging(self.landing_dir / "_staging", self._metadata(load_id))

    def _metadata(self, load_id: str) -> dict:
        context = self.context
        return {
            "la_code": context.la_code,
            "reporting_month": context.reporting_month,
            "collection_year": context.collection_year,
            "load_id": load_id,
            "source_file": context.source_file,
        }

    def _manifest_problem(self, recognised: Recognised) -> tuple[str, str] | None:
        entry = self.context.manifest_entry
        if entry is None or recognised.data_rows is None:
            return None
        listed_sha = str(entry.get("sha256", "")).lower()
        if listed_sha != self.sha256:
            return ("F09", f"manifest sha256 {listed_sha[:12]}... differs from the file's {self.sha256[:12]}...")
        if str(entry.get("rows")) != str(recognised.data_rows):
            return ("F09", f"manifest says {entry.get('rows')} data rows, the file has {recognised.data_rows}")
        return None

    def _landed_file(self, folder: str, load_id: str) -> Path:
        return landing.landed_path(self.landing_dir, self.context.family, folder, self.context.la_code, load_id)

    def _all_landed(self, recognised: Recognised, load_id: str) -> bool:
        return all(self._landed_file(folder, load_id).is_file() for folder in recognised.folders)

    def _land(self, recognised: Recognised, load_id: str, checked: Checked) -> FileOutcome:
        context = self.context
        metadata = self._metadata(load_id)
        for table in checked.tables:  # every table of the load, even an empty one, so "unchanged" can see them all
            path = self._landed_file(table.folder, load_id)
            if table.staged is not None:
                landing.publish_staged(table.staged, path)
            elif table.columns is not None:
                landing.write_columns(path, table.schema, table.columns, table.source_rows, metadata)
            else:
                landing.write_rows(path, table.schema, table.rows, metadata)
        self._write_issues("_warnings", load_id, recognised.table_name, checked.warnings)
        self._write_issues("_quarantine/rows", load_id, recognised.table_name, checked.quarantine)
        landing.remove(self.landing_dir / "_quarantine" / "files" / f"{load_id}.json")
        notes = []
        if checked.quarantine:
            notes.append(f"quarantined {checked.rows_quarantined} rows ({_counts(checked.quarantine)})")
        if checked.warnings:
            notes.append(f"{len(checked.warnings)} warnings ({_counts(checked.warnings)})")
        if context.manifest_lists_files and context.manifest_entry is None:
            notes.append("W09 not listed in the delivery manifest")
        message = "; ".join(notes) or None
        counts = {"rows_landed": checked.rows_landed, "rows_quarantined": checked.rows_quarantined}
        file = (self.sha256, self.size)
        table_name = recognised.table_name
        rows_read = checked.rows_read
        _write_ledger(self.landing_dir, context, load_id, table_name, file, rows_read, counts, "landed", message)
        self._supersede_earlier_loads(recognised, load_id)  # only now: a crash before this leaves both loads
        return _outcome(context, load_id, table_name, "landed", checked.rows_read, counts, message)

    def _supersede_earlier_loads(self, recognised: Recognised, load_id: str) -> None:
        """Move out of dbt's reach every other live load of this file (same source_file, LA, month and table).

        The ledger row is rewritten before the move, and a live file whose ledger row already says `superseded`
        is moved too, so a sweep a crash interrupted (between those two steps) is completed by the next run.
        """
        context = self.context
        this_file = (context.source_file, context.la_code, context.reporting_month, recognised.table_name)
        for folder in recognised.folders:
            for old_id in landing.live_load_ids(self.landing_dir, context.family, folder, context.la_code):
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
                    self._landed_file(folder, old_id),
                    landing.superseded_path(self.landing_dir, context.family, folder, context.la_code, old_id),
                )

    def _reject(
        self, recognised: Recognised, rows_read: int, checked: Checked | None, rule_code: str, reason: str
    ) -> FileOutcome:
        context = self.context
        table_name = recognised.table_name
        load_id = load_id_for(table_name, self.sha256, context.la_code, context.reporting_month)
        if context.la_code is not None:
            for folder in recognised.folders:
                landing.remove(self._landed_file(folder, load_id))
        landing.remove(self.landing_dir / "_warnings" / f"{load_id}.parquet")
        self._write_issues("_quarantine/rows", load_id, table_name, checked.quarantine if checked else [])
        size = self.size
        return _reject(self.landing_dir, context, table_name, self.sha256, size, checked, rule_code, reason, rows_read)

    def _write_issues(self, folder: str, load_id: str, table_name: str | None, issues: list) -> None:
        path = self.landing_dir / folder / f"{load_id}.parquet"
        if not issues:
            landing.remove(path)
            return
        metadata = {
            "load_id": load_id,
            "la_code": self.context.la_code,
            "reporting_month": self.context.reporting_month,
            "table_name": table_name,
            "source_file": self.context.source_file,
        }
        landing.write_issues(path, issues, metadata)


def _write_ledger(
    landing_dir: Path,
    context: FileContext,
    load_id: str,
    table_name: str | None,
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
            "table_name": table_name,
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
    table_name: str | None,
    sha256: str,
    size: int,
    checked: Checked | None,
    rule_code: str,
    reason: str,
    rows_read: int = 0,
) -> FileOutcome:
    """Ledger row and file quarantine line for a rejected file; the message names the file and the problem."""
    load_id = load_id_for(table_name, sha256, context.la_code, context.reporting_month)
    message = landing.one_line(f"{context.source_file}: {rule_code} {reason}")
    landing.write_file_quarantine(
        landing_dir / "_quarantine" / "files" / f"{load_id}.json", context.source_file, rule_code, message
    )
    counts = {"rows_landed": 0, "rows_quarantined": checked.rows_quarantined if checked else 0}
    _write_ledger(landing_dir, context, load_id, table_name, (sha256, size), rows_read, counts, "rejected", message)
    return _outcome(context, load_id, table_name, "rejected", rows_read, counts, message)


def _outcome(
    context: FileContext,
    load_id: str,
    table_name: str | None,
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
        table_name=table_name,
        outcome=outcome,
        rows_read=int(rows_read),
        rows_landed=int(counts["rows_landed"]),
        rows_quarantined=int(counts["rows_quarantined"]),
        message=message,
    )


def _unrecognised(header: list[str]) -> str:
    if len(header) == 1 and (delimiter := next((d for d in ";\t|" if d in header[0]), None)):
        # Another delimiter: name it (and the table the columns would make), not the nearest table's 13 differences.
        spec, missing, extra = closest([name.strip() for name in header[0].split(delimiter)])
        table = "" if missing or extra else f"; split on it, the columns are those of {spec.name}"
        return (
            f"column set matches no 903 table (the header is one column holding {delimiter!r}: "
            f"the delimiter must be a comma{table})"
        )
    spec, missing, extra = closest(header)
    parts = [f"missing {', '.join(missing)}" if missing else "", f"extra {', '.join(extra)}" if extra else ""]
    difference = "; ".join(part for part in parts if part)
    return f"column set matches no 903 table (closest is {spec.name}: {difference})"


def _counts(issues: list) -> str:
    counts = Counter(issue.rule_code for issue in issues)
    return ", ".join(f"{code} x{count}" for code, count in sorted(counts.items()))
