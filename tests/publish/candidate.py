"""A hand-made, valid TSG candidate (dataset + 13-month series) for the gate and output tests, built from the
KPI register itself so it always holds exactly the indicators the gate requires.

Every % indicator: 45 / 50 = 90.0 this month and last (so no volatility warning); every count: 3. b17 is broken
down by service: RA 20 / 25 and SFS 25 / 25, which add up to the company's 45 / 50. RAG states and colours come
from the Python reference implementation, so the candidate is consistent by construction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from expectations.kpi_register import load_register, tsg_kpis_due
from expectations.tsg_dataset_suite import TSG_DATASET_COLUMNS
from publish.rag import low_n, rag_colour, rag_state

AS_OF = date(2026, 10, 31)
LA_CODE = "E06000039"
SERVICE_KPI = "b17_cla_reviews_in_time"
SERIES_COLUMNS = [
    "la_code",
    "kpi_id",
    "definition_version",
    "period_end",
    "grain",
    "grain_key",
    "numerator",
    "denominator",
    "value",
    "unit",
    "target",
    "tolerance",
    "direction",
    "prev_value",
    "rag_state",
    "rag_colour",
    "rag_scheme",
    "low_n_flag",
]
DECIMAL = pa.decimal128(18, 1)
DATASET_SCHEMA = pa.schema(
    [
        ("la_code", pa.string()),
        ("kpi_id", pa.string()),
        ("kpi_name", pa.string()),
        ("definition_version", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("snapshot_date", pa.date32()),
        ("grain", pa.string()),
        ("grain_key", pa.string()),
        ("numerator", pa.int32()),
        ("denominator", pa.int32()),
        ("value", DECIMAL),
        ("unit", pa.string()),
        ("target", DECIMAL),
        ("tolerance", DECIMAL),
        ("direction", pa.string()),
        ("prev_value", DECIMAL),
        ("rag_state", pa.string()),
        ("rag_colour", pa.string()),
        ("rag_scheme", pa.string()),
        ("low_n_flag", pa.bool_()),
        ("data_quality_flag", pa.string()),
        ("source_load_ids", pa.string()),
    ]
)
SERIES_SCHEMA = pa.schema([DATASET_SCHEMA.field(name) for name in SERIES_COLUMNS])


def month_ends(as_of: date, count: int = 13) -> list[date]:
    ends, year, month = [], as_of.year, as_of.month
    for _ in range(count):
        following = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(date.fromordinal(following.toordinal() - 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(ends)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _figures(unit: str, grain_key: str) -> tuple[int, int | None, Decimal]:
    if unit != "%":
        return 3, None, Decimal("3.0")
    numerator, denominator = {"RA": (20, 25), "SFS": (25, 25)}.get(grain_key, (45, 50))
    return numerator, denominator, Decimal(100 * numerator / denominator).quantize(Decimal("0.1"))


def good_rows(as_of: date = AS_OF, la_code: str = LA_CODE) -> tuple[list[dict], list[dict]]:
    """(dataset rows, series rows) of a candidate of `la_code` that passes every gate."""
    register = {r.kpi_id: r for r in load_register() if r.in_force(as_of) and r.grain == "company"}
    dataset, series = [], []
    for kpi_id in sorted(tsg_kpis_due(as_of, la_code=la_code)):
        reg = register[kpi_id]
        keys = [("company", la_code)] + ([("service", "RA"), ("service", "SFS")] if kpi_id == SERVICE_KPI else [])
        for period_end in month_ends(as_of):
            for grain, grain_key in keys:
                if grain == "service" and period_end != as_of:
                    continue
                numerator, denominator, value = _figures(reg.unit, grain_key)
                previous = value if period_end != month_ends(as_of)[0] else None
                state = rag_state(value, reg.target, reg.tolerance, reg.direction, previous, reg.precision)
                point = {
                    "la_code": la_code,
                    "kpi_id": kpi_id,
                    "definition_version": "1",
                    "period_end": period_end,
                    "grain": grain,
                    "grain_key": grain_key,
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": value,
                    "unit": reg.unit,
                    "target": _dec(reg.target),
                    "tolerance": _dec(reg.tolerance),
                    "direction": reg.direction,
                    "prev_value": previous,
                    "rag_state": state,
                    "rag_colour": rag_colour(state, "tsg_2021_22"),
                    "rag_scheme": "tsg_2021_22",
                    "low_n_flag": low_n(denominator),
                }
                series.append(point)
                if period_end == as_of and grain == "company":
                    dataset.append(
                        {
                            **point,
                            "kpi_name": reg.kpi_name,
                            "period_start": as_of.replace(day=1),
                            "snapshot_date": as_of,
                            "data_quality_flag": None,
                            "source_load_ids": "episodes-0123456789abcdef",
                        }
                    )
    return dataset, series


def write_candidate(folder: Path, dataset: list[dict], series: list[dict] | None) -> Path:
    """Write the candidate files as `publish.export` does; returns the dataset's path."""
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist([{c: r.get(c) for c in TSG_DATASET_COLUMNS} for r in dataset], schema=DATASET_SCHEMA),
        folder / "tsg_dataset.parquet",
    )
    if series is not None:
        pq.write_table(
            pa.Table.from_pylist([{c: r.get(c) for c in SERIES_COLUMNS} for r in series], schema=SERIES_SCHEMA),
            folder / "tsg_series.parquet",
        )
    return folder / "tsg_dataset.parquet"
