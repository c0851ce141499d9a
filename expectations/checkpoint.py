"""Run the Great Expectations checkpoint over a candidate and say whether it may be published.

GX 1.x has no DuckDB data source (through SQLAlchemy every expectation fails with "list index out of range"), so
the candidate is validated as pandas DataFrames read from the exported Parquet files: the dataset itself, and the
reconciliation table built from the dataset and the trend series (`expectations.reconciliation`), and the
reconciliations counted in the warehouse (`expectations.warehouse_reconciliation`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from expectations.kpi_register import tsg_kpis_due, tsg_kpis_planned
from expectations.reconciliation import missing_from_series, reconciliation_frame
from expectations.tsg_dataset_suite import (
    WAREHOUSE_CHECKS,
    reconciliation_expectations,
    tsg_dataset_expectations,
    warehouse_reconciliation_expectations,
)
from expectations.volatility import volatility_warnings
from expectations.warehouse_reconciliation import describe_failures, load_reconciliations, not_checked_warnings

DATE_COLUMNS = ("period_start", "period_end", "snapshot_date")
SERIES_NAME = "tsg_series.parquet"


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, in words an analyst can act on."""

    expectation: str
    column: str | None
    success: bool
    detail: str
    gate: str = ""


@dataclass(frozen=True)
class CheckpointReport:
    """The audit verdict on one candidate: publishable only if `success`."""

    success: bool
    outcomes: list[ExpectationOutcome]
    warnings: list[str] = field(default_factory=list)
    not_yet_measured: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]

    @property
    def failed_gates(self) -> list[str]:
        return sorted({outcome.gate for outcome in self.failures})

    def to_dict(self) -> dict:
        return {
            "success": self.success,
            "expectations_evaluated": len(self.outcomes),
            "expectations_failed": len(self.failures),
            "failed_gates": self.failed_gates,
            "failures": [outcome.__dict__ for outcome in self.failures],
            "warnings": list(self.warnings),
            "not_yet_measured": list(self.not_yet_measured),
        }


def load_frame(path: Path) -> pd.DataFrame:
    """A candidate file with dates as ISO strings, as the expectations compare them."""
    frame = pd.read_parquet(path)
    for column in DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].map(lambda value: None if pd.isna(value) else str(value)[:10])
    return frame


load_candidate = load_frame


def run_checkpoint(
    dataset_path: Path, as_of: date, due_kpis: set[str] | None = None, la_code: str | None = None
) -> CheckpointReport:
    """Validate the candidate at `dataset_path` (and the series beside it) against the TSG gates for `as_of`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx  # imported late: it costs about 4 s
    from great_expectations.data_context.types.base import ProgressBarsConfig

    frame = load_frame(dataset_path)
    series_path = dataset_path.parent / SERIES_NAME
    series = load_frame(series_path) if series_path.exists() else None
    due = tsg_kpis_due(as_of, la_code=la_code) if due_kpis is None else due_kpis
    counted = load_reconciliations(dataset_path.parent)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas(name="candidate")
    outcomes: list[ExpectationOutcome] = []
    success = True
    # One checkpoint per frame: a GX checkpoint hands the same dataframe to every validation it holds.
    for name, expectations, data in (
        ("tsg_dataset", tsg_dataset_expectations(as_of, due), frame),
        ("reconciliation", reconciliation_expectations(), reconciliation_frame(frame, series, as_of.isoformat())),
        ("warehouse_reconciliation", warehouse_reconciliation_expectations(), counted),
    ):
        batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(f"whole_{name}")
        suite = context.suites.add(gx.ExpectationSuite(name=f"{name}_gates"))
        for expectation in expectations:
            suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{name}_candidate", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(name=f"publication_gate_{name}", validation_definitions=[validation])
        )
        result = checkpoint.run(batch_parameters={"dataframe": data})
        success = success and bool(result.success)
        for run_result in result.run_results.values():
            for expectation_result in run_result.results:
                config = expectation_result.expectation_config
                outcomes.append(
                    ExpectationOutcome(
                        expectation=config.type,
                        column=config.kwargs.get("column") or config.kwargs.get("column_A"),
                        success=bool(expectation_result.success),
                        detail=_describe(expectation_result.result),
                        gate=(config.meta or {}).get("gate", ""),
                    )
                )
    outcomes = [_explain_reconciliation(_explain_completeness(outcome, frame, due), counted) for outcome in outcomes]
    warnings = volatility_warnings(frame) + not_checked_warnings(counted)
    warnings += [
        f"{kpi_id} has no trend series yet (no block in pub_tsg_series)"
        for kpi_id in missing_from_series(frame, series)
    ]
    return CheckpointReport(
        success=success and all(o.success for o in outcomes),
        outcomes=outcomes,
        warnings=warnings,
        not_yet_measured=sorted(tsg_kpis_planned(as_of, la_code=la_code)),
    )


def _explain_completeness(outcome: ExpectationOutcome, frame: pd.DataFrame, due: set[str]) -> ExpectationOutcome:
    """Name the missing and unexpected indicators: GX reports only that the sets differ."""
    if outcome.success or outcome.column != "kpi_id" or "distinct_values" not in outcome.expectation:
        return outcome
    present = set(frame["kpi_id"].dropna())
    detail = f"missing {sorted(due - present)}; not in the register {sorted(present - due)}"
    return ExpectationOutcome(outcome.expectation, outcome.column, outcome.success, detail, outcome.gate)


def _explain_reconciliation(outcome: ExpectationOutcome, counted: pd.DataFrame) -> ExpectationOutcome:
    """Give both counts of a failed warehouse reconciliation: GX reports only the unexpected status."""
    check_of_gate = {gate: check_id for check_id, (gate, _) in WAREHOUSE_CHECKS.items()}
    if outcome.success or outcome.column != "status" or outcome.gate not in check_of_gate:
        return outcome
    detail = describe_failures(counted, check_of_gate[outcome.gate]) or outcome.detail
    return ExpectationOutcome(outcome.expectation, outcome.column, outcome.success, detail, outcome.gate)


def _plain(value: object) -> object:
    """numpy scalars and tuples of them as plain Python values, so reports read cleanly."""
    if isinstance(value, (tuple, list)):
        return tuple(_plain(item) for item in value)
    return value.item() if hasattr(value, "item") else value


def _describe(result: dict) -> str:
    """A short, stable description of what an expectation observed."""
    if not result:
        return ""
    if result.get("unexpected_count"):
        sample = [_plain(value) for value in result.get("partial_unexpected_list", [])[:5]]
        return f"{result['unexpected_count']} unexpected value(s), e.g. {sample}"
    if result.get("observed_value") is not None:
        return f"observed {result['observed_value']}"
    if result.get("details", {}).get("value_counts"):
        observed = sorted(str(item["value"]) for item in result["details"]["value_counts"])
        return f"observed {observed}"
    return ""
