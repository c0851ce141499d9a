"""Run the Great Expectations checkpoint over a candidate dataset and say whether it may be published.

GX 1.x has no DuckDB data source (through SQLAlchemy every expectation fails with "list index out of range"), so
the candidate is validated as a pandas DataFrame read from the exported Parquet file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from expectations.kpi_register import tsg_kpis_due
from expectations.tsg_dataset_suite import tsg_dataset_expectations
from expectations.volatility import volatility_warnings

DATE_COLUMNS = ("period_start", "period_end", "snapshot_date")


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, in words an analyst can act on."""

    expectation: str
    column: str | None
    success: bool
    detail: str


@dataclass(frozen=True)
class CheckpointReport:
    """The audit verdict on one candidate: publishable only if `success`."""

    success: bool
    outcomes: list[ExpectationOutcome]
    warnings: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]

    def to_dict(self) -> dict:
        return {
            "success": self.success,
            "expectations_evaluated": len(self.outcomes),
            "expectations_failed": len(self.failures),
            "failures": [outcome.__dict__ for outcome in self.failures],
            "warnings": list(self.warnings),
        }


def load_candidate(dataset_path: Path) -> pd.DataFrame:
    """The candidate dataset with dates as ISO strings, as the expectations compare them."""
    frame = pd.read_parquet(dataset_path)
    for column in DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].map(lambda value: None if pd.isna(value) else str(value)[:10])
    return frame


def run_checkpoint(dataset_path: Path, as_of: date, due_kpis: set[str] | None = None) -> CheckpointReport:
    """Validate the candidate at `dataset_path` against the TSG gates for the month ending `as_of`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx  # imported late: it costs about 4 s

    frame = load_candidate(dataset_path)
    due = tsg_kpis_due(as_of) if due_kpis is None else due_kpis

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas(name="candidate").add_dataframe_asset(name="tsg_dataset")
    batch_definition = asset.add_batch_definition_whole_dataframe("whole_candidate")
    suite = context.suites.add(gx.ExpectationSuite(name="tsg_dataset_gates"))
    for expectation in tsg_dataset_expectations(as_of, due):
        suite.add_expectation(expectation)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name="tsg_dataset_candidate", data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(gx.Checkpoint(name="publication_gate", validation_definitions=[validation]))
    result = checkpoint.run(batch_parameters={"dataframe": frame})

    outcomes: list[ExpectationOutcome] = []
    for run_result in result.run_results.values():
        for expectation_result in run_result.results:
            config = expectation_result.expectation_config
            outcomes.append(
                ExpectationOutcome(
                    expectation=config.type,
                    column=config.kwargs.get("column"),
                    success=bool(expectation_result.success),
                    detail=_describe(expectation_result.result),
                )
            )
    outcomes = [_explain_completeness(outcome, frame, due) for outcome in outcomes]
    return CheckpointReport(
        success=bool(result.success) and all(o.success for o in outcomes),
        outcomes=outcomes,
        warnings=volatility_warnings(frame),
    )


def _explain_completeness(outcome: ExpectationOutcome, frame: pd.DataFrame, due: set[str]) -> ExpectationOutcome:
    """Name the missing and unexpected indicators: GX reports only that the sets differ."""
    if outcome.success or outcome.column != "kpi_id" or "distinct_values" not in outcome.expectation:
        return outcome
    present = set(frame["kpi_id"].dropna())
    detail = f"missing {sorted(due - present)}; not in the register {sorted(present - due)}"
    return ExpectationOutcome(outcome.expectation, outcome.column, outcome.success, detail)


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
