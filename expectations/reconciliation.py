"""The reconciliation table the §5.8 item 2 gates read: one row per indicator of the month's dataset.

    company_numerator / company_denominator     the dataset's company figure
    services_numerator / services_denominator   the sum over the series' service rows at the period end (null
                                                when the indicator has no service breakdown: nothing to add up)
    dataset_value / series_value                the month's value in the dataset and in the trend series, as text
    dataset_rag_state / series_rag_state        the same for the state (null in the series: not in it yet)

Services partition the company (every item is attributed to one service or UNALLOCATED, kpi-catalogue §0.4), so
the numerators and denominators are additive for every indicator the marts break down by service.
"""

from __future__ import annotations

import pandas as pd

from expectations.tsg_dataset_suite import RECONCILIATION_COLUMNS


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else f"{float(value):.4f}"


def reconciliation_frame(dataset: pd.DataFrame, series: pd.DataFrame | None, period_end: str) -> pd.DataFrame:
    """Compare the dataset's company rows with the series at `period_end` (ISO date text)."""
    rows = []
    month = series[series["period_end"] == period_end] if series is not None else None
    for row in dataset.sort_values("kpi_id").itertuples():
        services = company = None
        if month is not None:
            of_kpi = month[(month["kpi_id"] == row.kpi_id) & (month["la_code"] == row.la_code)]
            service_rows = of_kpi[of_kpi["grain"] == "service"]
            company_rows = of_kpi[of_kpi["grain"] == "company"]
            services = service_rows if len(service_rows) else None
            company = company_rows.iloc[0] if len(company_rows) else None
        rows.append(
            {
                "kpi_id": row.kpi_id,
                "company_numerator": _sum_or_none([row.numerator]),
                "services_numerator": None if services is None else _sum_or_none(services["numerator"]),
                "company_denominator": _sum_or_none([row.denominator]),
                "services_denominator": None if services is None else _sum_or_none(services["denominator"]),
                "dataset_value": _text(row.value),
                "series_value": None if company is None else _text(company["value"]),
                "dataset_rag_state": row.rag_state,
                "series_rag_state": None if company is None else company["rag_state"],
            }
        )
    return pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS).astype(object)


def _sum_or_none(values: object) -> int | None:
    """The sum of the known values; None when none is known (NO_DATA rows and counts' denominators)."""
    known = [int(value) for value in values if value is not None and not pd.isna(value)]
    return sum(known) if known else None


def missing_from_series(dataset: pd.DataFrame, series: pd.DataFrame | None) -> list[str]:
    """Indicators of the dataset with no trend series (their area has no block in pub_tsg_series yet)."""
    present = set() if series is None else set(series["kpi_id"])
    return sorted(set(dataset["kpi_id"]) - present)
