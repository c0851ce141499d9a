"""The report a failed run leaves where the data team looks: which step failed, why, and which indicators it affects.

    <reports>/FAILED-run-<YYYY-MM>.md             the step, the reason, the affected indicators, what was kept
    <reports>/FAILED-run-<YYYY-MM>.run_log.jsonl  the run's step log up to the failure

Written by the command line (`pipeline.cli`) and by the Airflow task wrapper (`pipeline.airflow_tasks`) for every
failure that stops a run; a failed publication gate has its own per-organisation report as well
(`publish/report.py`, FAILED-<la>-<YYYY-MM>.md). Removed by the next run of that month that ends without failure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline import run_log
from pipeline.periods import reporting_month
from pipeline.settings import Settings


def failure_report_path(settings: Settings, month: str) -> Path:
    return settings.reports_dir / f"FAILED-run-{month}.md"


def affected_indicators(settings: Settings, error: BaseException, as_of: date) -> list[str]:
    """The kpi_ids a failure affects (publish.affected): the gate's, the rejected mandatory tables', the failing dbt
    nodes' source tables', else every live TSG indicator of the month (nothing was refreshed)."""
    from extract import MandatoryInputError
    from publish.affected import all_tsg_kpis, dbt_failure_tables, kpis_for_tables, mandatory_tables

    chain = _causes(error)
    for cause in chain:  # publish.gate.GateFailedError, by name: importing the gate loads Great Expectations (~4 s)
        if type(cause).__name__ == "GateFailedError" and getattr(cause, "affected", None):
            return list(cause.affected)
    for cause in chain:
        if isinstance(cause, MandatoryInputError) and (kpis := kpis_for_tables(mandatory_tables(str(cause)))):
            return kpis
    if "dbt build failed" in str(error):
        tables = dbt_failure_tables(str(error), settings.work_dir / "dbt_target")
        if kpis := kpis_for_tables(tables):
            return kpis
    return all_tsg_kpis(as_of)


def write_failure_report(settings: Settings, as_of: date, error: BaseException, step: str | None = None) -> Path | None:
    """Write the month's failure report and the run log beside it; return the report's path, or None when the
    reports folder cannot be written (a full disk: the failure itself is still reported on stderr / in Airflow)."""
    try:
        return _write_failure_report(settings, as_of, error, step)
    except OSError:
        return None


def _write_failure_report(settings: Settings, as_of: date, error: BaseException, step: str | None) -> Path:
    month = reporting_month(as_of)
    failed = run_log.last_failure(run_log.current())
    step = step or (failed["step"] if failed else "run")
    affected = affected_indicators(settings, error, as_of)
    path = failure_report_path(settings, month)
    path.parent.mkdir(parents=True, exist_ok=True)
    log_copy = run_log.keep_in(path.parent, name=f"{path.stem}.run_log.jsonl")
    lines = [
        f"# csc-warehouse run {month}: FAILED at step `{step}`",
        "",
        "Nothing after this step ran: the warehouse and every publication are as they were before the run.",
        "",
        "## Reason",
        "",
        " ".join(str(error).split()),
        "",
        f"## Affected indicators ({len(affected)})",
        "",
        *[f"* {kpi_id}" for kpi_id in affected],
        "",
        "## Run log",
        "",
        f"`{log_copy}`" if log_copy else "(no run log was open)",
        "",
        "What to do: docs/operations.md, the section for this step.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def clear_failure_report(settings: Settings, as_of: date) -> None:
    """A run of the month that ended without failure: its earlier failure report no longer applies."""
    path = failure_report_path(settings, reporting_month(as_of))
    path.unlink(missing_ok=True)
    path.with_name(f"{path.stem}.run_log.jsonl").unlink(missing_ok=True)


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
