"""The steps of a run, shared by the command line and the Airflow DAGs (which only wire them together).

    extract_delivery_file  one file: archive, check, land as Parquet (never opens the warehouse)
    build_warehouse        one dbt build into a candidate warehouse, swapped in only if every model and test passed
    publish_analyst_copy   after a good build: the read-only copy of the marts and publish layers, with its docs site
    publish_month          export the candidate dataset, audit it with the checkpoint, publish it atomically
    publish_organisations  publish_month for every organisation, each on its own gate, then the comparison
    publish_comparison     the comparison across organisations, once every organisation's month is published

Each step returns a JSON-serialisable dict (Airflow passes it between tasks) and raises `StepFailedError` with a
one-line reason when the run must stop. Nothing is published unless every earlier step succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pipeline.atomic_files import write_text_atomic
from pipeline.crashpoints import crashpoint
from pipeline.dbt_runner import NIGHTLY_BUILD, run_dbt
from pipeline.leftovers import remove_landing_leftovers, remove_spill_leftovers
from pipeline.lock import writer_lock
from pipeline.periods import reporting_month
from pipeline.run_log import logged
from pipeline.settings import Settings

BUILD_RECORD = "last_build.json"
SWAP_PENDING = "swap_pending"  # in the build record while the candidate is being swapped in
PUBLICATION_DAY_AFTER_MONTH_END = 16  # the 16th of the next month: deliveries are complete


class StepFailedError(RuntimeError):
    """A step found a problem that must stop the run; the message says what and where the report is."""


def list_files_to_extract(settings: Settings, as_of: date) -> list[str]:
    """The delivery files a run for `as_of` reads, as strings (one Airflow mapped task each)."""
    from extract import list_delivery_files

    return [str(path) for path in list_delivery_files(settings.inbound_dir, as_of)]


@logged("extract_file")
def extract_delivery_file(settings: Settings, path: str) -> dict:
    """Archive, check and land one delivered file; a rejected file is an outcome, not an error. A landing area
    that cannot be written (disk full, read-only) stops the run: nothing is built or published after it."""
    from extract import extract_file

    with writer_lock(settings.work_dir, shared=True), _landing_writes():
        outcome = extract_file(
            Path(path),
            inbound_dir=settings.inbound_dir,
            landing_dir=settings.landing_dir,
            archive_dir=settings.archive_dir,
        )
    return outcome.to_dict()


@contextmanager
def _landing_writes() -> Iterator[None]:
    """A landing area or archive that cannot be written (disk full, read-only, forbidden) is a StepFailedError
    with one line saying so: the run stops before the build, so nothing is built or published."""
    from extract.landing import STORAGE_ERRNOS, LandingWriteError

    advice = "Nothing was built or published; free space or fix the folder's permissions, then re-run."
    try:
        yield
    except LandingWriteError as error:
        raise StepFailedError(f"{error}. {advice}") from error
    except OSError as error:
        if error.errno not in STORAGE_ERRNOS:
            raise
        where = f" ({error.filename})" if error.filename else ""
        raise StepFailedError(f"cannot write the landing area: {error.strerror}{where}. {advice}") from error


@logged("check_deliveries")
def check_deliveries(settings: Settings, as_of: date) -> list[dict]:
    """After every file is extracted: the delivery-level rules (W06 across a delivery's tables, F09 for files the
    manifest lists but the delivery lacks); returns the rejected outcomes of the absent files."""
    from extract import check_all_deliveries

    with writer_lock(settings.work_dir, shared=True), _landing_writes():
        outcomes = check_all_deliveries(settings.inbound_dir, settings.landing_dir, as_of)
        _ensure_landing_tables(settings)
    return [outcome.to_dict() for outcome in outcomes]


def extract_all_files(settings: Settings, as_of: date) -> list[dict]:
    outcomes = []
    for path in list_files_to_extract(settings, as_of):
        outcomes.append(extract_delivery_file(settings, path))
        crashpoint("extract.file")
    crashpoint("extract.deliveries")
    return outcomes + check_deliveries(settings, as_of)


@logged("check_mandatory_inputs")
def check_mandatory_inputs(outcomes: list[dict], as_of: date) -> None:
    """Stop the run before the build when the month's mandatory tables are absent, rejected or empty (§9.1)."""
    from extract import MandatoryInputError
    from extract import check_mandatory_inputs as check

    try:
        check(outcomes, as_of)
    except MandatoryInputError as error:
        raise StepFailedError(f"mandatory input missing: {error}. Nothing was built or published.") from error


@logged("build_warehouse")
def build_warehouse(settings: Settings, as_of: date) -> dict:
    """Build every model and run every dbt test for `as_of` into a candidate, then swap it in.

    On DuckDB the candidate is a fresh database file next to the warehouse; the warehouse file is replaced only
    when the whole build passed, so a failed build leaves the last good warehouse in place.
    """
    if settings.dbt_target != "duckdb":
        return _build_in_place(settings, as_of)
    with writer_lock(settings.work_dir):
        _prepare_landing(settings)
        candidate = settings.work_dir / "candidate" / "warehouse.duckdb"
        shutil.rmtree(candidate.parent, ignore_errors=True)
        candidate.parent.mkdir(parents=True)
        remove_spill_leftovers(Path(settings.duckdb_config["temp_directory"]))
        result = run_dbt(
            list(NIGHTLY_BUILD),
            as_of=as_of,
            target="duckdb",
            target_path=settings.work_dir / "dbt_target",
            env_overrides=_dbt_env(settings, candidate),
        )
        if not result.success:
            raise StepFailedError(_dbt_failure_message(result))
        crashpoint("build.candidate")
        settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        # The warehouse and its record are two files: a crash between the swap and the record would leave a
        # record describing the wrong warehouse, so the record says "swap pending" until the swap is done.
        _record_build(settings, as_of, result.summary(), swap_pending=True)
        os.replace(candidate, settings.warehouse_path)
        crashpoint("build.swapped")
        _record_build(settings, as_of, result.summary())
    return {"as_of": as_of.isoformat(), "warehouse": str(settings.warehouse_path), "dbt": result.summary()}


@logged("publish_analyst_copy")
def publish_analyst_copy(settings: Settings, as_of: date) -> dict:
    """After a successful build: swap in the analysts' read-only copy (marts and publish only) and its docs site.

    Under the writer lock, so the warehouse cannot change while it is copied. On PostgreSQL analysts read the
    swapped-in schemas through the `analyst` role instead, so there is nothing to copy.
    """
    from pipeline.analyst_copy import AnalystCopyError
    from pipeline.analyst_copy import publish_analyst_copy as publish_copy

    if settings.dbt_target != "duckdb":
        return {"analyst_copy": None, "reason": "PostgreSQL: analysts read the marts and publish schemas as `analyst`"}
    with writer_lock(settings.work_dir):
        try:
            return publish_copy(settings, as_of)
        except AnalystCopyError as error:
            raise StepFailedError(f"{error}. The previous analyst copy is unchanged.") from error


@logged("publish_month")
def publish_month(settings: Settings, as_of: date, la_code: str, dbt_summary: dict | None = None) -> dict:
    """Export, audit and publish the dataset of `la_code` for the month ending `as_of`.

    The warehouse must have been built for `as_of` (its build record says so). Whether the gate passes or fails,
    its report is written under Settings.reports_dir; on failure nothing in the publish folder changes.
    """
    from publish.export import export_candidate
    from publish.gate import GateFailedError, PublicationPaths, audit_and_publish

    month = reporting_month(as_of)
    with writer_lock(settings.work_dir):
        build = _last_build(settings)
        if build.get(SWAP_PENDING):
            raise StepFailedError(
                f"the build for {build['as_of']} was interrupted while its warehouse was being swapped in: "
                "run the build again. Nothing was published."
            )
        if build.get("as_of") not in (None, as_of.isoformat()):
            raise StepFailedError(
                f"the warehouse was built for {build['as_of']}, not {as_of}: build {as_of} first. "
                "Nothing was published."
            )
        candidate_dir = settings.work_dir / "publication_candidates" / la_code / month
        shutil.rmtree(candidate_dir, ignore_errors=True)
        export_candidate(settings.warehouse_path, candidate_dir, la_code=la_code)
        crashpoint("publish.exported")
        try:
            return audit_and_publish(
                candidate_dir,
                PublicationPaths(settings.publish_dir, settings.reports_dir, settings.landing_dir),
                la_code=la_code,
                as_of=as_of,
                dbt_summary=dbt_summary if dbt_summary is not None else build.get("dbt", {}),
                suppress_below=settings.suppress_below,
            )
        except GateFailedError as error:
            raise StepFailedError(str(error)) from error


def publish_organisations(
    settings: Settings, as_of: date, la_codes: list[str] | None = None, dbt_summary: dict | None = None
) -> dict:
    """Publish each organisation's month on its own gate (default: every organisation in the warehouse).

    One organisation failing its gate publishes nothing for it and leaves its previous publication as it was, but
    never stops the others (docs/publication.md). The comparison across organisations follows only a publication
    of every organisation of the warehouse in which all of them passed. Returns what was published and what
    failed (la_code -> the one-line reason); the caller decides how a failure ends the run.
    """
    everyone = la_codes is None
    la_codes = organisations_in_warehouse(settings) if everyone else la_codes
    published, failed = [], {}
    for la_code in la_codes:
        try:
            published.append(publish_month(settings, as_of, la_code, dbt_summary))
        except StepFailedError as error:
            failed[la_code] = str(error)
    comparison = None
    if everyone and not failed:
        comparison = publish_comparison(settings, as_of, la_codes, dbt_summary)
    return {"published": published, "failed": failed, "comparison": comparison}


def publish_comparison(
    settings: Settings, as_of: date, la_codes: list[str] | None = None, dbt_summary: dict | None = None
) -> dict:
    """Export, audit and publish pub_tsg_comparison for `as_of` (published/_comparison/<YYYY-MM>), once every
    organisation of the warehouse (`la_codes`) has its month published; raises StepFailedError otherwise."""
    from publish.comparison import COMPARISON, ComparisonGateError, export_comparison, publish_comparison_candidate

    month = reporting_month(as_of)
    with writer_lock(settings.work_dir):
        build = _last_build(settings)
        if build.get("as_of") not in (None, as_of.isoformat()):
            raise StepFailedError(f"the warehouse was built for {build['as_of']}, not {as_of}: build {as_of} first.")
        candidate_dir = settings.work_dir / "publication_candidates" / COMPARISON / month
        shutil.rmtree(candidate_dir, ignore_errors=True)
        export_comparison(settings.warehouse_path, candidate_dir)
        try:
            return publish_comparison_candidate(
                candidate_dir,
                publish_dir=settings.publish_dir,
                reports_dir=settings.reports_dir,
                as_of=as_of,
                la_codes=la_codes if la_codes is not None else organisations_in_warehouse(settings),
                dbt_summary=dbt_summary if dbt_summary is not None else build.get("dbt", {}),
                suppress_below=settings.suppress_below,
            )
        except ComparisonGateError as error:
            raise StepFailedError(str(error)) from error


def publication_due(settings: Settings, as_of: date, run_day: date, requested: bool) -> bool:
    """Whether a run of the monthly publication should publish `as_of` now.

    A run asked for a month (the `as_of` parameter: a backfill or a republication) always does. A scheduled run,
    started by each successful nightly load, publishes the month just closed once, from the 16th (deliveries may
    be dated up to 15 days after the month end, input contract §0.3) and only while some organisation in the
    warehouse has no publication of it yet: a later correction is republished on purpose, by as_of.
    """
    from publish.release import current_release

    if requested:
        return True
    if (run_day - as_of).days < PUBLICATION_DAY_AFTER_MONTH_END:
        return False
    return any(
        current_release(settings.publish_dir, la_code, reporting_month(as_of)) is None
        for la_code in organisations_in_warehouse(settings)
    )


def ensure_warehouse(settings: Settings, as_of: date) -> dict:
    """The warehouse built for `as_of`: the nightly load's build when it was for that month, else a new build
    (a past month republished by as_of). Returns the build record (as_of and dbt results)."""
    build = _last_build(settings)
    if build.get("as_of") == as_of.isoformat() and not build.get(SWAP_PENDING) and settings.warehouse_path.exists():
        return build
    return build_warehouse(settings, as_of)


def organisations_in_warehouse(settings: Settings) -> list[str]:
    """The la_codes present in the published model of the warehouse."""
    import duckdb

    with duckdb.connect(str(settings.warehouse_path), read_only=True, config=settings.duckdb_config) as connection:
        schema = connection.execute(
            "select table_schema from information_schema.tables where table_name = 'pub_tsg_dataset'"
        ).fetchone()
        if schema is None:
            raise StepFailedError("the warehouse has no pub_tsg_dataset: run the build first")
        rows = connection.execute(
            f'select distinct la_code from "{schema[0]}".pub_tsg_dataset order by la_code'
        ).fetchall()
    return [row[0] for row in rows]


def _build_in_place(settings: Settings, as_of: date) -> dict:
    """PostgreSQL: load the landing Parquet into the `landing` schema, build into the `<layer>__next` schemas and
    swap them in with one transaction only if the build passed (pipeline/pg_bluegreen.py)."""
    from pipeline.pg_bluegreen import BlueGreenSwapError, build_blue_green

    with writer_lock(settings.work_dir):
        _prepare_landing(settings)
        previous = _last_build(settings)
        try:
            # The swap is one transaction, but the record is another file: from just before the swap until the
            # record is rewritten, it says "swap pending", so a run killed in between leaves a record that makes
            # the next run rebuild instead of vouching for whichever schemas are live.
            result, loaded = build_blue_green(
                settings,
                as_of,
                before_swap=lambda built: _record_build(settings, as_of, built.summary(), swap_pending=True),
            )
        except BlueGreenSwapError as error:
            _restore_build_record(settings, previous)  # the swap rolled back: the previous schemas are live
            raise StepFailedError(f"{error}; the previous warehouse is still the live one") from error
        if not result.success:
            raise StepFailedError(_dbt_failure_message(result))
        _record_build(settings, as_of, result.summary())
    return {"as_of": as_of.isoformat(), "landing_rows": loaded, "dbt": result.summary()}


def _restore_build_record(settings: Settings, previous: dict) -> None:
    """Put back the record of the build that is still live (none: no record)."""
    if previous:
        write_text_atomic(settings.work_dir / BUILD_RECORD, json.dumps(previous, indent=2, sort_keys=True) + "\n")
    else:
        (settings.work_dir / BUILD_RECORD).unlink(missing_ok=True)


def _prepare_landing(settings: Settings) -> None:
    """Under the exclusive writer lock, before a build: delete what a killed extraction left (`pipeline.leftovers`;
    no extraction can be writing, it holds the lock shared), then make sure of the zero-row schema files."""
    remove_landing_leftovers(settings.landing_dir, settings.archive_dir)
    _ensure_landing_tables(settings)


def _ensure_landing_tables(settings: Settings) -> None:
    """Every table the extract layer knows gets its zero-row schema file (`extract.table_catalogue`), so dbt reads an
    undelivered table as empty instead of failing. Idempotent: nothing is written when the files are there."""
    from extract.table_catalogue import write_empty_tables

    write_empty_tables(settings.landing_dir)


def postgres_dsn() -> str:
    """Connection string from the environment or the Airflow connection CSC_PG_CONN_ID (no secrets in the repo)."""
    from pipeline.pg_credentials import postgres_dsn as dsn

    return dsn()


def _dbt_env(settings: Settings, warehouse_path: Path) -> dict[str, str]:
    """What dbt's profile reads: the warehouse and landing paths, and DuckDB's memory limit and spill folder."""
    config = settings.duckdb_config
    Path(config["temp_directory"]).mkdir(parents=True, exist_ok=True)
    return {
        "CSC_WAREHOUSE_PATH": str(warehouse_path),
        "CSC_LANDING_DIR": str(settings.landing_dir),
        "CSC_DUCKDB_MEMORY_LIMIT": config["memory_limit"],
        "CSC_DUCKDB_TEMP_DIR": config["temp_directory"],
    }


def _dbt_failure_message(result: object) -> str:
    failures = getattr(result, "failures", []) or [getattr(result, "log_tail", "")]
    return "dbt build failed; the warehouse and the publication are unchanged. " + " | ".join(failures[:10])


def _record_build(settings: Settings, as_of: date, dbt_summary: dict, *, swap_pending: bool = False) -> None:
    """What the warehouse in place was built for: publication checks the month and copies the dbt results into
    the manifest (no timings, so a re-run gives the same record). `swap_pending`: written just before the swap,
    so a run killed around it leaves a record that says the warehouse in place is unknown (rebuild)."""
    record = {"as_of": as_of.isoformat(), "dbt": dbt_summary, **({SWAP_PENDING: True} if swap_pending else {})}
    write_text_atomic(settings.work_dir / BUILD_RECORD, json.dumps(record, indent=2, sort_keys=True) + "\n")


def _last_build(settings: Settings) -> dict:
    path = settings.work_dir / BUILD_RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
