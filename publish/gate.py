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
from pipeline.crashpoints import crashpoint
from publish.dashboard import render_dashboard
from publish.manifest import input_files, write_manifest
from publish.outputs import write_outputs
from publish.release import publish_release
from publish.report import write_gate_report


class GateFailedError(RuntimeError):
    """The candidate failed the publication gate; the message names the gates and the report."""


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
    report_path = write_gate_report(paths.reports_dir, la_code, month, report)
    if not report.success:
        reasons = "; ".join(
            f"[{failure.gate}] {failure.expectation}({failure.column or ''}): {failure.detail}"
            for failure in report.failures
        )
        raise GateFailedError(
            f"publication gate failed for {la_code} {month}: {reasons}. Nothing was published; report: {report_path}"
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
    )
    public_path = publish_release(candidate_dir, paths.publish_dir, la_code, month)
    return {
        "la_code": la_code,
        "reporting_month": month,
        "published": str(public_path),
        "release": str(public_path.resolve()),
        "report": str(report_path),
        "warnings": report.warnings,
    }
