"""The KPI register (dbt seed `ref_kpi_targets.csv`) read from Python: which indicators the TSG dataset must hold
on a date, which are still to be built, and each indicator's definition for the dashboard.

Completeness rule of the publication gate: a register row counts when it is flagged `publish_tsg`, in force on
the period end (valid_from <= as_of <= valid_to) and `status = live` (a mart computes it). A `planned` row (in
the catalogue, no source or mart yet) is not required, so an indicator that cannot be built yet never blocks a
month; it is listed as "not yet measured" in the manifest and on the dashboard instead.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.settings import DBT_PROJECT_DIR

KPI_REGISTER_SEED = DBT_PROJECT_DIR / "seeds" / "ref_kpi_targets.csv"
_TRUE = {"true", "t", "1", "y", "yes"}
STATUSES = {"live", "planned"}


@dataclass(frozen=True)
class RegisterRow:
    """One register row, as much of it as the publication needs."""

    kpi_id: str
    kpi_name: str
    valid_from: date
    valid_to: date | None
    grain: str
    grain_key: str | None
    publish_tsg: bool
    publish_board: bool
    status: str
    mart_area: str
    rag_rule: str
    unit: str
    definition: str
    seed_ref: str
    target: str | None
    tolerance: str | None
    direction: str | None
    precision: int
    impact_from: date | None

    def in_force(self, as_of: date) -> bool:
        return self.valid_from <= as_of and (self.valid_to is None or as_of <= self.valid_to)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_register(register: Path = KPI_REGISTER_SEED) -> list[RegisterRow]:
    """Every row of the register; a row missing one of the publication's columns is an error naming it."""
    rows: list[RegisterRow] = []
    with register.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            status = (row.get("status") or "").strip()
            if status not in STATUSES:
                raise ValueError(
                    f"{register.name} line {line} ({row.get('kpi_id')}): status must be live or planned, got {status!r}"
                )
            rows.append(
                RegisterRow(
                    kpi_id=row["kpi_id"],
                    kpi_name=row["kpi_name"],
                    valid_from=_date(row["valid_from"]) or date.min,
                    valid_to=_date(row["valid_to"]),
                    grain=row["grain"],
                    grain_key=row["grain_key"] or None,
                    publish_tsg=(row.get("publish_tsg") or "").strip().lower() in _TRUE,
                    publish_board=(row.get("publish_board") or "").strip().lower() in _TRUE,
                    status=status,
                    mart_area=row["mart_area"],
                    rag_rule=row["rag_rule"],
                    unit=row["unit"],
                    definition=row.get("definition") or "",
                    seed_ref=row.get("seed_ref") or "",
                    target=row["target"] or None,
                    tolerance=row["tolerance"] or None,
                    direction=row["direction"] or None,
                    precision=int(row["precision"]),
                    impact_from=_date(row.get("impact_from")),
                )
            )
    return rows


def _tsg_rows(as_of: date, register: Path, la_code: str | None) -> list[RegisterRow]:
    """TSG rows at company grain in force on `as_of`, generic or for `la_code` (as pub_tsg_dataset joins them)."""
    return [
        row
        for row in load_register(register)
        if row.publish_tsg
        and row.grain == "company"
        and row.in_force(as_of)
        and (row.grain_key is None or row.grain_key == la_code)
    ]


def tsg_kpis_due(as_of: date, register: Path = KPI_REGISTER_SEED, la_code: str | None = None) -> set[str]:
    """The kpi_ids the TSG dataset of the month ending `as_of` must contain: flagged, in force and live."""
    return {row.kpi_id for row in _tsg_rows(as_of, register, la_code) if row.status == "live"}


def tsg_kpis_planned(as_of: date, register: Path = KPI_REGISTER_SEED, la_code: str | None = None) -> set[str]:
    """TSG indicators in force on `as_of` with no mart yet: reported as not yet measured, never required."""
    return {row.kpi_id for row in _tsg_rows(as_of, register, la_code) if row.status == "planned"} - tsg_kpis_due(
        as_of, register, la_code
    )


def definitions(as_of: date, register: Path = KPI_REGISTER_SEED) -> dict[str, RegisterRow]:
    """The register row in force on `as_of` for each indicator (the latest version), for its definition."""
    chosen: dict[str, RegisterRow] = {}
    for row in sorted(load_register(register), key=lambda r: (r.kpi_id, r.valid_from)):
        if row.in_force(as_of) or row.kpi_id not in chosen:
            chosen[row.kpi_id] = row
    return chosen
