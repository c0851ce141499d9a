"""A hand-made, valid TSG candidate (dataset + 13-month series) for the gate and output tests, built from the
KPI register itself so it always holds exactly the indicators the gate requires.

Every % indicator: 45 / 50 = 90.0 this month and last (so no volatility warning); every count: 3. Finance figures
are values without a numerator, as pub_tsg_dataset publishes them: the ones in FINANCE_VALUES (the dashboard's
money tests read them), 3.0 otherwise. b17 is broken down by service: RA 20 / 25 and SFS 25 / 25, which add up to
the company's 45 / 50. RAG states and colours come
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
from expectations.warehouse_reconciliation import RECONCILIATIONS_NAME, WAREHOUSE_RECONCILIATION_COLUMNS
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
RECONCILIATIONS_SCHEMA = pa.schema(
    [
        ("la_code", pa.string()),
        ("period_end", pa.date32()),
        ("check_id", pa.string()),
        ("check_name", pa.string()),
        ("measured_basis", pa.string()),
        ("measured_count", pa.int32()),
        ("reference_basis", pa.string()),
        ("reference_count", pa.int32()),
        ("difference", pa.int32()),
        ("tolerance", pa.int32()),
        ("status", pa.string()),
        ("note", pa.string()),
    ]
)


def month_ends(as_of: date, count: int = 13) -> list[date]:
    ends, year, month = [], as_of.year, as_of.month
    for _ in range(count):
        following = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(date.fromordinal(following.toordinal() - 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(ends)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# kpi_id -> value: a placement forecast of £16,995k (S0 2024/25 budget), a surplus of £250.5k, £52,340 a child,
# £4,801 a week, 1.5 % over budget, and "Yes" within budget.
FINANCE_VALUES = {
    "f_plc_cost_forecast": Decimal("16995.0"),
    "f_net_position_forecast": Decimal("-250.5"),
    "s_unit_cost_per_child_ytd": Decimal("52340.0"),
    "f_plc_avg_weekly_rate": Decimal("4801.0"),
    "f_plc_variance_pct": Decimal("1.5"),
    "b25_forecast_within_budget": Decimal("1.0"),
}


def _figures(unit: str, grain_key: str, mart_area: str, kpi_id: str) -> tuple[int | None, int | None, Decimal]:
    if mart_area == "finance":
        return None, None, FINANCE_VALUES.get(kpi_id, Decimal("3.0"))
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
                numerator, denominator, value = _figures(reg.unit, grain_key, reg.mart_area, kpi_id)
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


def good_reconciliations(as_of: date = AS_OF, la_code: str = LA_CODE) -> list[dict]:
    """pub_tsg_reconciliations rows that pass: 1,600 open children on both sides; 903 CLA 210 against 209 on the
    case-system list (1 apart, within ±2)."""
    return [
        {
            "la_code": la_code,
            "period_end": as_of,
            "check_id": "cla_903",
            "check_name": "CLA from 903 episodes within tolerance of the case-system CLA list",
            "measured_basis": "children looked after from 903 episodes",
            "measured_count": 210,
            "reference_basis": "children open on the case-system CLA list",
            "reference_count": 209,
            "difference": 1,
            "tolerance": 2,
            "status": "PASS",
            "note": None,
        },
        {
            "la_code": la_code,
            "period_end": as_of,
            "check_id": "open_children",
            "check_name": "open children = distinct union of open referrals and 903 episodes",
            "measured_basis": "children open on any record",
            "measured_count": 1600,
            "reference_basis": "children with an open referral or 903 episode",
            "reference_count": 1600,
            "difference": 0,
            "tolerance": 0,
            "status": "PASS",
            "note": None,
        },
    ]


def write_candidate(
    folder: Path, dataset: list[dict], series: list[dict] | None, reconciliations: list[dict] | None = None
) -> Path:
    """Write the candidate files as `publish.export` does (the good reconciliations unless given); returns the
    dataset's path."""
    folder.mkdir(parents=True, exist_ok=True)
    as_of = dataset[0]["period_end"] if dataset else AS_OF
    reconciliations = good_reconciliations(as_of) if reconciliations is None else reconciliations
    pq.write_table(
        pa.Table.from_pylist(
            [{c: r.get(c) for c in WAREHOUSE_RECONCILIATION_COLUMNS} for r in reconciliations],
            schema=RECONCILIATIONS_SCHEMA,
        ),
        folder / RECONCILIATIONS_NAME,
    )
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
