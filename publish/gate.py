"""Audit, then publish: the step after the candidate was exported from the warehouse (write–audit–publish).

1. the checkpoint validates the candidate (kpi-catalogue §5.8 gates) and the report is written, pass or fail;
2. on failure: `GateFailedError` naming the failed gates and the report; nothing in the publish folder changes;
3. on success: the published files (Parquet, CSV, XLSX, dashboard) and the manifest are written into the
   candidate folder, which is then moved into place atomically (`publish.release`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from expectations.checkpoint import run_checkpoint
from pipeline import run_log
from pipeline.crashpoints import crashpoint
from publish.dashboard import render_dashboard
from publish.manifest import corrections, input_files, write_manifest
from publish.outputs import write_outputs
from publish.release import publish_release
from publish.report import write_gate_report


class GateFailedError(RuntimeError):
    """The candidate failed the publication gate; the message names the gates, the affected indicators and the
    report (`affected` holds the kpi_ids)."""

    def __init__(self, message: str, affected: list[str] | None = None) -> None:
        super().__init__(message)
        self.affected = affected or []


@dataclass(frozen=True)
class PublicationPaths:
    publish_dir: Path
    reports_dir: Path
    landing_dir: Path


def audit_and_publish(
    candidate_dir: Path,
    paths: PublicationPaths,
    *,
    la_code: str,
    as_of: date,
    dbt_summary: dict,
    suppress_below: int = 0,
) -> dict:
    """Audit the exported candidate in `candidate_dir` and, if it passes, publish it; returns what was done."""
    month = as_of.strftime("%Y-%m")
    report = run_checkpoint(candidate_dir / "tsg_dataset.parquet", as_of, la_code=la_code)
    affected = [] if report.success else _affected(candidate_dir, report.failed_gates, as_of, la_code)
    report_path = write_gate_report(paths.reports_dir, la_code, month, report, affected=affected)
    run_log.keep_in(report_path.parent, name=_run_log_name(report_path))  # beside the (FAILED) report
    if not report.success:
        reasons = "; ".join(
            f"[{failure.gate}] {failure.expectation}({failure.column or ''}): {failure.detail}"
            for failure in report.failures
        )
        raise GateFailedError(
            f"publication gate failed for {la_code} {month}: {reasons}. Affected indicators: {', '.join(affected)}. "
            f"Nothing was published; report: {report_path}",
            affected,
        )
    crashpoint("publish.audited")
    write_outputs(candidate_dir, as_of, suppress_below)
    crashpoint("publish.outputs")
    render_dashboard(
        candidate_dir,
        as_of=as_of,
        suppress_below=suppress_below,
        warnings=report.warnings,
        not_yet_measured=report.not_yet_measured,
    )
    write_manifest(
        candidate_dir,
        la_code=la_code,
        as_of=as_of,
        inputs=input_files(paths.landing_dir, la_code, as_of),
        dbt_summary=dbt_summary,
        checkpoint_summary=report.to_dict(),
        settings={"suppress_below": suppress_below},
        corrected=corrections(paths.landing_dir, la_code, as_of),
    )
    # The run's step log travels beside the manifest, outside its `files` and the release's content hash: a later
    # run giving the same bytes reuses the release (and its log) rather than making a new one.
    run_log.keep_in(candidate_dir)
    public_path = publish_release(candidate_dir, paths.publish_dir, la_code, month)
    return {
        "la_code": la_code,
        "reporting_month": month,
        "published": str(public_path),
        "release": str(public_path.resolve()),
        "report": str(report_path),
        "warnings": report.warnings,
    }


def _affected(candidate_dir: Path, failed_gates: list[str], as_of: date, la_code: str) -> list[str]:
    """The indicators whose candidate rows break the failed gates (publish.affected)."""
    from expectations.checkpoint import load_frame
    from expectations.kpi_register import tsg_kpis_due
    from publish.affected import kpis_breaking_gates

    frame = load_frame(candidate_dir / "tsg_dataset.parquet")
    return kpis_breaking_gates(frame, failed_gates, tsg_kpis_due(as_of, la_code=la_code))


def _run_log_name(report_path: Path) -> str:
    """`run_log.jsonl` beside gate_report.md; `FAILED-<la>-<month>.run_log.jsonl` beside the FAILED copy."""
    return f"{report_path.stem}.run_log.jsonl" if report_path.name.startswith("FAILED-") else run_log.RUN_LOG_NAME
