"""The §5.8 item 2 reconciliations counted in the warehouse (dbt model pub_tsg_reconciliations), as the gate reads them.

One row per organisation and check: `open_children` (children open on any journey record = the distinct union of
open referrals and 903 episodes) and `cla_903` (903 CLA within the tolerance of the case-system CLA list). The
export writes them beside the candidate as `tsg_reconciliations.parquet`; a candidate without that file reads as
an empty table, which fails the gate (a reconciliation that was not run has not passed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

RECONCILIATIONS_NAME = "tsg_reconciliations.parquet"
WAREHOUSE_RECONCILIATION_COLUMNS = [
    "la_code",
    "period_end",
    "check_id",
    "check_name",
    "measured_basis",
    "measured_count",
    "reference_basis",
    "reference_count",
    "difference",
    "tolerance",
    "status",
    "note",
]
CHECK_IDS = ("open_children", "cla_903")


def load_reconciliations(candidate_dir: Path) -> pd.DataFrame:
    """The candidate's reconciliation rows (dates as ISO text); an empty table when the file is missing."""
    path = candidate_dir / RECONCILIATIONS_NAME
    if not path.exists():
        return pd.DataFrame({column: pd.Series(dtype=object) for column in WAREHOUSE_RECONCILIATION_COLUMNS})
    frame = pd.read_parquet(path)
    frame["period_end"] = frame["period_end"].map(lambda value: None if pd.isna(value) else str(value)[:10])
    return frame


def describe_failures(frame: pd.DataFrame, check_id: str) -> str:
    """Both sides of every failed row of one check, in words: what the failure report says."""
    failed = frame[(frame["check_id"] == check_id) & (frame["status"] != "PASS") & (frame["status"] != "NOT_CHECKED")]
    return "; ".join(
        f"{row.la_code} {row.period_end}: {row.measured_basis} {_count(row.measured_count)} against "
        f"{row.reference_basis} {_count(row.reference_count)}, difference {_count(row.difference)}, "
        f"tolerance ±{_count(row.tolerance)}"
        for row in failed.sort_values("la_code").itertuples()
    )


def not_checked_warnings(frame: pd.DataFrame) -> list[str]:
    """A reconciliation the month's delivery could not support (e.g. no case-system CLA list) is reported."""
    skipped = frame[frame["status"] == "NOT_CHECKED"].sort_values(["la_code", "check_id"])
    return [f"{row.check_id} for {row.la_code}: {row.note}" for row in skipped.itertuples()]


def _count(value: object) -> str:
    return "none" if value is None or pd.isna(value) else str(int(value))
