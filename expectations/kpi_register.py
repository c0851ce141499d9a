"""Which indicators the TSG dataset must contain on a date, read from the dbt seed that is the KPI register."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from pipeline.settings import DBT_PROJECT_DIR

KPI_REGISTER_SEED = DBT_PROJECT_DIR / "seeds" / "ref_kpi_targets.csv"
_TRUE = {"true", "t", "1", "y", "yes"}


def tsg_kpis_due(as_of: date, register: Path = KPI_REGISTER_SEED) -> set[str]:
    """The kpi_ids flagged for the TSG dataset whose register row is valid on `as_of`."""
    due: set[str] = set()
    with register.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("publish_tsg", "").strip().lower() not in _TRUE:
                continue
            valid_from = date.fromisoformat(row["valid_from"]) if row.get("valid_from") else date.min
            valid_to = date.fromisoformat(row["valid_to"]) if row.get("valid_to") else date.max
            if valid_from <= as_of <= valid_to:
                due.add(row["kpi_id"])
    return due
