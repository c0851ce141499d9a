"""The comparison across organisations (pub_tsg_comparison), published next to the organisations' own datasets.

    published/_comparison/<YYYY-MM>   symlink to releases/_comparison/<YYYY-MM>/<content hash>/:
                                      tsg_comparison.parquet, tsg_comparison.csv, manifest.json

Write–audit–publish as for an organisation (`publish.gate`): export the candidate, audit it, write the report
(reports/_comparison/<YYYY-MM>/, FAILED-_comparison-<YYYY-MM>.md), then move the release into place atomically
(`publish.release`). It is published only after every organisation of the warehouse passed its own gate in the
same run (`pipeline.steps.publish_comparison`): a rank among organisations whose figures were withheld by their
gate would rank figures nobody may see. The audit holds the comparison to the datasets just published: the same
organisations, indicators and figures.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from expectations.checkpoint import CheckpointReport, ExpectationOutcome
from publish.export import DATASET_BASENAME, _qualified, write_parquet
from publish.manifest import write_manifest
from publish.release import current_release, file_sha256, publish_release
from publish.report import write_gate_report
from publish.safe_cells import neutralise
from publish.suppression import CONFIDENTIAL, is_small, suppress_rows

COMPARISON = "_comparison"  # the folder name under published/, reports/ and the candidates: never an la_code
COMPARISON_BASENAME = "tsg_comparison"
COMPARISON_ORDER = "kpi_id, la_code, period_end"
RANKED_COLUMNS = ("value", "organisation_rank", "organisation_quartile")  # withheld with a withheld count
NEIGHBOUR_COLUMN = "neighbour_average"
GATE = "comparison"


class ComparisonGateError(RuntimeError):
    """The comparison candidate failed its audit; the message names the checks and the report."""


def export_comparison(warehouse_path: Path, candidate_dir: Path) -> Path:
    """Write pub_tsg_comparison, sorted, into `candidate_dir`; returns the Parquet path."""
    candidate_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        table = connection.execute(
            f"select * from {_qualified(connection, 'pub_tsg_comparison')} order by {COMPARISON_ORDER}"
        ).to_arrow_table()
    path = candidate_dir / f"{COMPARISON_BASENAME}.parquet"
    write_parquet(table, path)
    return path


def audit_comparison(candidate_path: Path, as_of: date, releases: dict[str, Path]) -> CheckpointReport:
    """Hold the comparison to the organisations' releases of the month (`releases`: la_code -> release folder):
    the same organisations and indicators, the same figures where the release shows one, ranks within bounds."""
    rows = pq.read_table(candidate_path).to_pylist()
    outcomes = [
        _outcome("period_end is the reporting date", "period_end", [r for r in rows if r["period_end"] != as_of]),
        _outcome(
            "organisations are those published",
            "la_code",
            sorted({r["la_code"] for r in rows} ^ set(releases)),
        ),
        _outcome(
            "rank within 1..organisations_compared",
            "organisation_rank",
            [r for r in rows if not _rank_in_bounds(r)],
        ),
        _outcome(
            "neighbours with a figure <= neighbours listed",
            "neighbours_with_figure",
            [r for r in rows if r["neighbours_with_figure"] > r["neighbours_listed"]],
        ),
    ]
    mismatches = []
    for la_code, release in releases.items():
        published = {
            row["kpi_id"]: row["value"] for row in pq.read_table(release / f"{DATASET_BASENAME}.parquet").to_pylist()
        }
        compared = {row["kpi_id"]: row["value"] for row in rows if row["la_code"] == la_code}
        if set(published) != set(compared):
            mismatches.append(f"{la_code}: indicators differ {sorted(set(published) ^ set(compared))}")
        # A published null may be a withheld small count (suppression): only a figure shown must agree.
        mismatches += [
            f"{la_code} {kpi_id}: {compared.get(kpi_id)} here, {value} published"
            for kpi_id, value in sorted(published.items())
            if value is not None and compared.get(kpi_id) != value
        ]
    outcomes.append(_outcome("figures are those published", "value", mismatches))
    return CheckpointReport(success=all(o.success for o in outcomes), outcomes=outcomes)


def _rank_in_bounds(row: dict) -> bool:
    rank = row["organisation_rank"]
    return rank is None or 1 <= rank <= row["organisations_compared"]


def _outcome(expectation: str, column: str, unexpected: list) -> ExpectationOutcome:
    detail = f"{len(unexpected)} unexpected, e.g. {unexpected[:3]}" if unexpected else ""
    return ExpectationOutcome(expectation, column, not unexpected, detail, GATE)


def withhold_small_counts(rows: list[dict], suppress_below: int) -> list[dict]:
    """The organisation's figure, rank and quartile withheld with its small counts (as the TSG dataset), and a
    neighbour average that includes a withheld figure of a neighbour in the warehouse."""
    rows = suppress_rows(rows, suppress_below, derived_columns=RANKED_COLUMNS)
    return [
        {**row, NEIGHBOUR_COLUMN: None} if is_small(row.get("neighbour_smallest_count"), suppress_below) else row
        for row in rows
    ]


def comparison_csv(original: list[dict], withheld: list[dict], columns: list[str]) -> str:
    """CSV text: a cell withheld by suppression shows the DfE symbol `c`; every text cell guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for before, after in zip(original, withheld, strict=True):
        cells = []
        for column in columns:
            value = after[column]
            if value is None and before[column] is not None:
                cells.append(CONFIDENTIAL)
            else:
                cells.append("" if value is None else neutralise(_text(value)))
        writer.writerow(cells)
    return buffer.getvalue()


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


def publish_comparison_candidate(
    candidate_dir: Path,
    *,
    publish_dir: Path,
    reports_dir: Path,
    as_of: date,
    la_codes: list[str],
    dbt_summary: dict,
    suppress_below: int = 0,
) -> dict:
    """Audit the exported comparison in `candidate_dir` against the month's releases of `la_codes` and, if it
    passes, write its files and manifest and move it into place. Raises ComparisonGateError otherwise."""
    month = as_of.strftime("%Y-%m")
    releases = {la_code: current_release(publish_dir, la_code, month) for la_code in la_codes}
    unpublished = sorted(la_code for la_code, release in releases.items() if release is None)
    if unpublished:
        raise ComparisonGateError(f"{month} is not published for {unpublished}: the comparison was not published")
    parquet_path = candidate_dir / f"{COMPARISON_BASENAME}.parquet"
    report = audit_comparison(parquet_path, as_of, releases)
    report_path = write_gate_report(reports_dir, COMPARISON, month, report)
    if not report.success:
        reasons = "; ".join(f"{failure.expectation}: {failure.detail}" for failure in report.failures)
        raise ComparisonGateError(
            f"comparison gate failed for {month}: {reasons}. Nothing was published; report: {report_path}"
        )
    table = pq.read_table(parquet_path)
    original = table.to_pylist()
    withheld = withhold_small_counts(original, suppress_below)
    write_parquet(pa.Table.from_pylist(withheld, schema=table.schema), parquet_path)
    (candidate_dir / f"{COMPARISON_BASENAME}.csv").write_text(
        comparison_csv(original, withheld, table.column_names), encoding="utf-8", newline=""
    )
    write_manifest(
        candidate_dir,
        la_code=COMPARISON,
        as_of=as_of,
        inputs=[
            {"la_code": la_code, "release": release.name, "manifest_sha256": file_sha256(release / "manifest.json")}
            for la_code, release in sorted(releases.items())
        ],
        dbt_summary=dbt_summary,
        checkpoint_summary=report.to_dict(),
        settings={"suppress_below": suppress_below},
        dataset=COMPARISON_BASENAME,
    )
    public_path = publish_release(candidate_dir, publish_dir, COMPARISON, month)
    return {"reporting_month": month, "published": str(public_path), "report": str(report_path)}
