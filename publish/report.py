"""The publication gate's report, written for every attempt where the data team looks (Settings.reports_dir).

    <reports>/<la>/<YYYY-MM>/checkpoint.json    the checkpoint verdict, machine-readable
    <reports>/<la>/<YYYY-MM>/gate_report.md     the same in words: which gate failed and why, the volatility
                                                warnings that need sign-off, indicators not yet measured
    <reports>/FAILED-<la>-<YYYY-MM>.md          a copy of the report at the top of the folder while the month's
                                                latest attempt failed; removed by the next passing attempt

The report holds no wall-clock time, so a re-run with the same inputs rewrites it byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

from expectations.checkpoint import CheckpointReport
from pipeline.atomic_files import write_text_atomic


def report_paths(reports_dir: Path, la_code: str, month: str) -> tuple[Path, Path, Path]:
    folder = reports_dir / la_code / month
    return folder / "checkpoint.json", folder / "gate_report.md", reports_dir / f"FAILED-{la_code}-{month}.md"


def render_markdown(report: CheckpointReport, la_code: str, month: str, affected: list[str] | None = None) -> str:
    verdict = "PASSED: published" if report.success else "FAILED: nothing was published"
    lines = [f"# TSG dataset {la_code} {month}: publication gate {verdict}", ""]
    if not report.success:
        lines += [
            "The previous publication of this month (if any) is unchanged. Fix the cause, rebuild and publish again.",
            "",
            "## Affected indicators",
            "",
            *([f"* {kpi_id}" for kpi_id in affected or []] or ["* none identified"]),
            "",
            "## Failed gates",
            "",
        ]
        for gate in report.failed_gates:
            lines.append(f"### {gate or 'unlabelled expectation'}")
            lines.append("")
            for failure in (f for f in report.failures if f.gate == gate):
                column = f" on `{failure.column}`" if failure.column else ""
                lines.append(f"* `{failure.expectation}`{column}: {failure.detail or 'failed'}")
            lines.append("")
    lines += ["## Volatility warnings (need sign-off, not a failure)", ""]
    lines += [f"* {warning}" for warning in report.warnings] or ["* none"]
    lines += ["", "## TSG indicators not yet measured (register status planned: no source or mart yet)", ""]
    lines += [f"* {kpi_id}" for kpi_id in report.not_yet_measured] or ["* none"]
    lines += ["", f"{len(report.outcomes)} expectations evaluated, {len(report.failures)} failed.", ""]
    return "\n".join(lines)


def write_gate_report(
    reports_dir: Path, la_code: str, month: str, report: CheckpointReport, affected: list[str] | None = None
) -> Path:
    """Write the report files; return the path to show people (the FAILED copy when the gate failed)."""
    json_path, markdown_path, failed_path = report_paths(reports_dir, la_code, month)
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(json_path, json.dumps(report.to_dict(), indent=2, sort_keys=True, default=str) + "\n")
    text = render_markdown(report, la_code, month, affected)
    write_text_atomic(markdown_path, text)
    if report.success:
        failed_path.unlink(missing_ok=True)
        failed_path.with_name(f"{failed_path.stem}.run_log.jsonl").unlink(missing_ok=True)
        return markdown_path
    write_text_atomic(failed_path, text)  # what the alert e-mails: never half a report
    return failed_path
